"""The walking path on the map: read, check, save (If-Match), and "follow the streets" between two points."""

import math

from flask import Response, current_app, jsonify, request

from ..auth import signed_in_user
from ..db import get_session
from ..domain.basemap.installed import installed_basemap
from ..domain.basemap.street_routes import NoRoute, StreetRouter
from ..domain.editing.path_edits import drawn_path_problems, save_walk_path, walk_path_warnings
from ..domain.editing.saves import clean_walk_path, commit_save, etag_of
from ..domain.errors import NotFound, ValidationError
from ..domain.geometry import WALKING_SPEED_M_PER_MIN, path_length_m, valid_position
from ..domain.json_types import JSONObject
from ..domain.models import Walk
from ..domain.walks.lookup import get_walk
from ..json_body import json_body
from ..tiles import tile_store
from .blueprint import bp
from .path_words import no_route_message


def _path_answer(walk: Walk, **extra: object) -> Response:
    response = jsonify(
        {
            "path": walk.path or [],
            "path_accuracy": walk.path_accuracy,
            "length_m": round(path_length_m(walk.path or [])),
            "warnings": walk_path_warnings(walk),
            "revision": walk.revision,
            "etag": etag_of(walk),
            **extra,
        }
    )
    response.headers["ETag"] = etag_of(walk)
    return response


@bp.get("/api/walks/<walk>/path")
def walk_path_json(walk: str) -> Response:
    item = get_walk(get_session(), walk)
    stops = [
        {
            "slug": s.slug,
            "name": s.name,
            "lat": s.lat,
            "lon": s.lon,
            "trigger_radius_m": s.trigger_radius_m or 0,
        }
        for s in item.stops
    ]
    return _path_answer(
        item,
        stops=stops,
        pace_m_per_min=WALKING_SPEED_M_PER_MIN,
        streets=installed_basemap(get_session()) is not None,
    )


@bp.put("/api/walks/<walk>/path")
def walk_path_save(walk: str) -> Response:
    item = get_walk(get_session(), walk)
    data, if_match = json_body("the path"), request.headers.get("If-Match")
    changed = save_walk_path(get_session(), item, data, if_match, signed_in_user().id)
    commit_save(get_session(), item)
    return _path_answer(item, changed=changed)


@bp.post("/api/walks/<walk>/path/check")
def walk_path_check(walk: str) -> Response:
    """Say what the server would say of a path without saving it (the preview)."""
    item = get_walk(get_session(), walk)
    data = json_body("the path")
    problems = drawn_path_problems(data)
    if problems:
        raise ValidationError(problems)
    path = clean_walk_path(data["path"], "editor")
    return jsonify({"length_m": round(path_length_m(path)), "warnings": walk_path_warnings(item, path)})


def _point(data: JSONObject, name: str) -> tuple[float, float]:
    value = data.get(name)
    if not (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)
        and valid_position(*value)
    ):
        raise ValidationError([f"{name}: send the point as [longitude, latitude] (got {str(value)[:60]})"])
    return float(value[0]), float(value[1])


@bp.post("/api/walks/<walk>/street-route")
def street_route(walk: str) -> Response:
    """Return the walk between two points along the basemap's streets, or a straight segment and why."""
    get_walk(get_session(), walk)  # 404 for a walk that does not exist
    data = json_body("the two points")
    start, end = _point(data, "from"), _point(data, "to")
    straight = [[round(start[0], 7), round(start[1], 7)], [round(end[0], 7), round(end[1], 7)]]
    router = _router()
    if router is None:
        return jsonify({"path": straight, "routed": False, "message": no_route_message("no_basemap")})
    try:
        return jsonify({"path": router.route(start, end), "routed": True})
    except NoRoute as reason:
        return jsonify({"path": straight, "routed": False, "message": no_route_message("no_route", str(reason))})


def _router() -> StreetRouter | None:
    """Return the router over the installed basemap (one per basemap version, its tiles cached), or None."""
    basemap = installed_basemap(get_session())
    if basemap is None:
        return None
    version: str = basemap["version"]
    routers: dict[str, StreetRouter] = current_app.extensions.setdefault("street_routers", {})
    # Read the cache once: another request may clear it for a newer basemap between a check and a lookup.
    router = routers.get(version)
    if router is None:
        store = tile_store()

        def read_tile(z: int, x: int, y: int) -> bytes | None:
            try:
                return store.tile(version, z, x, y).plain()
            except NotFound:
                return None

        router = StreetRouter(read_tile, zoom=basemap["maxzoom"])
        routers.clear()  # an older basemap's streets are not needed any more
        routers[version] = router
    return router
