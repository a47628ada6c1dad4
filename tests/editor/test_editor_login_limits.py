"""Login limits: nobody can lock staff out of their own browsers, guesses never outrun the limit, all audited."""

import threading

import pytest
from sqlalchemy import select

from server.auth import DEVICE_COOKIE
from server.domain.accounts import sign_in as sign_in_module
from server.domain.accounts.audit import recent_events
from server.domain.accounts.login_limits import MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_DEVICE
from server.domain.accounts.sign_in import InvalidCredentials, TooManyAttempts
from server.domain.models import User

from .editor_helpers import post_form, sign_in

WRONG = "wrong password here"
ATTACKER = {"environ_base": {"REMOTE_ADDR": "198.51.100.66"}}


def guess(app, email, times, **request_options):
    """Send `times` wrong passwords for `email` from a fresh, untrusted client; return the statuses."""
    client = app.test_client()
    return [sign_in(client, email, password=WRONG, **request_options).status_code for _ in range(times)]


def trusted_browser(app, email):
    """A browser that signed in to `email` before (and signed out): it holds a device cookie."""
    browser = app.test_client()
    assert sign_in(browser, email).status_code == 303
    assert browser.get_cookie(DEVICE_COOKIE, path="/editor/login") is not None
    assert post_form(browser, "/editor/logout").status_code == 303
    return browser


@pytest.fixture
def count_verifications(monkeypatch):
    """Count password verifications in sign_in (slowed a little, to widen any race)."""
    calls = []
    lock = threading.Lock()
    real = sign_in_module.verify_password

    def counting(user, password):
        with lock:
            calls.append(user.email)
        threading.Event().wait(0.02)
        return real(user, password)

    monkeypatch.setattr(sign_in_module, "verify_password", counting)
    return calls


def test_the_only_admin_still_signs_in_from_their_browser_after_guesses_lock_untrusted_clients(app, accounts):
    admin = accounts["admin"]
    browser = trusted_browser(app, admin)
    statuses = guess(app, admin, MAX_FAILURES_PER_ACCOUNT + 3, **ATTACKER)
    assert statuses == [401] * MAX_FAILURES_PER_ACCOUNT + [429] * 3
    assert sign_in(app.test_client(), admin).status_code == 429, "an untrusted client is throttled"
    assert sign_in(browser, admin).status_code == 303, "the admin's own browser is not"


def test_untrusted_clients_share_the_accounts_allowance_and_forged_device_cookies_do_not_help(app, accounts):
    editor = accounts["editor"]
    assert guess(app, editor, MAX_FAILURES_PER_ACCOUNT) == [401] * MAX_FAILURES_PER_ACCOUNT
    forged = app.test_client()
    forged.set_cookie(DEVICE_COOKIE, "anything.notasignature", path="/editor/login")
    assert sign_in(forged, editor).status_code == 429
    another_accounts = trusted_browser(app, accounts["guide"])  # a valid cookie, but for someone else
    response = sign_in(another_accounts, editor)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_a_device_cookie_that_fails_too_often_is_locked_out_itself(app, accounts):
    editor = accounts["editor"]
    browser = trusted_browser(app, editor)
    for _ in range(MAX_FAILURES_PER_DEVICE):
        assert sign_in(browser, editor, password=WRONG).status_code == 401
    assert sign_in(browser, editor).status_code == 429
    assert sign_in(app.test_client(), editor).status_code == 303, "the untrusted clients' allowance is untouched"


def test_a_successful_login_from_a_trusted_browser_renews_its_cookie_and_allowance(app, accounts):
    editor = accounts["editor"]
    browser = trusted_browser(app, editor)
    first = browser.get_cookie(DEVICE_COOKIE, path="/editor/login").value
    for _ in range(MAX_FAILURES_PER_DEVICE - 1):
        sign_in(browser, editor, password=WRONG)
    assert sign_in(browser, editor).status_code == 303
    assert browser.get_cookie(DEVICE_COOKIE, path="/editor/login").value != first
    post_form(browser, "/editor/logout")
    for _ in range(MAX_FAILURES_PER_DEVICE - 1):
        assert sign_in(browser, editor, password=WRONG).status_code == 401
    assert sign_in(browser, editor).status_code == 303


@pytest.mark.parametrize("device", [None, "a-trusted-browser"], ids=["untrusted", "device"])
def test_concurrent_wrong_guesses_never_verify_more_passwords_than_the_limit(
    app, accounts, count_verifications, device
):
    threads_count = 20
    start = threading.Barrier(threads_count)
    outcomes, lock = [], threading.Lock()

    def attempt():
        with app.extensions["db"].session() as session:
            start.wait()
            try:
                sign_in_module.sign_in(session, accounts["editor"], WRONG, "203.0.113.5", device=device)
                outcome = "signed in"
            except InvalidCredentials:
                outcome = "wrong"
            except TooManyAttempts:
                outcome = "limited"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(outcomes) == threads_count
    assert len(count_verifications) == MAX_FAILURES_PER_ACCOUNT == MAX_FAILURES_PER_DEVICE
    assert sorted(outcomes) == ["limited"] * (threads_count - 5) + ["wrong"] * 5


def test_disabled_and_unknown_accounts_still_verify_a_password(app, accounts, session, count_verifications):
    user = session.scalar(select(User).where(User.email == accounts["editor"]))
    user.active = False
    session.commit()
    disabled = sign_in(app.test_client(), accounts["editor"])  # the right password, but disabled
    assert disabled.status_code == 401
    assert len(count_verifications) == 1, "the password was checked although the account is disabled"
    assert sign_in(app.test_client(), "nobody@kotoji.test").status_code == 401
    assert len(count_verifications) == 2
    assert sign_in(app.test_client(), accounts["guide"]).status_code == 303
    assert len(count_verifications) == 3


def test_unlock_user_clears_the_accounts_limits_and_is_audited(app, accounts, manage, session):
    editor = accounts["editor"]
    browser = trusted_browser(app, editor)
    guess(app, editor, MAX_FAILURES_PER_ACCOUNT)
    for _ in range(MAX_FAILURES_PER_DEVICE):
        sign_in(browser, editor, password=WRONG)
    assert sign_in(app.test_client(), editor).status_code == 429
    assert sign_in(browser, editor).status_code == 429

    result = manage("unlock-user", "--email", editor.upper())
    assert result.exit_code == 0, result.output
    assert "Cleared the login limits of editor@kotoji.test" in result.output
    assert sign_in(browser, editor).status_code == 303
    assert sign_in(app.test_client(), editor).status_code == 303
    unlock = [event for event, _ in recent_events(session) if event.action == "login.unlock"]
    assert len(unlock) == 1 and unlock[0].object_id == editor

    unknown = manage("unlock-user", "--email", "nobody@kotoji.test")
    assert unknown.exit_code != 0 and "no account" in unknown.output


def test_failed_logins_and_lockouts_are_in_the_audit_log(app, accounts, signed_in, session):
    editor = accounts["editor"]
    guess(app, editor, MAX_FAILURES_PER_ACCOUNT + 2, **ATTACKER)
    events = [event for event, _ in recent_events(session)]
    failed = [e for e in events if e.action == "login.failed"]
    locked = [e for e in events if e.action == "login.locked"]
    assert len(failed) == MAX_FAILURES_PER_ACCOUNT, "refused attempts are not verified, nor logged one by one"
    assert all(e.object_id == editor and e.details["address"] == "198.51.100.66" for e in failed)
    assert len(locked) == 1
    assert locked[0].details["key"] == f"account:{editor}" and locked[0].details["until"]
    page = signed_in("admin").get("/editor/audit").get_data(as_text=True)
    assert "login.failed" in page and "login.locked" in page and "198.51.100.66" in page


def test_a_device_cookie_is_bound_to_its_account_and_the_sites_secret():
    from server.domain.accounts.device_cookies import remember_device, trusted_device

    cookie = remember_device(remember_device(None, "a@kotoji.test", "secret"), "b@kotoji.test", "secret")
    assert trusted_device(cookie, " A@kotoji.test", "secret") and trusted_device(cookie, "b@kotoji.test", "secret")
    assert trusted_device(cookie, "c@kotoji.test", "secret") is None
    assert trusted_device(cookie, "a@kotoji.test", "another site's secret") is None
    renewed = remember_device(cookie, "a@kotoji.test", "secret")
    assert renewed.count("|") == 1, "one token per account"
    assert trusted_device(renewed, "a@kotoji.test", "secret") != trusted_device(cookie, "a@kotoji.test", "secret")
