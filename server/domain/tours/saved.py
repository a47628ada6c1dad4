"""A guide's saved tours: the tour's link parameters, a title and private notes per stop.

Only the owner changes a saved tour; it reads it, and so do the guides it shares it with
(`sharing.py` holds that rule). The tour itself is validated against the published walk by the caller.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..control_characters import character_problem
from ..errors import ValidationError
from ..messages import _
from ..models import SavedTour
from .planning import MAX_TITLE, Tour, tour_parameters
from .sharing import owned_saved_tour, readable_saved_tour

MAX_NOTE = 2000
SETTINGS = ("start", "start_label", "end", "end_label", "loop", "pace", "stay", "stays", "waypoints", "date", "time")


def list_saved_tours(session: Session, owner_id: int) -> list[SavedTour]:
    return list(
        session.scalars(
            select(SavedTour)
            .where(SavedTour.owner_id == owner_id)
            .order_by(SavedTour.updated_at.desc(), SavedTour.id.desc())
        )
    )


def clean_notes(notes: object, tour: Tour, kept: Sequence[str] = ()) -> dict[str, str]:
    """Return the notes for the tour's stops (and kept ones), blank ones dropped, or raise naming what is wrong."""
    if notes is None:
        return {}
    if not isinstance(notes, dict):
        raise ValidationError(["notes: " + _("an object of stop → note.")])
    slugs = {stop.slug for stop in tour.stops} | set(kept)
    if len(notes) > len(slugs):
        raise ValidationError(["notes: " + _("at most one note per stop of the tour (%(count)d).", count=len(slugs))])
    problems, cleaned = [], {}
    for slug, note in notes.items():
        if not isinstance(note, str):
            problems.append(f"notes.{slug[:40]}: " + _("a note is text."))
        elif problem := character_problem(note, f"notes.{slug[:40]}"):
            problems.append(problem)
        elif len(note) > MAX_NOTE:
            problems.append(f"notes.{slug[:40]}: " + _("at most %(count)d characters.", count=MAX_NOTE))
        elif slug not in slugs:
            problems.append(f"notes.{slug[:40]}: " + _("that stop is not in the tour."))
        elif note.strip():
            cleaned[slug] = note.strip()
    if problems:
        raise ValidationError(problems)
    return cleaned


def save_tour(
    session: Session, owner_id: int, tour: Tour, notes: object, tour_id: int | None = None, keep: object = None
) -> SavedTour:
    """Create (or, with `tour_id`, replace) the owner's saved tour.

    `keep` names stops of the saved tour that are no longer public: they stay in it, with their notes,
    until the guide removes them (a stop may be published again).
    """
    saved = owned_saved_tour(session, tour_id, owner_id) if tour_id is not None else SavedTour(owner_id=owner_id)
    in_tour = {stop.slug for stop in tour.stops}
    if keep is not None and (not isinstance(keep, list) or not all(isinstance(s, str) for s in keep)):
        raise ValidationError(["keep: " + _("a list of stops.")])
    kept = [slug for slug in (saved.stops or []) if slug in set(keep or ()) and slug not in in_tour]
    cleaned = clean_notes(notes, tour, kept)
    title = tour.title or ""
    if len(title) > MAX_TITLE:
        raise ValidationError(["title: " + _("at most %(count)d characters.", count=MAX_TITLE)])
    parameters = tour_parameters(tour)
    saved.walk_slug = tour.walk
    saved.title = title
    saved.language = tour.language
    saved.stops = [stop.slug for stop in tour.stops] + kept
    saved.notes = cleaned
    saved.settings = {name: parameters[name] for name in SETTINGS if name in parameters}
    saved.updated_at = datetime.now(UTC)
    session.add(saved)
    session.flush()
    record_event(
        session,
        owner_id,
        "tour.update" if tour_id else "tour.create",
        "saved_tour",
        saved.id,
        walk=tour.walk,
        stops=len(saved.stops),
    )
    return saved


def delete_saved_tour(session: Session, tour_id: int, owner_id: int) -> None:
    saved = owned_saved_tour(session, tour_id, owner_id)
    session.delete(saved)
    record_event(session, owner_id, "tour.delete", "saved_tour", tour_id, walk=saved.walk_slug)


def duplicate_saved_tour(session: Session, tour_id: int, reader_id: int, title_suffix: str = "") -> SavedTour:
    """Copy a tour the guide may read (theirs, or one shared with them), notes and all, as their own."""
    original = readable_saved_tour(session, tour_id, reader_id)
    copy = SavedTour(
        owner_id=reader_id,
        walk_slug=original.walk_slug,
        title=(original.title + title_suffix)[:MAX_TITLE],
        language=original.language,
        stops=list(original.stops),
        notes=dict(original.notes),
        settings=dict(original.settings or {}),
        updated_at=datetime.now(UTC),
    )
    session.add(copy)
    session.flush()
    record_event(session, reader_id, "tour.copy", "saved_tour", copy.id, walk=copy.walk_slug, original=tour_id)
    return copy


def saved_tour_parameters(saved: SavedTour, published: set[str] | None = None) -> dict[str, str]:
    """Return the query parameters that open the saved tour in the planner and its exports.

    With `published`, stops that are no longer public are left out (they stay in the saved tour).
    """
    stops = [s for s in saved.stops if published is None or s in published]
    params = {"walk": saved.walk_slug, "stops": ",".join(stops), "lang": saved.language}
    if saved.title:
        params["title"] = saved.title
    params.update({k: v for k, v in (saved.settings or {}).items() if k in SETTINGS})
    return params
