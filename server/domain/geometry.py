"""Geometry on the sphere: distances, bearings and path lengths in metres (WGS84, mean radius)."""

from collections.abc import Sequence
from itertools import pairwise
from math import asin, atan2, cos, degrees, radians, sin, sqrt

EARTH_RADIUS_M = 6_371_008.8
WALKING_SPEED_M_PER_MIN = 75  # 4.5 km/h: an unhurried group pace

# A (lon, lat) position: a tuple, or a list as GeoJSON stores it.
Point = Sequence[float]


def distance_m(a: Point, b: Point) -> float:
    """Return the great-circle distance between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(radians, (a[0], a[1], b[0], b[1]))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(h)))


def bearing_deg(a: Point, b: Point) -> float:
    """Return the initial compass bearing from a to b, 0..360 (0 = north)."""
    lon1, lat1, lon2, lat2 = map(radians, (a[0], a[1], b[0], b[1]))
    y = sin(lon2 - lon1) * cos(lat2)
    x = cos(lat1) * sin(lat2) - sin(lat1) * cos(lat2) * cos(lon2 - lon1)
    return (degrees(atan2(y, x)) + 360) % 360


def path_length_m(coordinates: Sequence[Point]) -> float:
    """Return the length of a LineString's coordinates."""
    return sum(distance_m(a, b) for a, b in pairwise(coordinates))


def walking_minutes(length_m: float) -> int:
    """Return the walking time for a distance, rounded up to whole minutes."""
    return -(-int(round(length_m)) // WALKING_SPEED_M_PER_MIN)


def bbox(coordinates: Sequence[Point]) -> list[float]:
    """Return [west, south, east, north] of (lon, lat) coordinates (RFC 7946 order)."""
    lons = [c[0] for c in coordinates]
    lats = [c[1] for c in coordinates]
    return [min(lons), min(lats), max(lons), max(lats)]


def distance_to_path_m(point: Point, coordinates: Sequence[Point]) -> float:
    """Return the distance from a point to the nearest segment of a path (local flat approximation)."""
    if len(coordinates) == 1:
        return distance_m(point, coordinates[0])
    # Project onto a local tangent plane: metres per degree at the point's latitude.
    ky = radians(1) * EARTH_RADIUS_M
    kx = ky * cos(radians(point[1]))
    px, py = point[0] * kx, point[1] * ky
    best = float("inf")
    for (ax, ay), (bx, by) in pairwise(coordinates):
        ax, ay, bx, by = ax * kx, ay * ky, bx * kx, by * ky
        dx, dy = bx - ax, by - ay
        span = dx * dx + dy * dy
        t = 0.0 if span == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / span))
        best = min(best, sqrt((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2))
    return best


def valid_position(lon: object, lat: object) -> bool:
    """Return True for a finite WGS84 longitude/latitude pair."""
    return (
        isinstance(lon, (int, float))
        and isinstance(lat, (int, float))
        and not isinstance(lon, bool)
        and not isinstance(lat, bool)
        and -180 <= lon <= 180
        and -90 <= lat <= 90
    )
