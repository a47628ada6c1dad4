"""The public documents of a walk, rendered from its published stops only.

These functions return plain data; `publishing` turns it into bytes once per walk version.
A draft stop, a draft walk, staff notes and unpublished twins never appear here.
"""

from collections.abc import Iterator
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from ..geometry import bbox, bearing_deg, distance_m, path_length_m, walking_minutes
from ..json_types import JSONObject
from ..models import Stop, Walk

VISIT_MINUTES_PER_STOP = 10  # time at a stop: reading, listening, looking around
COORDINATE_DECIMALS = 6  # ~0.1 m: more would be noise, fewer would move stops


def public_stops(walk: Walk) -> list[Stop]:
    return [stop for stop in walk.stops if stop.status == "published"]


def public_twin(stop: Stop) -> Stop | None:
    twin = stop.twin
    if twin is None or twin.status != "published" or twin.walk.status != "published" or twin.deleted_at is not None:
        return None
    return twin


def media_url(name: str) -> str:
    return f"/media/{name}"


def _point(stop: Stop) -> list[float]:
    return rounded_point(stop.lon, stop.lat)


def rounded_point(lon: float, lat: float) -> list[float]:
    """Return a position as the public documents write it."""
    return [round(lon, COORDINATE_DECIMALS), round(lat, COORDINATE_DECIMALS)]


def _line(walk: Walk) -> list[list[float]]:
    return [[round(c, COORDINATE_DECIMALS) for c in position[:2]] for position in walk.path]


class StopsOutline(NamedTuple):
    """What a walk's summary needs of its published stops: how many, and the corners of their extent."""

    stops: int  # how many (not `count`, which would hide tuple.count)
    corners: list[list[float]]  # [[west, south], [east, north]] rounded, or [] without stops


def stops_outline(stops: list[Stop]) -> StopsOutline:
    points = [_point(s) for s in stops]
    if not points:
        return StopsOutline(0, [])
    return StopsOutline(
        len(points),
        [
            [min(p[0] for p in points), min(p[1] for p in points)],
            [max(p[0] for p in points), max(p[1] for p in points)],
        ],
    )


def published_outlines(session: Session) -> dict[int, StopsOutline]:
    """Return each walk's StopsOutline from one aggregate query, without loading any stop.

    Rounding is monotonic, so rounding the extremes gives the extremes of the rounded points.
    """
    rows = session.execute(
        select(
            Stop.walk_id, func.count(), func.min(Stop.lon), func.min(Stop.lat), func.max(Stop.lon), func.max(Stop.lat)
        )
        .where(Stop.status == "published", Stop.deleted_at.is_(None))
        .group_by(Stop.walk_id)
    )
    return {
        walk_id: StopsOutline(
            count,
            [
                [round(west, COORDINATE_DECIMALS), round(south, COORDINATE_DECIMALS)],
                [round(east, COORDINATE_DECIMALS), round(north, COORDINATE_DECIMALS)],
            ],
        )
        for walk_id, count, west, south, east, north in rows
    }


def walk_summary(walk: Walk, outline: StopsOutline | None = None) -> JSONObject:
    """Return what a list of walks shows about one walk (`outline`: its stops', when already known)."""
    outline = outline or stops_outline(public_stops(walk))
    length = round(path_length_m(walk.path))
    walking = walking_minutes(length)
    return {
        "slug": walk.slug,
        "city": walk.city,
        "country": walk.country,
        "title": walk.title,
        "languages": walk.languages,
        "default_language": walk.default_language,
        "stop_count": outline.stops,
        "length_m": length,
        "walking_minutes": walking,
        # "schematic": drawn by hand, so length and times are estimates and the line is not a route to follow
        "path_accuracy": walk.path_accuracy,
        "duration_minutes": walking + VISIT_MINUTES_PER_STOP * outline.stops,
        "bbox": bbox(_line(walk) + outline.corners),
        "version": walk.version,
        "published_at": walk.published_at.isoformat() if walk.published_at else None,
        "url": f"/api/walks/{walk.slug}",
    }


def render_walk_index(walks: list[Walk], outlines: dict[int, StopsOutline] | None = None) -> JSONObject:
    """Return the list of published walks (`outlines` by walk id spares loading every walk's stops)."""
    if outlines is None:
        return {"walks": [walk_summary(w) for w in walks if w.status == "published"]}
    empty = StopsOutline(0, [])
    return {"walks": [walk_summary(w, outlines.get(w.id, empty)) for w in walks if w.status == "published"]}


def _twin_summary(stop: Stop) -> JSONObject | None:
    twin = public_twin(stop)
    if twin is None:
        return None
    here, there = (stop.lon, stop.lat), (twin.lon, twin.lat)
    return {
        "walk": twin.walk.slug,
        "stop": twin.slug,
        "city": twin.walk.city,
        "name": twin.name,
        "coordinates": _point(twin),
        "distance_km": round(distance_m(here, there) / 1000),
        "bearing_deg": round(bearing_deg(here, there)),
    }


def render_walk(walk: Walk, basemap: JSONObject | None = None) -> JSONObject:
    """Return one walk: metadata, path, stop summaries and its basemap (enough for the map and the list).

    `basemap` is what `basemap.walk_basemap` says about the tiles along this walk (None: no basemap).
    """
    stops = [stop_summary(s, n) for n, s in enumerate(public_stops(walk), start=1)]
    return {**walk_head(walk), "stops": stops, **walk_tail(walk, basemap)}


def walk_head(walk: Walk, outline: StopsOutline | None = None) -> JSONObject:
    """Return the members of `render_walk` that come before its stops (`outline`: the stops', when known)."""
    return {
        **walk_summary(walk, outline),
        "intro": walk.intro,
        "license": walk.license,
        "attribution": walk.attribution,
        "path": {"type": "LineString", "coordinates": _line(walk)},
    }


def walk_tail(walk: Walk, basemap: JSONObject | None) -> JSONObject:
    """Return the members of `render_walk` that come after its stops."""
    base = f"/api/walks/{walk.slug}"
    return {
        "basemap": basemap,
        "links": {"stops": f"{base}/stops", "path": f"{base}/path", "gpx": f"{base}/gpx", "offline": f"{base}/offline"},
    }


def stop_summary(stop: Stop, order: int) -> JSONObject:
    """Return what the walk document says of one stop (enough for the map and the list)."""
    return {
        "slug": stop.slug,
        "order": order,
        "name": stop.name,
        "summary": stop.summary,
        "coordinates": _point(stop),
        "trigger_radius_m": stop.trigger_radius_m,
        "position_confidence": stop.position_confidence,
    }


def stop_properties(stop: Stop, order: int) -> JSONObject:
    """Return the public properties of a stop (the stop page's content)."""
    return {
        "order": order,
        "name": stop.name,
        "name_reading": stop.name_reading,
        "summary": stop.summary,
        "body": stop.body,
        "address": stop.address,
        "opening_hours": stop.opening_hours,
        "accessibility": stop.accessibility,
        "position_confidence": stop.position_confidence,
        "trigger_radius_m": stop.trigger_radius_m,
        "images": [
            {"url": media_url(i["media"]), "alt": i.get("alt", {}), "credit": i.get("credit", "")} for i in stop.images
        ],
        "audio": {
            lang: {"url": media_url(a["media"]), "transcript": a.get("transcript", "")}
            for lang, a in stop.audio.items()
        },
        "twin": _twin_summary(stop),
        "sources": [dict(source) for source in stop.sources or []],
    }


def stop_features(walk: Walk) -> Iterator[JSONObject]:
    """Yield the published stops as RFC 7946 Features, in walking order, one at a time."""
    for order, stop in enumerate(public_stops(walk), start=1):
        yield stop_feature(stop, order)


def stop_feature(stop: Stop, order: int) -> JSONObject:
    """Return one published stop as an RFC 7946 Feature (`order`: its place among the published stops)."""
    return {
        "type": "Feature",
        "id": stop.slug,
        "geometry": {"type": "Point", "coordinates": _point(stop)},
        "properties": stop_properties(stop, order),
    }


STOP_BATCH = 100  # stops loaded at a time by `published_stop_rows`


def published_stop_rows(session: Session, walk: Walk) -> Iterator[Stop]:
    """Yield the walk's published stops in walking order, loaded STOP_BATCH at a time, none kept.

    What `public_stops(walk)` lists, without loading `walk.stops`: the caller lets each stop go, so a
    10,000-stop walk is never in memory at once (nor are the driver's raw rows of all its texts).
    """
    query = select(Stop).where(is_public_stop_of(walk)).order_by(Stop.position).execution_options(yield_per=STOP_BATCH)
    yield from session.scalars(query)


def is_public_stop_of(walk: Walk) -> ColumnElement[bool]:
    """Return the condition `public_stops(walk)` applies, for a query: published and not deleted."""
    return and_(Stop.walk_id == walk.id, Stop.deleted_at.is_(None), Stop.status == "published")


def render_stops(walk: Walk) -> JSONObject:
    """Return the published stops as an RFC 7946 FeatureCollection, in walking order."""
    return {"type": "FeatureCollection", "features": list(stop_features(walk))}


def render_path(walk: Walk) -> JSONObject:
    """Return the walking path as an RFC 7946 Feature."""
    return {
        "type": "Feature",
        "id": walk.slug,
        "geometry": {"type": "LineString", "coordinates": _line(walk)},
        "properties": {
            "walk": walk.slug,
            "title": walk.title,
            "length_m": round(path_length_m(walk.path)),
            "accuracy": walk.path_accuracy,
        },
    }


def media_names(walk: Walk) -> list[str]:
    """Return the media files the published stops use, each once, in walking order."""
    names = []
    for stop in public_stops(walk):
        for item in [*stop.images, *stop.audio.values()]:
            if item["media"] not in names:
                names.append(item["media"])
    return names
