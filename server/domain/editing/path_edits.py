"""Saving a path drawn in the editor: checked like an imported one, one walk revision, never over a colleague's."""

from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..control_characters import character_problem
from ..errors import ValidationError
from ..json_types import Coordinates, JSONObject
from ..messages import _
from ..models import PATH_ACCURACIES, Walk
from ..walks.path_checks import StopOnPath, path_warnings
from .revisions import record_revision
from .saves import _revision, _touch, check_if_match, clean_walk_path, require_if_match, revision_named

# A hand-drawn path of a few kilometres has tens to hundreds of points; routed legs add a few per street.
MAX_DRAWN_POSITIONS = 5_000


def stops_on_path(walk: Walk) -> list[StopOnPath]:
    return [StopOnPath(s.slug, s.lon, s.lat, s.trigger_radius_m or 0) for s in walk.stops]


def drawn_path_problems(data: object) -> list[str]:
    """Return, in plain words, why a drawn path cannot be saved (before the position checks)."""
    if not isinstance(data, dict):
        return ["path: " + _('send {"path": [[longitude, latitude], ...]}')]
    unknown = sorted(set(data) - {"path", "path_accuracy", "message"})
    problems = [f"{key}: " + _("is not part of a path save") for key in unknown]
    path = data.get("path")
    if not isinstance(path, list):
        problems.append("path: " + _("missing; send the path as a list of [longitude, latitude] points"))
    elif len(path) < 2:
        problems.append("path: " + _("a path needs at least two points; click the map to add another"))
    elif len(path) > MAX_DRAWN_POSITIONS:
        problems.append(
            "path: "
            + _(
                "%(count)d points is more than the %(most)d a walk's path may have; simplify it or import it as a file",
                count=len(path),
                most=MAX_DRAWN_POSITIONS,
            )
        )
    if "path_accuracy" in data and data["path_accuracy"] not in PATH_ACCURACIES:
        problems.append("path_accuracy: " + _("must be one of %(choices)s", choices=", ".join(PATH_ACCURACIES)))
    if "message" in data:
        message = data["message"]
        problem = character_problem(message, "message", one_line=True) if isinstance(message, str) else None
        if not isinstance(message, str) or problem:
            problems.append(problem or "message: " + _("must be text"))
    return problems


def save_walk_path(session: Session, walk: Walk, data: JSONObject, if_match: str | None, user_id: int | None) -> bool:
    """Replace the walk's path (and its accuracy) as one walk revision; False when nothing changed."""
    require_if_match(if_match)
    problems = drawn_path_problems(data)
    if problems:
        raise ValidationError(problems)
    path = clean_walk_path(data["path"], "editor")
    accuracy = data.get("path_accuracy", walk.path_accuracy)
    if not _path_unchanged_since(session, walk, if_match):
        check_if_match(walk, if_match, session, {"path": path, "path_accuracy": accuracy})
    if path == walk.path and accuracy == walk.path_accuracy:
        return False
    walk.path, walk.path_accuracy = path, accuracy
    _touch(walk)
    note = data.get("message", "").strip()[:120]
    record_revision(
        session,
        walk,
        user_id,
        f"path drawn in the editor ({len(path)} points, {accuracy})" + (f": {note}" if note else ""),
    )
    record_event(session, user_id, "walk.path", "walk", walk.slug, positions=len(path), accuracy=accuracy)
    return True


def walk_path_warnings(walk: Walk, path: Coordinates | None = None) -> list[JSONObject]:
    """Return the path warnings for the walk's stored path (or for `path`, as if it were saved)."""
    return path_warnings(path if path is not None else walk.path or [], stops_on_path(walk))


def _path_unchanged_since(session: Session, walk: Walk, if_match: str | None) -> bool:
    """True when the revision the editor started from has the path stored now.

    A colleague who changed only the walk's texts or stop order meanwhile is no conflict for the path
    (as a reorder is none for the texts): only a path changed on both sides is refused with a 412.
    """
    number = revision_named(walk, if_match)
    base = _revision(session, walk, number) if number else None
    if base is None:
        return False
    return base.state.get("path") == walk.path and base.state.get("path_accuracy") == walk.path_accuracy
