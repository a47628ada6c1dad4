"""Undo an import in one step: every stop it changed goes back, every stop it added goes away.

Only as long as nobody has edited those stops since: a later edit is someone's work, so the undo
then refuses and names the stops (each can still be restored from its own history).
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..errors import NotFound, ValidationError
from ..json_types import JSONObject
from ..messages import _
from ..models import AuditEvent, Revision, Stop, Walk
from .rules import STOP_EDITABLE, clean_stop_fields
from .saves import apply_stop_fields, replace_walk_path


def _import_event(session: Session, walk: Walk, event_id: int) -> AuditEvent:
    event = session.get(AuditEvent, event_id)
    if event is None or event.action != "walk.import" or event.object_id != walk.slug:
        raise NotFound(_("The walk '%(walk)s' has no import number %(number)s.", walk=walk.slug, number=event_id))
    undone = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "walk.import.undo", AuditEvent.object_id == walk.slug)
    )
    if any((e.details or {}).get("import") == event_id for e in undone):
        raise ValidationError([f"import {event_id}: " + _("it has already been undone")])
    return event


def _state_at(session: Session, entity: str, entity_id: int, number: int) -> JSONObject:
    revision = session.scalar(
        select(Revision).where(Revision.entity == entity, Revision.entity_id == entity_id, Revision.number == number)
    )
    if revision is None:
        raise NotFound(f"revision {number} is missing")
    return revision.state


def undo_import(session: Session, walk: Walk, event_id: int, user_id: int | None) -> JSONObject:
    """Put the walk back as it was before import `event_id`; return {"restored", "removed"}."""
    details = _import_event(session, walk, event_id).details or {}
    stops = {s.slug: s for s in walk.stops}
    revisions, created = details.get("revisions") or {}, details.get("created_stops") or []
    path = details.get("path")
    problems = [
        f"{slug}: edited since the import; restore it from its history instead"
        for slug, (_, after) in revisions.items()
        if slug in stops and stops[slug].revision != after
    ]
    problems += [
        f"{slug}: edited since the import; delete it by hand if it should go"
        for slug in created
        if slug in stops and stops[slug].revision != 1
    ]
    if path and walk.revision != path[1]:
        problems.append("path: " + _("the walk changed since the import; restore the path from the walk's history"))
    if problems:
        raise ValidationError(problems)
    for slug, (before, _after) in revisions.items():
        if slug in stops:
            old = _state_at(session, "stop", stops[slug].id, before)
            data = {k: old[k] for k in STOP_EDITABLE if k in old}
            apply_stop_fields(
                session, stops[slug], clean_stop_fields(session, walk, data), user_id, f"import {event_id} undone"
            )
    removed = [slug for slug in created if slug in stops]
    for slug in removed:
        for other in session.scalars(select(Stop).where(Stop.twin_id == stops[slug].id)):
            other.twin = None
        walk.stops.remove(stops[slug])
    for position, stop in enumerate(walk.stops, start=1):
        stop.position = position
    old_path = _state_at(session, "walk", walk.id, path[0]).get("path") if path else None
    if old_path:
        replace_walk_path(session, walk, old_path, user_id, f"the state before import {event_id}")
    record_event(
        session,
        user_id,
        "walk.import.undo",
        "walk",
        walk.slug,
        **{"import": event_id},
        restored=sorted(revisions),
        removed=removed,
    )
    return {"restored": sorted(revisions), "removed": removed}
