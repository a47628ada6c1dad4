"""Staff sessions kept on the server: the cookie holds only a random token, the database its hash.

Logging out, deactivating an account or changing a role deletes the rows, which ends those
sessions in every process and on every instance at once.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import delete
from sqlalchemy.engine import CursorResult  # what a bulk UPDATE or DELETE returns: it has rowcount, a Result has not
from sqlalchemy.orm import Session

from ..models import StaffSession, User

IDLE_LIMIT = timedelta(hours=4)
ABSOLUTE_LIMIT = timedelta(hours=12)
# Writing last_seen_at on every request would make every page view a database write.
TOUCH_INTERVAL = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def as_utc(moment: datetime) -> datetime:
    """Return `moment` as an aware UTC datetime (SQLite hands back naive ones)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_session(session: Session, user: User, address: str) -> str:
    """Create a session for `user` and return the token for the cookie (never stored itself)."""
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=_hash(token), user_id=user.id, address=(address or "")[:64]))
    session.flush()
    return token


def find_session_user(session: Session, token: str | None) -> User | None:
    """Return the active user of a live session, or None (expired sessions are removed)."""
    if not token:
        return None
    record = session.get(StaffSession, _hash(token))
    if record is None:
        return None
    now = datetime.now(UTC)
    if now - as_utc(record.last_seen_at) > IDLE_LIMIT or now - as_utc(record.created_at) > ABSOLUTE_LIMIT:
        session.delete(record)
        session.commit()
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.active:
        return None
    if now - as_utc(record.last_seen_at) > TOUCH_INTERVAL:
        record.last_seen_at = now
        session.commit()
    return user


def end_session(session: Session, token: str | None) -> None:
    """Delete the session of `token`, if any."""
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash(token)))


def end_user_sessions(session: Session, user_id: int) -> int:
    """Delete every session of a user (after deactivation, a role or password change)."""
    return cast(
        CursorResult[Any], session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
    ).rowcount
