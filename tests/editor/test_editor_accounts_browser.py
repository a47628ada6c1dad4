"""An admin manages accounts in Chromium (review B15): each change says what it did."""

import pytest
from sqlalchemy import select

from server.domain.models import User

from .browser_steps import open_signed_in

pytestmark = pytest.mark.browser


def test_an_admin_creates_retries_and_deactivates_an_account_with_messages_all_the_way(page_context, accounts, session):
    page = open_signed_in(page_context, accounts["admin"], "/editor/users")
    page.fill("#new-email", "els.editor@kotoji.test")
    page.select_option("#new-role", "editor")
    page.fill("#new-password", "short")
    page.evaluate("document.getElementById('new-password').removeAttribute('minlength')")  # the server's check
    page.click("#new-account-form button[type=submit]")
    page.wait_for_selector("#new-account-problem")
    assert "12 characters" in page.inner_text("#new-account-problem")
    assert page.input_value("#new-email") == "els.editor@kotoji.test", "B15: the typed email stays"
    assert page.input_value("#new-role") == "editor"
    page.fill("#new-password", "correct horse battery staple")
    page.click("#new-account-form button[type=submit]")
    page.wait_for_selector("#accounts-notice")
    assert "Account created for els.editor@kotoji.test" in page.inner_text("#accounts-notice")

    session.expire_all()
    els = session.scalar(select(User).where(User.email == "els.editor@kotoji.test"))
    page.click(f"#deactivate-{els.id}")
    page.wait_for_selector("#deactivate-consequences")
    page.click("#keep-active")
    page.wait_for_selector("#accounts-notice", state="detached")
    page.click(f"#deactivate-{els.id}")
    page.click("#confirm-deactivate")
    page.wait_for_selector("#accounts-notice")
    assert "deactivated" in page.inner_text("#accounts-notice")
    assert "deactivated" in page.inner_text(f"#user-{els.id}")
    session.expire_all()
    assert not session.get(User, els.id).active
