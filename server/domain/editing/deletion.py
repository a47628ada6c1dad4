"""Deleting a stop: a soft delete and a restore, each a revision, and an admin's purge that frees the slug.

A deleted stop leaves the walk's list of stops at once, but the public documents are prepared bytes:
tourists keep seeing it until the next publication, and the walk page says so.
"""

from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..errors import ValidationError
from ..messages import _
from ..models import Revision, Stop, User, Walk
from ..walks.lookup import stop_state
from .revisions import record_revision
from .saves import check_if_match, etag_of, refuse_if_deleted


def delete_stop(session: Session, stop: Stop, if_match: str | None, user_id: int | None) -> None:
    """Move the stop to the walk's "Deleted" list as a new revision; a stale If-Match is refused (412)."""
    refuse_if_deleted(stop)
    check_if_match(stop, if_match, session)
    walk = stop.walk
    remaining = [s for s in walk.stops if s is not stop]
    # The stop remembers its place (position) so a restore puts it back between the same neighbours;
    # the others close the gap, keeping positions 1..n for the order tourists see.
    stop.position = [s.slug for s in walk.stops].index(stop.slug) + 1
    stop.deleted_at, stop.deleted_by = datetime.now(UTC), user_id
    stop.revision += 1
    stop.updated_at = stop.deleted_at
    for position, other in enumerate(remaining, start=1):
        other.position = position
    record_revision(session, stop, user_id, "deleted")
    record_event(
        session,
        user_id,
        "stop.delete",
        "stop",
        f"{walk.slug}/{stop.slug}",
        revision=stop.revision,
        was_published=stop.status == "published",
    )
    session.expire(walk, ["stops", "deleted_stops"])


def restore_deleted_stop(session: Session, stop: Stop, if_match: str | None, user_id: int | None) -> None:
    """Bring a deleted stop back, exactly as it was, at its old place in the walk, as a new revision."""
    if stop.deleted_at is None:
        raise ValidationError([_("stop: '%(slug)s' is not deleted", slug=stop.slug)])
    check_if_match(stop, if_match, session)
    walk = stop.walk
    order = list(walk.stops)
    order.insert(min(max(stop.position, 1), len(order) + 1) - 1, stop)
    stop.deleted_at, stop.deleted_by = None, None
    stop.revision += 1
    stop.updated_at = datetime.now(UTC)
    for position, each in enumerate(order, start=1):
        each.position = position
    record_revision(session, stop, user_id, "restored after deletion")
    record_event(session, user_id, "stop.undelete", "stop", f"{walk.slug}/{stop.slug}", revision=stop.revision)
    session.expire(walk, ["stops", "deleted_stops"])


def purge_stop(session: Session, stop: Stop, user_id: int | None) -> None:
    """Remove a deleted stop for good (an admin's act): its slug becomes free; the audit log keeps its last state.

    Its revisions go with it: SQLite may give a later stop the same id, and that stop's history must
    not start with someone else's revisions.
    """
    if stop.deleted_at is None:
        raise ValidationError([_("stop: '%(slug)s' must be deleted before it can be purged", slug=stop.slug)])
    walk: Walk = stop.walk
    revisions = session.scalar(
        select(func.count()).select_from(Revision).where(Revision.entity == "stop", Revision.entity_id == stop.id)
    )
    record_event(
        session,
        user_id,
        "stop.purge",
        "stop",
        f"{walk.slug}/{stop.slug}",
        revisions=revisions,
        last_state=stop_state(stop),
    )
    for other in session.scalars(select(Stop).where(Stop.twin_id == stop.id)):
        # The other city's stop loses its twin link: a change to that stop, so a revision of its own.
        other.twin = None
        other.revision += 1
        other.updated_at = datetime.now(UTC)
        record_revision(session, other, user_id, f"twin {walk.slug}/{stop.slug} purged")
    session.execute(delete(Revision).where(Revision.entity == "stop", Revision.entity_id == stop.id))
    session.delete(stop)
    session.flush()
    session.expire(walk, ["stops", "deleted_stops"])


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC), PostgreSQL aware ones: compare them as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def still_public(stop: Stop) -> bool:
    """Whether tourists still see this deleted stop: it was public in the last publication, made before the delete."""
    walk = stop.walk
    if stop.deleted_at is None or stop.status != "published" or walk.status != "published":
        return False
    return walk.published_at is None or _utc(walk.published_at) <= _utc(stop.deleted_at)


def deleted_stop_entries(session: Session, walk: Walk) -> list[dict[str, object]]:
    """Return the walk's deleted stops, newest first, with who deleted them and whether tourists still see them."""
    entries = []
    for stop in walk.deleted_stops:
        who = session.get(User, stop.deleted_by) if stop.deleted_by else None
        entries.append(
            {
                "stop": stop,
                "etag": etag_of(stop),
                "deleted_by": who.email if who else "",
                "still_public": still_public(stop),
            }
        )
    return entries
