"""The audit log: who did what to which object, when (append-only, read by admins)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditEvent, User


def record_event(
    session: Session,
    user_id: int | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    **details: object,
) -> AuditEvent:
    """Append an audit event."""
    event = AuditEvent(
        user_id=user_id,
        action=action[:60],
        object_type=object_type[:30],
        object_id=str(object_id)[:120],
        details=details,
    )
    session.add(event)
    return event


def recent_events(session: Session, limit: int = 200) -> list[tuple[AuditEvent, str]]:
    """Return the newest events with the email of who did them ('' for the system)."""
    rows = session.execute(
        select(AuditEvent, User.email)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [(event, email or "") for event, email in rows]
