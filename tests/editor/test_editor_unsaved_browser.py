"""Unsaved work survives (B3): a warning before leaving, drafts kept in the browser, signing in again in place."""

import pytest
from sqlalchemy import select

from server.domain.models import Stop

from .browser_steps import open_signed_in
from .editor_helpers import PASSWORD

pytestmark = pytest.mark.browser
STOP_PAGE = "/editor/walks/gent-kanazawa/stops/stadhuis"
DRAFT_KEY = "kotoji-draft:/editor/api/walks/gent-kanazawa/stops/stadhuis"


def stored(session) -> Stop:
    session.expire_all()
    return session.scalar(select(Stop).where(Stop.slug == "stadhuis"))


def type_into(page, selector, text):
    page.click(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_leaving_a_page_with_unsaved_changes_asks_first(page_context, accounts):
    page = open_signed_in(page_context, accounts["editor"], STOP_PAGE)
    type_into(page, "#address", "Botermarkt 1, typed but not saved")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.click("nav >> text=Walks")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url.endswith(STOP_PAGE) and page.input_value("#address") == "Botermarkt 1, typed but not saved"


def test_a_draft_survives_a_crash_and_is_offered_back(page_context, accounts, session):
    page = open_signed_in(page_context, accounts["editor"], STOP_PAGE)
    type_into(page, "#summary-ja", "クラッシュの前に書いた説明。")
    page.wait_for_function("key => localStorage.getItem(key) !== null", arg=DRAFT_KEY)
    page.close()  # like a crash: no save, no beforeunload
    page = page_context.new_page()
    page.goto(STOP_PAGE)
    page.click("#restore-draft")
    assert page.input_value("#summary-ja") == "クラッシュの前に書いた説明。"
    page.keyboard.press("Control+S")  # the shortcut saves
    page.wait_for_selector(".save-status:has-text('Saved (revision')")
    assert stored(session).summary["ja"] == "クラッシュの前に書いた説明。"
    assert page.evaluate("key => localStorage.getItem(key)", DRAFT_KEY) is None
    page.reload()
    assert page.locator("#restore-draft").count() == 0


def test_after_the_session_ended_the_editor_signs_in_again_in_a_dialog_and_the_typing_is_saved(
    page_context, accounts, session
):
    page = open_signed_in(page_context, accounts["editor"], STOP_PAGE)
    type_into(page, "#address", "Botermarkt 1 (after signing in again)")
    elsewhere = page_context.new_page()  # signed out in another tab
    elsewhere.goto("/editor/")
    elsewhere.click("form.signout button")
    elsewhere.wait_for_url("**/editor/login")
    elsewhere.close()

    page.click("#save-button")
    page.wait_for_selector("dialog.sign-in-dialog")
    page.fill("#again-email", accounts["editor"])
    page.fill("#again-password", "wrong password, once")
    page.click("dialog button[type=submit]")
    page.wait_for_selector("dialog .problem:not([hidden])")
    page.fill("#again-password", PASSWORD)
    page.click("dialog button[type=submit]")
    page.wait_for_selector(".save-status:has-text('Saved (revision')")
    assert page.locator("dialog").count() == 0
    assert page.input_value("#address") == "Botermarkt 1 (after signing in again)"
    assert stored(session).address == "Botermarkt 1 (after signing in again)"
