"""Import into a walk from a file: stops as GeoJSON, or positions as GPX waypoints. All or nothing.

Every feature is validated before anything is written; one bad feature imports nothing, and the
error names the feature and the field. The caller commits once, so a crash mid-import leaves
the database as it was.
"""

import gpxpy
import gpxpy.gpx
from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..errors import DomainError, ValidationError
from ..json_input import parse_json
from ..json_types import JSONObject
from ..messages import _
from ..models import Stop, Walk
from ..walks.bundles import SLUG
from ..walks.lookup import stop_state
from ..walks.validation import geojson_problems, positions_problems
from .merging import changed_fields, overlay_languages
from .rules import STOP_EDITABLE, clean_stop_fields
from .saves import add_draft_stops, apply_stop_fields, clean_walk_path, deleted_slug_problem, replace_walk_path

MAX_FEATURES = 5000
# One stop an import will write: its slug, its checked fields, and the fields as the file gave them.
PlannedStop = tuple[str, JSONObject, JSONObject]


def _media_by_file(walk: Walk) -> dict[str, str]:
    """Return {bundle file name: media name} for the media the walk's stops already use."""
    known = {}
    for stop in walk.stops:
        for item in [*stop.images, *stop.audio.values()]:
            known[item["file"]] = item["media"]
    return known


def _with_media(items: object, known: dict[str, str], label: str, problems: list[str]) -> object:
    """Give each image/audio entry its stored media, found by its bundle file name."""

    def resolve(item: object, where: str) -> object:
        if isinstance(item, dict) and "media" not in item:
            if not isinstance(item.get("file"), str) or item["file"] not in known:
                unknown = _(
                    "file %(file)s is not among this walk's media; upload it in the editor first",
                    file=repr(str(item.get("file"))[:80]),
                )
                problems.append(f"{where}: {unknown}")
                return item
            return {**item, "media": known[item["file"]]}
        return item

    if isinstance(items, list):
        return [resolve(item, f"{label} images[{n}]") for n, item in enumerate(items, start=1)]
    if isinstance(items, dict):
        return {lang: resolve(item, f"{label} audio ({lang})") for lang, item in items.items()}
    return items


def _feature_changes(
    session: Session, walk: Walk, n: int, feature: object, known: dict[str, str], problems: list[str]
) -> PlannedStop | None:
    label = f"feature {n}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.append(f"{label}: " + _("must be a GeoJSON Feature"))
        return None
    slug = feature.get("id")
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.append(
            f"{label}: "
            + _("id must be a stop slug (lowercase letters, digits, dashes), got %(id)s", id=repr(str(slug)[:40]))
        )
        return None
    label = f"feature {n} ('{slug}')"
    if any(s.slug == slug for s in walk.deleted_stops):  # the row still holds the slug: an insert would fail
        problems.append(f"{label}: {deleted_slug_problem(slug)}")
        return None
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        problems.append(f"{label}: " + _("properties must be an object"))
        return None
    data = {k: v for k, v in props.items() if k in STOP_EDITABLE}
    geometry = feature.get("geometry")
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if (
        not isinstance(geometry, dict)
        or geometry.get("type") != "Point"
        or not isinstance(coordinates, list)
        or len(coordinates) not in (2, 3)
    ):
        problems.append(f"{label}: " + _("geometry must be a Point with [longitude, latitude]"))
        return None
    data["lon"], data["lat"] = coordinates[0], coordinates[1]
    stored = next((s for s in walk.stops if s.slug == slug), None)
    if stored is not None:  # a language the file leaves out stays as it is
        data = overlay_languages(stop_state(stored), data, STOP_EDITABLE)
    for key in ("images", "audio"):
        if key in data:
            data[key] = _with_media(data[key], known, label, problems)
    try:
        return slug, clean_stop_fields(session, walk, data), data
    except ValidationError as exc:
        problems.extend(f"{label}: {problem}" for problem in exc.problems)
        return None


def import_geojson(session: Session, walk: Walk, raw: bytes, user_id: int | None) -> JSONObject:
    """Update and add stops from a GeoJSON FeatureCollection; return what changed."""
    collection = parse_json(raw, "file")
    structure = geojson_problems(collection, "file")
    geometry = (
        collection.get("geometry") if isinstance(collection, dict) and collection.get("type") == "Feature" else None
    )
    if isinstance(geometry, dict) and geometry.get("type") == "LineString":
        clean_walk_path(geometry.get("coordinates"), "GeoJSON")  # names each bad position, before the rest
        if structure:
            raise ValidationError(structure[:50])
        before = walk.revision
        changed = replace_walk_path(session, walk, geometry.get("coordinates"), user_id, "GeoJSON")
        summary: JSONObject = {
            "updated": ["path"] if changed else [],
            "created": [],
            "unchanged": [] if changed else ["path"],
            "changes": {},
            "revisions": {},
            "path_revisions": [before, walk.revision] if changed else None,
        }
        return _record_import(session, walk, summary, user_id)
    if (
        not isinstance(collection, dict)
        or collection.get("type") != "FeatureCollection"
        or not isinstance(collection.get("features"), list)
    ):
        raise ValidationError(["file: " + _("must be a GeoJSON FeatureCollection of stops")])
    features = collection["features"]
    if len(features) > MAX_FEATURES:
        raise ValidationError(
            [
                "file: "
                + _("at most %(limit)d features per import (got %(count)d)", limit=MAX_FEATURES, count=len(features))
            ]
        )
    problems = (structure + positions_problems(collection, "file"))[:50]
    planned: list[PlannedStop] = []
    seen: set[str] = set()
    known = _media_by_file(walk)
    for n, feature in enumerate(features, start=1):
        result = _feature_changes(session, walk, n, feature, known, problems)
        if result:
            if result[0] in seen:
                problems.append(f"feature {n} ('{result[0]}'): " + _("the id appears twice in the file"))
            seen.add(result[0])
            planned.append(result)
    if problems:
        raise ValidationError(problems)
    return _record_import(session, walk, _apply(session, walk, planned, user_id), user_id)


def _apply(session: Session, walk: Walk, planned: list[PlannedStop], user_id: int | None) -> JSONObject:
    stops = {s.slug: s for s in walk.stops}
    summary: JSONObject = {"updated": [], "created": [], "unchanged": [], "changes": {}, "revisions": {}}
    new: list[tuple[str, JSONObject]] = []
    for slug, clean, _data in planned:
        if slug in stops:
            stop = stops[slug]
            before, before_revision = stop_state(stop), stop.revision
            changed = apply_stop_fields(session, stop, clean, user_id, "imported from GeoJSON")
            summary["updated" if changed else "unchanged"].append(slug)
            if changed:
                summary["changes"][slug] = changed_fields(before, stop_state(stop), STOP_EDITABLE)
                summary["revisions"][slug] = [before_revision, stop.revision]
        else:
            new.append((slug, clean))
            summary["created"].append(slug)
    add_draft_stops(session, walk, new, user_id)
    return summary


def _record_import(session: Session, walk: Walk, summary: JSONObject, user_id: int | None) -> JSONObject:
    """Log the import with what undoing it needs: each stop's revision before and after it."""
    event = record_event(
        session,
        user_id,
        "walk.import",
        "walk",
        walk.slug,
        **{k: len(summary[k]) for k in ("updated", "created", "unchanged")},
        revisions=summary["revisions"],
        created_stops=summary["created"],
        path=summary.get("path_revisions"),
    )
    session.flush()
    summary["event_id"] = event.id
    return summary


def import_gpx_positions(session: Session, walk: Walk, raw: bytes, user_id: int | None) -> JSONObject:
    """Move stops to the positions of GPX waypoints named by stop id (or by a stop's name)."""
    try:
        gpx = gpxpy.parse(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, gpxpy.gpx.GPXException, ValueError) as exc:
        raise ValidationError(["file: " + _("not a readable GPX file (%(error)s)", error=str(exc)[:200])]) from exc
    by_name: dict[str, Stop] = {}
    for walk_stop in walk.stops:
        by_name[walk_stop.slug] = walk_stop
        for name in walk_stop.name.values():
            by_name.setdefault(name.strip().lower(), walk_stop)
    track = [[p.longitude, p.latitude] for t in gpx.tracks for segment in t.segments for p in segment.points]
    track = track or [[p.longitude, p.latitude] for route in gpx.routes for p in route.points]
    if len(gpx.waypoints) > MAX_FEATURES:
        raise ValidationError(
            [
                "file: "
                + _(
                    "at most %(limit)d waypoints per import (got %(count)d)",
                    limit=MAX_FEATURES,
                    count=len(gpx.waypoints),
                )
            ]
        )
    if not gpx.waypoints and not track:
        raise ValidationError(
            [
                "file: the GPX file has no waypoints (<wpt>) for stop positions "
                "and no track (<trk>) or route (<rte>) for the path"
            ]
        )
    problems: list[str] = []
    planned: list[PlannedStop] = []
    for n, point in enumerate(gpx.waypoints, start=1):
        name = (point.name or "").strip()
        stop = by_name.get(name) or by_name.get(name.lower())
        label = f"waypoint {n} ('{name[:60]}')"
        if stop is None:
            problems.append(f"{label}: " + _("no stop of this walk has that id or name"))
            continue
        try:
            planned.append(
                (stop.slug, clean_stop_fields(session, walk, {"lat": point.latitude, "lon": point.longitude}), {})
            )
        except DomainError as exc:
            problems.extend(f"{label}: {p}" for p in getattr(exc, "problems", [exc.message]))
    if problems:
        raise ValidationError(problems)
    summary = _apply(session, walk, planned, user_id)
    before = walk.revision
    if track and replace_walk_path(session, walk, track, user_id, "GPX track"):
        summary["updated"].append("path")
        summary["path_revisions"] = [before, walk.revision]
    return _record_import(session, walk, summary, user_id)


def import_file(session: Session, walk: Walk, raw: bytes, filename: str, user_id: int | None) -> JSONObject:
    """Import a GeoJSON or GPX file, recognised by its content."""
    head = raw[:1000].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return import_gpx_positions(session, walk, raw, user_id)
    return import_geojson(session, walk, raw, user_id)
