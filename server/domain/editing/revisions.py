"""Revisions: every saved state of a walk or stop is appended, never changed."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Revision, Stop, Walk
from ..walks.lookup import stop_state, walk_state


def record_revision(session: Session, obj: Walk | Stop, author_id: int | None, message: str) -> Revision:
    """Append a revision holding the object's current state under its current revision number."""
    session.flush()  # the object needs its id, and twins their rows, before we describe it
    entity = "walk" if isinstance(obj, Walk) else "stop"
    state = walk_state(obj) if isinstance(obj, Walk) else stop_state(obj)
    if isinstance(obj, Stop) and obj.deleted_at is not None:
        state["deleted"] = True  # so the history shows the deletion (and a restore its undoing) as a change
    revision = Revision(
        entity=entity, entity_id=obj.id, number=obj.revision, state=state, message=message[:300], author_id=author_id
    )
    session.add(revision)
    return revision


def list_revisions(session: Session, obj: Walk | Stop) -> list[Revision]:
    """Return an object's revisions, newest first."""
    entity = "walk" if isinstance(obj, Walk) else "stop"
    return list(
        session.scalars(
            select(Revision)
            .where(Revision.entity == entity, Revision.entity_id == obj.id)
            .order_by(Revision.number.desc())
        )
    )
