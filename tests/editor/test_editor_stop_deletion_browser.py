"""Deleting, restoring and purging a stop as staff do it, in Chromium."""

import pytest
from sqlalchemy import select

from server.domain.models import Stop, Walk

from .browser_steps import open_signed_in

pytestmark = pytest.mark.browser
WALK_PAGE = "/editor/walks/gent-kanazawa"


def live_order(session):
    session.expire_all()
    return [s.slug for s in session.scalar(select(Walk).where(Walk.slug == "gent-kanazawa")).stops]


def stop_row(session, slug):
    session.expire_all()
    return session.scalar(select(Stop).join(Stop.walk).where(Walk.slug == "gent-kanazawa", Stop.slug == slug))


def test_delete_asks_first_then_lists_the_stop_under_deleted_and_restore_puts_it_back(page_context, accounts, session):
    start = live_order(session)
    victim = start[1]
    page = open_signed_in(page_context, accounts["editor"], f"{WALK_PAGE}/stops/{victim}")
    page.click("#delete-stop-link")
    page.wait_for_selector("#delete-consequences")
    assert stop_row(session, victim).deleted_at is None, "the link only asks"
    assert "next publication" in page.inner_text("#delete-consequences")
    page.click("#keep-stop")
    page.wait_for_url(f"**{WALK_PAGE}/stops/{victim}")
    assert stop_row(session, victim).deleted_at is None

    page.click("#delete-stop-link")
    page.click("#confirm-delete")
    page.wait_for_selector(f"#deleted-{victim}")
    assert live_order(session) == [s for s in start if s != victim]
    assert page.locator(f"#stop-{victim}").count() == 0
    assert "publish" in page.inner_text("#publication-needed").lower()
    assert page.locator(f"#deleted-{victim} a", has_text="Purge").count() == 0, "purging is for admins"

    page.click(f"button[aria-label='Restore {victim}']")
    page.wait_for_selector("#stop-undeleted-notice")
    assert page.locator(f"#deleted-{victim}").count() == 0
    assert live_order(session) == start


def test_a_stop_saved_on_its_page_is_deleted_from_that_same_page_without_a_false_conflict(
    page_context, accounts, session
):
    victim = live_order(session)[2]
    page = open_signed_in(page_context, accounts["editor"], f"{WALK_PAGE}/stops/{victim}")
    page.fill("#address", "Sint-Baafsplein 1")
    page.wait_for_selector("#save-button:enabled")  # the page's script is ready to save
    page.keyboard.press("Control+s")
    page.wait_for_selector(".save-status:has-text('Saved')")
    page.click("#delete-stop-link")
    page.click("#confirm-delete")
    page.wait_for_selector(f"#deleted-{victim}")
    assert stop_row(session, victim).deleted_at is not None


def test_an_admin_purges_a_deleted_stop_after_typing_its_slug(page_context, accounts, session):
    victim = live_order(session)[-1]
    page = open_signed_in(page_context, accounts["admin"], f"{WALK_PAGE}/stops/{victim}")
    page.click("#delete-stop-link")
    page.click("#confirm-delete")
    page.wait_for_selector(f"#deleted-{victim}")
    page.click(f"#deleted-{victim} a:has-text('Purge')")
    page.fill("#purge-confirm", "not-the-slug")
    page.click("#confirm-purge")
    page.wait_for_selector("#purge-problem")
    assert stop_row(session, victim) is not None
    page.fill("#purge-confirm", victim)
    page.click("#confirm-purge")
    page.wait_for_selector("#stop-purged-notice")
    assert stop_row(session, victim) is None
