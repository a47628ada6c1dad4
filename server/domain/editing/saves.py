"""Saving edits: validated first, checked against the version the editor started from, one revision each.

A save names the revision it was based on (the ETag the editor received). If the stop moved on
meanwhile, `StaleEdit` carries the current state so the editor can show both versions and merge.
"""

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..walks.bundles import SLUG
from ..control_characters import character_problem
from .rules import clean_stop_fields, clean_walk_fields
from ..errors import Conflict, DomainError, ValidationError
from ..geometry import valid_position
from ..walks.validation import path_problems, position_problems
from ..models import Stop, Walk
from .revisions import record_revision
from ..walks.lookup import stop_state, walk_state


class PreconditionRequired(DomainError):
    status = 428
    code = "precondition_required"


class StaleEdit(Conflict):
    """The object changed since the editor loaded it; `current` is its state now."""

    def __init__(self, obj: Walk | Stop):
        who = "stop" if isinstance(obj, Stop) else "walk"
        super().__init__(f"Someone else saved this {who} meanwhile (now revision {obj.revision}). "
                         "Compare both versions, merge, and save again.")
        self.current = stop_state(obj) if isinstance(obj, Stop) else walk_state(obj)
        self.current_etag = etag_of(obj)


def etag_of(obj: Walk | Stop) -> str:
    """Return the strong ETag naming this object's current revision."""
    kind = "stop" if isinstance(obj, Stop) else "walk"
    return f'"{kind}-{obj.id}-r{obj.revision}"'


def check_if_match(obj: Walk | Stop, if_match: str | None) -> None:
    """Refuse a write that names no version (428) or an old one (412)."""
    if not if_match or not if_match.strip() or if_match.strip() == "*":
        raise PreconditionRequired("Send the If-Match header with the ETag of the version you edited, "
                                   "so nobody's work is overwritten unseen.")
    tags = [tag.strip() for tag in if_match.split(",")]
    if etag_of(obj) not in tags:  # strong comparison: a weak tag never matches (RFC 9110)
        raise StaleEdit(obj)


def _touch(obj: Walk | Stop) -> None:
    obj.revision += 1
    obj.updated_at = datetime.now(timezone.utc)


def _link_twins(session: Session, stop: Stop, twin: Stop | None, user_id, message) -> None:
    """Set the stop's twin and keep the link two-way, recording a revision for each stop touched."""
    touched = []
    if stop.twin is not None and stop.twin is not twin and stop.twin.twin is stop:
        stop.twin.twin = None
        touched.append(stop.twin)
    if twin is not None and twin.twin is not stop:
        if twin.twin is not None and twin.twin.twin is twin:
            twin.twin.twin = None
            touched.append(twin.twin)
        twin.twin = stop
        touched.append(twin)
    stop.twin = twin
    for other in touched:
        if other is not stop:
            _touch(other)
            record_revision(session, other, user_id, f"twin link follows {stop.walk.slug}/{stop.slug}: {message}")


def save_stop(session: Session, stop: Stop, data, if_match: str | None, user_id: int | None,
              message: str = "") -> bool:
    """Apply an editor's changes to a stop; return False when nothing changed (no revision)."""
    check_if_match(stop, if_match)
    clean = clean_stop_fields(session, stop.walk, data)
    problem = character_problem(message, "message", one_line=True)
    if problem:
        raise ValidationError([problem])
    return apply_stop_fields(session, stop, clean, user_id, message)


def apply_stop_fields(session: Session, stop: Stop, clean: dict, user_id: int | None, message: str = "") -> bool:
    """Write validated fields to a stop and record a revision; False when nothing changed."""
    before = stop_state(stop)
    twin = clean.pop("twin", stop.twin)
    for name, value in clean.items():
        setattr(stop, name, value)
    if twin is not stop.twin:
        _link_twins(session, stop, twin, user_id, message or "edited")
    if stop_state(stop) == before:
        return False
    _touch(stop)
    record_revision(session, stop, user_id, message or "edited")
    return True


def create_stop(session: Session, walk: Walk, slug: str, data, user_id: int | None) -> Stop:
    """Add a draft stop at the end of the walk."""
    slug = slug.strip() if isinstance(slug, str) else ""
    problems = []
    if not SLUG.match(slug):
        problems.append("slug: lowercase letters, digits and dashes, such as 'old-fish-market'")
    elif any(s.slug == slug for s in walk.stops):
        problems.append(f"slug: the walk already has a stop called '{slug}'")
    if not isinstance(data, dict) or "lat" not in data or "lon" not in data:
        problems.append("lat/lon: a new stop needs a position")
    if problems:
        raise ValidationError(problems)
    clean = clean_stop_fields(session, walk, {**data, "status": "draft"})
    return add_draft_stops(session, walk, [(slug, clean)], user_id)[0]


def add_draft_stops(session: Session, walk: Walk, new: list[tuple[str, dict]], user_id: int | None) -> list[Stop]:
    """Append stops (slug, validated fields) as drafts at the end of the walk, with one revision each."""
    added = []
    for position, (slug, clean) in enumerate(new, start=len(walk.stops) + 1):
        clean = {**clean, "status": "draft"}
        twin = clean.pop("twin", None)
        stop = Stop(slug=slug, position=position, revision=1, **clean)
        walk.stops.append(stop)
        added.append((stop, twin))
    # One flush for all: each flush compares the walk's whole list of stops, so one per stop is quadratic.
    session.flush()
    for stop, twin in added:
        if twin is not None:
            _link_twins(session, stop, twin, user_id, "new stop")
        record_revision(session, stop, user_id, "created")
        record_event(session, user_id, "stop.create", "stop", f"{walk.slug}/{stop.slug}")
    return [stop for stop, _ in added]


def save_walk(session: Session, walk: Walk, data, if_match: str | None, user_id: int | None) -> bool:
    """Apply an editor's changes to a walk's texts and settings; False when nothing changed."""
    check_if_match(walk, if_match)
    clean = clean_walk_fields(data)
    if "default_language" in clean and clean["default_language"] not in walk.languages:
        raise ValidationError([f"default_language: must be one of the walk's languages {walk.languages}"])
    before = walk_state(walk)
    for name, value in clean.items():
        setattr(walk, name, value)
    if walk_state(walk) == before:
        return False
    _touch(walk)
    record_revision(session, walk, user_id, "edited")
    return True


def reorder_stops(session: Session, walk: Walk, slugs, if_match: str | None, user_id: int | None) -> None:
    """Put the walk's stops in the order of `slugs` (the order belongs to the walk: one walk revision)."""
    check_if_match(walk, if_match)
    current = [s.slug for s in walk.stops]
    if not (isinstance(slugs, list) and all(isinstance(s, str) for s in slugs)) or sorted(slugs) != sorted(current):
        raise ValidationError(["order: must list every stop of the walk exactly once"])
    if slugs == current:
        return
    by_slug = {s.slug: s for s in walk.stops}
    for position, slug in enumerate(slugs, start=1):
        by_slug[slug].position = position
    _touch(walk)
    record_revision(session, walk, user_id, "stops reordered: " + ", ".join(slugs))
    session.expire(walk, ["stops"])


MAX_PATH_POSITIONS = 20_000


def replace_walk_path(session: Session, walk: Walk, coordinates, user_id: int | None, source: str) -> bool:
    """Replace the walk's path (a LineString's [lon, lat] positions) as one walk revision."""
    if not isinstance(coordinates, list) or not 2 <= len(coordinates) <= MAX_PATH_POSITIONS:
        raise ValidationError([f"path: needs 2 to {MAX_PATH_POSITIONS} positions"])
    problems, path = [], []
    for n, position in enumerate(coordinates, start=1):
        if not (isinstance(position, (list, tuple)) and len(position) in (2, 3)
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in position)
                and valid_position(*position[:2])):
            problems.append(f"path position {n}: not a valid [longitude, latitude] pair ({str(position)[:60]})")
        else:
            # GPS tracks carry float noise in their decimals: round those; a GeoJSON file must be clean.
            problems += [p for p in position_problems(list(position), f"path position {n}")
                         if source != "GPX track" or "decimals" not in p]
            path.append([round(position[0], 7), round(position[1], 7)])
    if not problems:
        problems += path_problems(path, "path")
    if problems:
        raise ValidationError(problems[:20])
    if path == walk.path:
        return False
    walk.path = path
    _touch(walk)
    record_revision(session, walk, user_id, f"path imported from {source}")
    record_event(session, user_id, "walk.path", "walk", walk.slug, positions=len(path))
    return True
