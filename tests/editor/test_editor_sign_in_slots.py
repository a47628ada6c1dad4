"""Sign-in memory: at most SIGN_IN_CONCURRENCY password checks at once; the next are told to come back."""

import threading

import pytest

from server.domain.accounts import sign_in as sign_in_module
from server.domain.accounts.audit import recent_events
from server.domain.accounts.password_checks import PasswordCheckSlots, SignInBusy
from server.domain.accounts.users import create_user

from .editor_helpers import PASSWORD, sign_in


@pytest.fixture
def one_slot(app):
    """A single password check slot, given up after a short wait."""
    slots = PasswordCheckSlots(1, wait_seconds=0.05)
    app.extensions["password_check_slots"] = slots
    return slots


def failed_logins(app) -> int:
    with app.extensions["db"].session() as session:
        return sum(1 for event in recent_events(session) if event.action == "login.failed")


def test_a_sign_in_waiting_too_long_for_a_check_gets_503_with_retry_after_and_counts_nothing(app, accounts, one_slot):
    with one_slot.slot():  # another sign-in is being checked
        response = sign_in(app.test_client(), accounts["editor"], password="wrong password here")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "try again in a few seconds" in response.get_data(as_text=True)
    assert failed_logins(app) == 0, "a refusal for load is not a failed attempt"
    assert sign_in(app.test_client(), accounts["editor"]).status_code == 303, "once the slot is free, it works"


def test_no_more_checks_run_at_once_than_there_are_slots(app, monkeypatch):
    emails = [f"guide{n}@kotoji.test" for n in range(6)]  # one account each: this is about slots, not limits
    with app.extensions["db"].session() as session:
        for email in emails:
            create_user(session, email, PASSWORD, "guide")
        session.commit()
    slots = PasswordCheckSlots(2, wait_seconds=60)
    running, most, lock = [0], [0], threading.Lock()
    real = sign_in_module.verify_password

    def slow_check(user, password):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        threading.Event().wait(0.05)
        with lock:
            running[0] -= 1
        return real(user, password)

    monkeypatch.setattr(sign_in_module, "verify_password", slow_check)
    outcomes = []
    start = threading.Barrier(6)

    def attempt(email):
        with app.extensions["db"].session() as session:
            start.wait()
            try:
                user = sign_in_module.sign_in(session, email, PASSWORD, "203.0.113.9", slots=slots)
                session.commit()
                outcome = user.email
            except Exception as exc:  # noqa: BLE001 (any failure is the test's finding)
                outcome = repr(exc)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(outcomes) == emails
    assert most[0] == 2


def test_slots_refuse_a_bound_below_one():
    with pytest.raises(ValueError):
        PasswordCheckSlots(0, 1)
    assert SignInBusy().status == 503
