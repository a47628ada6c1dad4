"""Login limits kept in the database, so they hold across worker processes and app instances.

Every attempt is counted before its password is checked, by one conditional UPDATE of a counter row
per key that refuses to go past the limit: concurrent guesses cannot all slip under it (L1).

Keys follow OWASP's device cookies: a browser holding a valid device cookie for the account counts
against that device's own allowance; every other client counts against the account's allowance for
untrusted clients and its address's. So guessing from anywhere cannot lock out staff on their own
browsers (M2), and `unlock_account` is the break-glass for the rest.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult  # what a bulk UPDATE or DELETE returns: it has rowcount, a Result has not
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import LoginCounter, User
from .audit import record_event
from .sessions import as_utc

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5  # all untrusted clients together
MAX_FAILURES_PER_DEVICE = 5
# An office or a school shares one address: allow more before blocking it.
MAX_FAILURES_PER_ADDRESS = 20
KEEP = timedelta(days=1)
_counter = LoginCounter.__table__.c


@dataclass
class Attempt:
    """One counted login attempt: the keys it was counted against, and their counts with it."""

    counts: dict[str, int] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)
    window_ends: dict[str, datetime] = field(default_factory=dict)

    def keys_now_locked(self) -> list[str]:
        """The keys this attempt used the last allowance of (locked if it failed)."""
        return [key for key, count in self.counts.items() if count >= self.limits[key]]


class LimitReached(Exception):
    def __init__(self, key: str, retry_after: int):
        super().__init__(key)
        self.key = key
        self.retry_after = retry_after


MAX_COUNT_TRIES = 5


def account_key(email: str) -> str:
    return f"account:{(email or '').strip().lower()[:250]}"


def address_key(address: str) -> str:
    return f"address:{(address or 'unknown')[:250]}"


def device_key(email: str, device: str) -> str:
    return f"device:{(email or '').strip().lower()[:250]}:{device[:40]}"


def limits_for(email: str, address: str, device: str | None) -> dict[str, int]:
    """Return {key: limit} an attempt counts against: its device's own, or the untrusted clients' ones."""
    if device:
        return {device_key(email, device): MAX_FAILURES_PER_DEVICE}
    return {account_key(email): MAX_FAILURES_PER_ACCOUNT, address_key(address): MAX_FAILURES_PER_ADDRESS}


def count_attempt(session: Session, limits: dict[str, int]) -> Attempt:
    """Count one attempt against every key, or none; raise LimitReached if a key has no allowance left.

    Commits at once (and ends the session's transaction before), so the count is visible to every
    other process before the password is checked.
    """
    session.commit()
    now = datetime.now(UTC)
    attempt = Attempt(limits=dict(limits))
    for key, limit in limits.items():
        counted, started, failures = _count_on(session, key, limit, now)
        window_end = as_utc(started) + WINDOW
        if not counted:
            session.rollback()
            raise LimitReached(key, int((window_end - now).total_seconds()) + 1)
        attempt.counts[key], attempt.window_ends[key] = failures, window_end
    session.commit()
    # Forget old counters in a transaction of its own: holding this attempt's row locks while
    # waiting for other rows' could deadlock with another attempt doing the same.
    session.execute(delete(LoginCounter).where(LoginCounter.at < now - KEEP))
    session.commit()
    return attempt


def _count_on(session: Session, key: str, limit: int, now: datetime) -> tuple[int, datetime, int]:
    """Count the attempt on one key's counter; return (whether it counted, window start, failures)."""
    # A successful sign-in deletes its account's counter (forgive_attempt). Between our insert and
    # our update another one may do so and commit: the row is gone, so make it again and count anew.
    for _ in range(MAX_COUNT_TRIES):
        _ensure_counter(session, key, now)
        # Start a new window if the last one is over; else add one, only while under the limit.
        # Each UPDATE locks the row (PostgreSQL) or the database (SQLite) and re-checks its WHERE.
        counted = cast(
            CursorResult[Any],
            session.execute(
                update(LoginCounter).where(_counter.key == key, _counter.at <= now - WINDOW).values(at=now, failures=1)
            ),
        ).rowcount
        if not counted:
            counted = cast(
                CursorResult[Any],
                session.execute(
                    update(LoginCounter)
                    .where(
                        _counter.key == key,
                        _counter.at > now - WINDOW,
                        _counter.failures < limit,
                    )
                    .values(failures=_counter.failures + 1)
                ),
            ).rowcount
        row = session.execute(select(_counter.at, _counter.failures).where(_counter.key == key)).one_or_none()
        if row is not None:
            return counted, row.at, row.failures
    raise RuntimeError(f"the login counter {key} kept vanishing")  # only if sign-ins delete it endlessly


def _ensure_counter(session: Session, key: str, now: datetime) -> None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(LoginCounter).values(key=key, at=now, failures=0).on_conflict_do_nothing(index_elements=["key"])
    )


def forgive_attempt(session: Session, attempt: Attempt) -> None:
    """After a successful login: clear its account's or device's failures, give back its address's try."""
    for key in attempt.counts:
        if key.startswith("address:"):
            session.execute(
                update(LoginCounter)
                .where(_counter.key == key, _counter.failures > 0)
                .values(failures=_counter.failures - 1)
            )
        else:
            session.execute(delete(LoginCounter).where(_counter.key == key))


def unlock_account(session: Session, email: str, by: str) -> int:
    """Clear the limits of an account and of its device cookies (break-glass, audit-logged); return how many."""
    email = (email or "").strip().lower()
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is None:
        raise NotFound(f"There is no account for {email}.")
    cleared = cast(
        CursorResult[Any],
        session.execute(
            delete(LoginCounter).where(
                or_(
                    LoginCounter.key == account_key(email),
                    LoginCounter.key.startswith(device_key(email, ""), autoescape=True),
                )
            )
        ),
    ).rowcount
    record_event(session, None, "login.unlock", "user", email, cleared=cleared, by=by)
    return cleared
