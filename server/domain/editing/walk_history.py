"""A walk's whole history on one page: its own revisions (texts, order, path), every stop's revisions,
and the events that have no revision of their own (publication, withdrawal, imports), newest first.
"""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..geometry import path_length_m
from ..json_types import JSONObject
from ..messages import N_, _, status_names
from ..models import AuditEvent, Revision, Walk
from .history import _word_diff, stop_history
from .saves import check_if_match, replace_walk_path, save_walk

EVENT_WORDS = {
    "walk.publish": N_("Published"),
    "walk.unpublish": N_("Withdrawn from the public"),
    "walk.import": N_("File imported"),
    "walk.import.undo": N_("Import undone"),
}
RESTORED_FIELDS = ("city", "country", "default_language", "title", "intro", "notes", "sources", "path_accuracy")
WALK_LABELS = {
    "city": N_("city"),
    "country": N_("country"),
    "default_language": N_("default language"),
    "languages": N_("languages"),
    "title": N_("title"),
    "intro": N_("introduction"),
    "status": N_("status"),
    "notes": N_("staff notes"),
    "sources": N_("sources"),
    "license": N_("licence"),
    "attribution": N_("attribution"),
    "path_accuracy": N_("path accuracy"),
}


def _flatten_walk(state: JSONObject) -> dict[str, str]:
    flat = {}
    for name, value in (state or {}).items():
        if name == "slug":
            continue
        label = _(WALK_LABELS[name]) if name in WALK_LABELS else name.replace("_", " ")
        if name == "status":
            value = status_names().get(value, value)
        if name == "path":
            points, metres = len(value or []), round(path_length_m(value or []))
            flat[_("path")] = _("%(points)d points, %(metres)d m", points=points, metres=metres) if value else ""
        elif isinstance(value, dict):
            for lang, text in value.items():
                flat[f"{label} ({lang})"] = str(text)
        elif isinstance(value, list):
            flat[label] = "; ".join(map(str, value))
        else:
            flat[label] = "" if value is None else str(value)
    return flat


def diff_walk_states(before: JSONObject | None, after: JSONObject) -> list[JSONObject]:
    """Return the walk fields a revision changed, each with a word (or character) level diff."""
    old, new = _flatten_walk(before or {}), _flatten_walk(after)
    return [
        {"field": label, "segments": _word_diff(old.get(label, ""), new.get(label, ""))}
        for label in [*new, *(k for k in old if k not in new)]
        if old.get(label, "") != new.get(label, "")
    ]


def walk_history(session: Session, walk: Walk) -> list[JSONObject]:
    """Return every change to the walk and its stops: {kind, at, author_id, title, message, changes, ...}."""
    entries, previous = [], None
    for revision in session.scalars(
        select(Revision).where(Revision.entity == "walk", Revision.entity_id == walk.id).order_by(Revision.number.asc())
    ):
        entries.append(
            {
                "kind": "walk",
                "at": revision.created_at,
                "author_id": revision.author_id,
                "title": _("Walk revision %(number)s", number=revision.number),
                "message": revision.message,
                "changes": diff_walk_states(previous, revision.state),
                "number": revision.number,
            }
        )
        previous = revision.state
    for stop in [*walk.stops, *walk.deleted_stops]:
        for entry in stop_history(session, stop):
            revision = entry["revision"]
            entries.append(
                {
                    "kind": "stop",
                    "at": revision.created_at,
                    "author_id": revision.author_id,
                    "title": _("Stop %(stop)s, revision %(number)s", stop=stop.slug, number=revision.number),
                    "message": revision.message,
                    "changes": entry["changes"],
                    "stop": stop.slug,
                    "number": revision.number,
                }
            )
    for event in session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "walk",
            AuditEvent.object_id == walk.slug,
            AuditEvent.action.in_(list(EVENT_WORDS)),
        )
    ):
        entries.append(
            {
                "kind": "event",
                "at": event.at,
                "author_id": event.user_id,
                "title": _(EVENT_WORDS[event.action]),
                "message": ", ".join(
                    f"{k} {v}" for k, v in sorted((event.details or {}).items()) if isinstance(v, (int, str))
                ),
                "changes": [],
            }
        )
    return sorted(entries, key=lambda e: (_aware(e["at"]), e["kind"] != "event"), reverse=True)


def _aware(moment: datetime) -> datetime:
    """Compare times from both databases alike (SQLite gives them back without a zone)."""
    if moment is not None and moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def restore_walk_revision(session: Session, walk: Walk, number: int, if_match: str | None, user_id: int | None) -> bool:
    """Make the walk's texts and path equal to revision `number` again, as new revisions."""
    check_if_match(walk, if_match)
    revision = session.scalar(
        select(Revision).where(Revision.entity == "walk", Revision.entity_id == walk.id, Revision.number == number)
    )
    if revision is None:
        raise NotFound(_("The walk '%(walk)s' has no revision %(number)s.", walk=walk.slug, number=number))
    old = revision.state
    changed = save_walk(
        session,
        walk,
        {k: old[k] for k in RESTORED_FIELDS if k in old},
        if_match,
        user_id,
        message=f"restored revision {number}",
    )
    if old.get("path") and old["path"] != walk.path:
        changed = replace_walk_path(session, walk, old["path"], user_id, f"revision {number} (restored)") or changed
    return changed
