"""The basemap tiles a walk needs: every tile within a buffer of its path and stops, per zoom.

Works in Web Mercator (the tiles' own projection) as a unit square, so tiles are plain axis-aligned
squares and "within the buffer" is an exact segment-to-square distance, not a bounding box.
"""

from collections.abc import Iterable, Sequence
from itertools import pairwise
from math import cos, hypot, log, pi, radians, tan

from ..geometry import EARTH_RADIUS_M

MAX_MERCATOR_LAT = 85.05112878


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Return (x, y) of a lon/lat in the Web Mercator unit square (y grows southwards, like tiles)."""
    lat = max(-MAX_MERCATOR_LAT, min(MAX_MERCATOR_LAT, lat))
    phi = radians(lat)
    return (lon + 180.0) / 360.0, (1.0 - log(tan(phi) + 1.0 / cos(phi)) / pi) / 2.0


def _metres_to_units(metres: float, lats: list[float]) -> float:
    # One unit of the square is the equator's length times cos(lat) on the ground; taking the
    # latitude farthest from the equator errs on the side of a slightly wider corridor.
    worst = max(abs(lat) for lat in lats)
    return metres / (2 * pi * EARTH_RADIUS_M * cos(radians(min(worst, MAX_MERCATOR_LAT))))


def _point_to_square(px: float, py: float, x0: float, y0: float, x1: float, y1: float) -> float:
    return hypot(max(x0 - px, 0.0, px - x1), max(y0 - py, 0.0, py - y1))


def _point_to_segment(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / span))
    return hypot(px - ax - t * dx, py - ay - t * dy)


def clip_to_square(
    ax: float, ay: float, bx: float, by: float, x0: float, y0: float, x1: float, y1: float
) -> tuple[float, float] | None:
    """Liang-Barsky: the part of segment a-b inside the square, as fractions (t0, t1) of the way from a
    to b; None when the segment misses the square."""
    t0, t1 = 0.0, 1.0
    dx, dy = bx - ax, by - ay
    for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return t0, t1


def _segment_crosses_square(
    ax: float, ay: float, bx: float, by: float, x0: float, y0: float, x1: float, y1: float
) -> bool:
    return clip_to_square(ax, ay, bx, by, x0, y0, x1, y1) is not None


def segment_to_square(
    a: tuple[float, float], b: tuple[float, float], square: tuple[float, float, float, float]
) -> float:
    """Return the distance between segment a-b and an axis-aligned square (0 when they meet)."""
    x0, y0, x1, y1 = square
    if _segment_crosses_square(*a, *b, x0, y0, x1, y1):
        return 0.0
    corners = ((x0, y0), (x1, y0), (x0, y1), (x1, y1))
    return min(
        _point_to_square(*a, *square),
        _point_to_square(*b, *square),
        *(_point_to_segment(*corner, *a, *b) for corner in corners),
    )


def corridor_tiles(
    lines: Sequence[Sequence[Sequence[float]]], buffer_m: float, zooms: Iterable[int]
) -> list[tuple[int, int, int]]:
    """Return (z, x, y) of every tile within `buffer_m` of the lines (lists of [lon, lat]), per zoom.

    A line of one position is a point (a stop off the path, say). Tiles come sorted by zoom, x, y.
    """
    positions = [p for line in lines for p in line]
    if not positions:
        return []
    buffer = _metres_to_units(buffer_m, [p[1] for p in positions])
    segments = []
    for line in lines:
        points = [mercator(p[0], p[1]) for p in line]
        segments += list(pairwise(points)) if len(points) > 1 else [(points[0], points[0])]
    tiles = set()
    for z in zooms:
        n = 1 << z
        size = 1.0 / n
        for a, b in segments:
            left = max(0, int((min(a[0], b[0]) - buffer) * n))
            right = min(n - 1, int((max(a[0], b[0]) + buffer) * n))
            top = max(0, int((min(a[1], b[1]) - buffer) * n))
            bottom = min(n - 1, int((max(a[1], b[1]) + buffer) * n))
            for x in range(left, right + 1):
                for y in range(top, bottom + 1):
                    if (z, x, y) in tiles:
                        continue
                    square = (x * size, y * size, (x + 1) * size, (y + 1) * size)
                    if segment_to_square(a, b, square) <= buffer:
                        tiles.add((z, x, y))
    return sorted(tiles)


def lonlat_bounds(lines: Sequence[Sequence[Sequence[float]]], buffer_m: float) -> list[float]:
    """Return [west, south, east, north] of the lines grown by about `buffer_m` on every side."""
    lons = [p[0] for line in lines for p in line]
    lats = [p[1] for line in lines for p in line]
    dlat = buffer_m / (radians(1) * EARTH_RADIUS_M)
    dlon = dlat / max(cos(radians(max(abs(min(lats)), abs(max(lats))))), 0.01)
    return [
        round(min(lons) - dlon, 6),
        round(min(lats) - dlat, 6),
        round(max(lons) + dlon, 6),
        round(max(lats) + dlat, 6),
    ]
