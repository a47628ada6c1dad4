"""A form sent after signing out in another tab keeps what was typed, in Chromium."""

import pytest
from sqlalchemy import select

from server.domain.models import Walk

from .browser_steps import open_signed_in
from .editor_helpers import PASSWORD

pytestmark = pytest.mark.browser
WALK_PAGE = "/editor/walks/gent-kanazawa"


def stop_slugs(session):
    session.expire_all()
    return [s.slug for s in session.scalar(select(Walk).where(Walk.slug == "gent-kanazawa")).stops]


def test_a_new_stop_typed_before_signing_out_in_another_tab_is_sent_after_signing_in_again(
    page_context, accounts, session
):
    page = open_signed_in(page_context, accounts["editor"], WALK_PAGE)
    page.fill("#new-slug", "vismijn")
    page.fill("#new-name", "Oude Vismijn")
    page.fill("#new-lat", "51.0573")
    page.fill("#new-lon", "3.7208")
    other_tab = page_context.new_page()
    other_tab.goto(WALK_PAGE)
    other_tab.click(".signout button[type=submit]")
    other_tab.wait_for_url("**/editor/login")

    page.click("#new-stop-form button[type=submit]")
    page.wait_for_selector("#expired-explanation")
    assert page.locator(".site-header").count() == 1
    assert "Oude Vismijn" in page.inner_text("#typed-values")
    assert "vismijn" not in stop_slugs(session)
    page.fill("#resume-email", accounts["editor"])
    page.fill("#resume-password", PASSWORD)
    page.click("#resume-sign-in")
    page.wait_for_selector("#send-again")
    assert "Oude Vismijn" in page.inner_text("#typed-values")
    page.click("#send-again")
    page.wait_for_url("**/editor/walks/gent-kanazawa/stops/vismijn")
    assert "vismijn" in stop_slugs(session)
