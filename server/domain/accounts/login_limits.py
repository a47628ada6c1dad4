"""Login limits kept in the database, so they hold across worker processes and app instances.

Each failed login adds a row for the account and one for the address; a login is refused while
either has too many failures in the window. A successful login clears the account's failures.
"""

from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import LoginAttempt
from .sessions import as_utc

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
# An office or a school shares one address: allow more before blocking it.
MAX_FAILURES_PER_ADDRESS = 20
KEEP = timedelta(days=1)


def account_key(email: str) -> str:
    return f"account:{(email or '').strip().lower()[:250]}"


def address_key(address: str) -> str:
    return f"address:{(address or 'unknown')[:250]}"


def seconds_until_allowed(session: Session, email: str, address: str) -> int:
    """Return 0 if a login may be tried now, else how many seconds until it may."""
    now = datetime.now(timezone.utc)
    waits = [0]
    for key, limit in ((account_key(email), MAX_FAILURES_PER_ACCOUNT),
                       (address_key(address), MAX_FAILURES_PER_ADDRESS)):
        times = session.scalars(
            select(LoginAttempt.at).where(LoginAttempt.key == key, LoginAttempt.at > now - WINDOW)
            .order_by(LoginAttempt.at.desc()).limit(limit)
        ).all()
        if len(times) >= limit:
            # Allowed again when the oldest of the last `limit` failures leaves the window.
            waits.append(int((as_utc(times[-1]) + WINDOW - now).total_seconds()) + 1)
    return max(waits)


def record_failure(session: Session, email: str, address: str) -> None:
    """Count a failed login against the account and the address (and forget very old ones)."""
    now = datetime.now(timezone.utc)
    session.add_all([LoginAttempt(key=account_key(email), at=now), LoginAttempt(key=address_key(address), at=now)])
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))


def clear_account_failures(session: Session, email: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == account_key(email)))

