"""Saving edits: validated first, checked against the version the editor started from, one revision each.

A save names the revision it was based on (the ETag the editor received). If the stop moved on
meanwhile, `StaleEdit` carries the current state so the editor can show both versions and merge.
"""

import re
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..control_characters import character_problem
from ..errors import Conflict, DomainError, ValidationError
from ..geometry import valid_position
from ..json_types import JSONObject
from ..messages import _
from ..models import Revision, Stop, User, Walk
from ..walks.bundles import SLUG
from ..walks.lookup import stop_state, walk_state
from ..walks.validation import path_problems, position_problems
from .merging import merge_states
from .revisions import record_revision
from .rules import STOP_EDITABLE, WALK_EDITABLE, clean_stop_fields, clean_walk_fields


class PreconditionRequired(DomainError):
    status = 428
    code = "precondition_required"


class StaleEdit(Conflict):
    """The object changed since the editor loaded it; `current` is its state now.

    With the session and what the editor sent, it also carries the version both sides started from
    (`base`), a three-way `merge` of the two edits, and who saved the newer version and when.
    """

    def __init__(
        self,
        obj: Walk | Stop,
        session: Session | None = None,
        if_match: str | None = None,
        yours: JSONObject | None = None,
    ):
        if isinstance(obj, Stop):
            message = _(
                "Someone else saved this stop meanwhile (now revision %(number)s). "
                "Compare both versions, merge, and save again.",
                number=obj.revision,
            )
        else:
            message = _(
                "Someone else saved this walk meanwhile (now revision %(number)s). "
                "Compare both versions, merge, and save again.",
                number=obj.revision,
            )
        super().__init__(message)
        self.current = stop_state(obj) if isinstance(obj, Stop) else walk_state(obj)
        self.current_etag = etag_of(obj)
        self.base, self.merge, self.saved_by, self.saved_at = None, None, None, None
        if session is None:
            return
        latest = _revision(session, obj, obj.revision)
        if latest is not None:
            author = session.get(User, latest.author_id) if latest.author_id else None
            self.saved_by = author.email if author else None
            self.saved_at = latest.created_at.isoformat() if latest.created_at else None
        base_number = revision_named(obj, if_match)
        base = _revision(session, obj, base_number) if base_number else None
        self.base = base.state if base is not None else None
        if yours is not None:
            fields = STOP_EDITABLE if isinstance(obj, Stop) else WALK_EDITABLE
            self.merge = merge_states(self.base, self.current, yours, fields)


class StopDeleted(DomainError):
    """An edit of a stop that is in the walk's "Deleted" list: it must be restored first."""

    status = 409
    code = "stop_deleted"


def refuse_if_deleted(stop: Stop) -> None:
    if stop.deleted_at is not None:
        raise StopDeleted(
            _(
                "The stop '%(slug)s' was deleted. Restore it from the walk page's \"Deleted\" list to edit it again.",
                slug=stop.slug,
            )
        )


def _revision(session: Session, obj: Walk | Stop, number: int) -> Revision | None:
    entity = "stop" if isinstance(obj, Stop) else "walk"
    return session.scalar(
        select(Revision).where(Revision.entity == entity, Revision.entity_id == obj.id, Revision.number == number)
    )


def revision_named(obj: Walk | Stop, if_match: str | None) -> int | None:
    """Return the revision number an If-Match header names for this object, if it names one."""
    kind = "stop" if isinstance(obj, Stop) else "walk"
    for tag in (if_match or "").split(","):
        match = re.fullmatch(rf'"{kind}-{obj.id}-r(\d+)"', tag.strip())
        if match:
            return int(match.group(1))
    return None


def commit_save(session: Session, obj: Walk | Stop) -> None:
    """Commit a save; if another save of the same revision won the race, raise it as a stale edit."""
    try:
        session.commit()
    except IntegrityError:  # the revisions' unique (entity, id, number): the other save committed first
        session.rollback()
        session.refresh(obj)
        raise StaleEdit(obj, session) from None


def etag_of(obj: Walk | Stop) -> str:
    """Return the strong ETag naming this object's current revision."""
    kind = "stop" if isinstance(obj, Stop) else "walk"
    return f'"{kind}-{obj.id}-r{obj.revision}"'


def check_if_match(
    obj: Walk | Stop, if_match: str | None, session: Session | None = None, yours: JSONObject | None = None
) -> None:
    """Refuse a write that names no version (428) or an old one (412, with a merge when `yours` is given)."""
    require_if_match(if_match)
    tags = [tag.strip() for tag in (if_match or "").split(",")]  # never empty here: refused just above
    if etag_of(obj) not in tags:  # strong comparison: a weak tag never matches (RFC 9110)
        raise StaleEdit(obj, session, if_match, yours)


def require_if_match(if_match: str | None) -> None:
    """Refuse a write that names no version at all (428)."""
    if not if_match or not if_match.strip() or if_match.strip() == "*":
        raise PreconditionRequired(
            _(
                "Send the If-Match header with the ETag of the version you edited, "
                "so nobody's work is overwritten unseen."
            )
        )


def _touch(obj: Walk | Stop) -> None:
    obj.revision += 1
    obj.updated_at = datetime.now(UTC)


def _link_twins(session: Session, stop: Stop, twin: Stop | None, user_id: int | None, message: str) -> None:
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


def save_stop(
    session: Session, stop: Stop, data: object, if_match: str | None, user_id: int | None, message: str = ""
) -> bool:
    """Apply an editor's changes to a stop; return False when nothing changed (no revision)."""
    require_if_match(if_match)
    refuse_if_deleted(stop)
    clean = clean_stop_fields(session, stop.walk, data)
    problem = character_problem(message, "message", one_line=True)
    if problem:
        raise ValidationError([problem])
    check_if_match(stop, if_match, session, stop_request_state(clean))
    changed = apply_stop_fields(session, stop, clean, user_id, message)
    if changed:
        record_event(session, user_id, "stop.save", "stop", f"{stop.walk.slug}/{stop.slug}", revision=stop.revision)
    return changed


def stop_request_state(clean: JSONObject) -> JSONObject:
    """Return validated stop fields in the form states and requests use (the twin as '<walk>/<stop>')."""
    state = dict(clean)
    if "twin" in state:
        twin = state["twin"]
        state["twin"] = f"{twin.walk.slug}/{twin.slug}" if twin is not None else None
    return state


def apply_stop_fields(session: Session, stop: Stop, clean: JSONObject, user_id: int | None, message: str = "") -> bool:
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


def create_stop(session: Session, walk: Walk, slug: str, data: JSONObject, user_id: int | None) -> Stop:
    """Add a draft stop at the end of the walk."""
    slug = slug.strip() if isinstance(slug, str) else ""
    problems = []
    if not SLUG.match(slug):
        problems.append("slug: " + _("lowercase letters, digits and dashes, such as 'old-fish-market'"))
    elif any(s.slug == slug for s in walk.stops):
        problems.append("slug: " + _("the walk already has a stop called '%(stop)s'", stop=slug))
    elif any(s.slug == slug for s in walk.deleted_stops):
        problems.append(deleted_slug_problem(slug))
    if not isinstance(data, dict) or "lat" not in data or "lon" not in data:
        problems.append("lat/lon: " + _("a new stop needs a position"))
    if problems:
        raise ValidationError(problems)
    clean = clean_stop_fields(session, walk, {**data, "status": "draft"})
    return add_draft_stops(session, walk, [(slug, clean)], user_id)[0]


def deleted_slug_problem(slug: str) -> str:
    return _(
        "slug: a deleted stop of this walk still holds '%(slug)s'; restore it, "
        "pick another slug, or ask an admin to purge the deleted stop",
        slug=slug,
    )


def add_draft_stops(session: Session, walk: Walk, new: list[tuple[str, JSONObject]], user_id: int | None) -> list[Stop]:
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


def save_walk(
    session: Session, walk: Walk, data: object, if_match: str | None, user_id: int | None, message: str = "edited"
) -> bool:
    """Apply an editor's changes to a walk's texts and settings; False when nothing changed."""
    require_if_match(if_match)
    clean = clean_walk_fields(data)
    check_if_match(walk, if_match, session, clean)
    languages = clean.get("languages", walk.languages)
    if clean.get("default_language", walk.default_language) not in languages:
        raise ValidationError(
            ["default_language: " + _("must be one of the walk's languages %(languages)s", languages=languages)]
        )
    before = walk_state(walk)
    for name, value in clean.items():
        setattr(walk, name, value)
    if walk_state(walk) == before:
        return False
    _touch(walk)
    record_revision(session, walk, user_id, message)
    record_event(session, user_id, "walk.edit", "walk", walk.slug, revision=walk.revision)
    return True


def reorder_stops(session: Session, walk: Walk, slugs: object, if_match: str | None, user_id: int | None) -> None:
    """Put the walk's stops in the order of `slugs` (the order belongs to the walk: one walk revision)."""
    check_if_match(walk, if_match)
    current = [s.slug for s in walk.stops]
    if not (isinstance(slugs, list) and all(isinstance(s, str) for s in slugs)) or sorted(slugs) != sorted(current):
        raise ValidationError(
            [
                "order: "
                + _("must list every stop of the walk exactly once (reload: a stop may have been added or deleted)")
            ]
        )
    if slugs == current:
        return
    by_slug = {s.slug: s for s in walk.stops}
    for position, slug in enumerate(slugs, start=1):
        by_slug[slug].position = position
    _touch(walk)
    record_revision(session, walk, user_id, "stops reordered: " + ", ".join(slugs))
    record_event(session, user_id, "walk.reorder", "walk", walk.slug, revision=walk.revision)
    session.expire(walk, ["stops"])


def move_stop(session: Session, walk: Walk, slug: str, direction: str, user_id: int | None) -> bool:
    """Move one stop a place up or down in the walk's order as it is now; False if it cannot move.

    "Move this stop up" means the same on a page loaded a while ago, so it needs no If-Match: a
    colleague's reorder or text edit meanwhile is no conflict (B4, B12).
    """
    order = [s.slug for s in walk.stops]
    if slug not in order:
        raise ValidationError(["stop: " + _("the walk has no stop called '%(stop)s' (any more)", stop=slug[:60])])
    i, step = order.index(slug), -1 if direction == "up" else 1
    if not 0 <= i + step < len(order):
        return False
    order[i], order[i + step] = order[i + step], order[i]
    reorder_stops(session, walk, order, etag_of(walk), user_id)
    return True


MAX_PATH_POSITIONS = 20_000


def replace_walk_path(session: Session, walk: Walk, coordinates: object, user_id: int | None, source: str) -> bool:
    """Replace the walk's path (a LineString's [lon, lat] positions) as one walk revision."""
    path = clean_walk_path(coordinates, source)
    if path == walk.path:
        return False
    walk.path = path
    _touch(walk)
    record_revision(session, walk, user_id, f"path imported from {source}")
    record_event(session, user_id, "walk.path", "walk", walk.slug, positions=len(path))
    return True


def clean_walk_path(coordinates: object, source: str) -> list[list[float]]:
    """Return the path's positions checked and rounded, or raise ValidationError naming each bad position."""
    if not isinstance(coordinates, list) or not 2 <= len(coordinates) <= MAX_PATH_POSITIONS:
        raise ValidationError(["path: " + _("needs 2 to %(count)d positions", count=MAX_PATH_POSITIONS)])
    problems, path = [], []
    for n, position in enumerate(coordinates, start=1):
        if not (
            isinstance(position, (list, tuple))
            and len(position) in (2, 3)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in position)
            and valid_position(*position[:2])
        ):
            problems.append(
                f"path position {n}: "
                + _("not a valid [longitude, latitude] pair (%(position)s)", position=str(position)[:60])
            )
        else:
            # GPS tracks carry float noise in their decimals: round those; a GeoJSON file must be clean.
            problems += [
                p
                for p in position_problems(list(position), f"path position {n}")
                if source != "GPX track" or "decimals" not in p
            ]
            path.append([round(position[0], 7), round(position[1], 7)])
    if not problems:
        problems += path_problems(path, "path")
    if problems:
        raise ValidationError(problems[:20])
    return path
