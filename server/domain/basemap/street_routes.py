"""Walking routes over the installed basemap's own streets: "follow the streets" in the path editor.

The basemap's vector tiles already hold every street and footpath (the `roads` layer of the Protomaps
schema). Between two points this reads the tiles around them at the basemap's most detailed zoom,
joins the lines into a graph (lines meet where they share a position; a line cut at a tile's edge
meets its continuation in the next tile there), and finds the shortest walk with A*.
No network and no routing server: the same tiles the tourists' phones already have.
"""

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ..geometry import EARTH_RADIUS_M, distance_m
from .vector_tiles import TileDecodeError, layer_lines

ROADS_LAYER = "roads"
# Lines of the roads layer nobody walks along: motorways, rails, ferries, lifts.
NOT_WALKABLE = frozenset({"highway", "rail", "ferry", "aerialway"})
MAX_ZOOM = 15  # the Protomaps basemap's most detailed zoom: every footpath is there
MAX_LEG_M = 3_000  # a leg longer than this is a click in the wrong place, not a street to follow
MAX_TILES = 64
MAX_SNAP_M = 80  # a click farther than this from every street is not on one
MAX_DETOUR = 4.0  # a route this many times the straight line is a gap in the streets, not a walk
SAME_POINT_UNITS = 1.5  # tile units (~0.3 m at z15): one position, wherever a line was cut


class NoRoute(Exception):
    """No street route between the two points; the message says why, for the editor."""


@dataclass
class StreetGraph:
    """Street crossings and bends as nodes (lon, lat), with walkable links between them in metres."""

    positions: list[tuple[float, float]] = field(default_factory=list)
    links: list[dict[int, float]] = field(default_factory=list)
    _cells: dict[tuple[int, int], list[tuple[int, tuple[float, float]]]] = field(default_factory=dict)

    def node(self, gx: float, gy: float, position: tuple[float, float]) -> int:
        """Return the node at global tile units (gx, gy), adding it unless one is within SAME_POINT_UNITS."""
        cell = (int(gx // 2), int(gy // 2))
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other, (ox, oy) in self._cells.get((cell[0] + dx, cell[1] + dy), []):
                    if abs(ox - gx) <= SAME_POINT_UNITS and abs(oy - gy) <= SAME_POINT_UNITS:
                        return other
        self.positions.append(position)
        self.links.append({})
        self._cells.setdefault(cell, []).append((len(self.positions) - 1, (gx, gy)))
        return len(self.positions) - 1

    def link(self, a: int, b: int) -> None:
        if a != b:
            metres = distance_m(self.positions[a], self.positions[b])
            self.links[a][b] = self.links[b][a] = min(metres, self.links[a].get(b, math.inf))

    def add_node(self, position: tuple[float, float]) -> int:
        self.positions.append(position)
        self.links.append({})
        return len(self.positions) - 1


def lonlat_to_tile(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    """Return fractional tile coordinates (x, y) of a position at a zoom (Web Mercator, y downwards)."""
    n = 1 << zoom
    lat = max(-85.05112878, min(85.05112878, lat))
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return (lon + 180) / 360 * n, y


def tile_to_lonlat(x: float, y: float, zoom: int) -> tuple[float, float]:
    n = 1 << zoom
    return x / n * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))


def _clip(a, b, size) -> tuple | None:
    """Clip segment a-b to the square 0..size (Liang-Barsky); None when it lies outside."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0]), (dx, size - a[0]), (-dy, a[1]), (dy, size - a[1])):
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
    return (a[0] + t0 * dx, a[1] + t0 * dy), (a[0] + t1 * dx, a[1] + t1 * dy)


class StreetRouter:
    """Route walks over the streets of one basemap; `read_tile(z, x, y)` gives plain MVT bytes or None."""

    def __init__(self, read_tile: Callable[[int, int, int], bytes | None], zoom: int = MAX_ZOOM):
        self.read_tile = read_tile
        self.zoom = min(zoom, MAX_ZOOM)
        self._tile_lines: dict[tuple[int, int], list] = {}

    def route(self, start: tuple[float, float], end: tuple[float, float]) -> list[list[float]]:
        """Return the walk from start to end (lon, lat) along the streets as [lon, lat] positions."""
        straight = distance_m(start, end)
        if straight > MAX_LEG_M:
            raise NoRoute(
                f"The two points are {straight / 1000:.1f} km apart; follow the streets between points "
                f"at most {MAX_LEG_M / 1000:g} km apart (click a point on the way first)."
            )
        graph = self._graph_around(start, end, margin_m=max(150.0, straight / 2))
        first, last = self._snap(graph, start), self._snap(graph, end)
        if first is None or last is None:
            raise NoRoute(f"No street or footpath of the basemap within {MAX_SNAP_M} m of the point you clicked.")
        found = _shortest(graph, first, last)
        if found is None:
            raise NoRoute("The basemap's streets do not connect these two points.")
        line = [start, *(graph.positions[n] for n in found), end]
        route = [line[0]]
        for position in line[1:]:
            if distance_m(route[-1], position) >= 0.5:
                route.append(position)
        if len(route) < 2:
            route.append(end)
        length = sum(distance_m(a, b) for a, b in zip(route, route[1:], strict=False))
        if straight > 50 and length > MAX_DETOUR * straight:
            raise NoRoute("The only street route is a long detour; the basemap may lack a path here.")
        return [[round(lon, 7), round(lat, 7)] for lon, lat in route]

    def _graph_around(self, a, b, margin_m: float) -> StreetGraph:
        dlat = math.degrees(margin_m / EARTH_RADIUS_M)
        dlon = dlat / max(0.01, math.cos(math.radians((a[1] + b[1]) / 2)))
        x0, y0 = lonlat_to_tile(min(a[0], b[0]) - dlon, max(a[1], b[1]) + dlat, self.zoom)
        x1, y1 = lonlat_to_tile(max(a[0], b[0]) + dlon, min(a[1], b[1]) - dlat, self.zoom)
        tiles = [(x, y) for x in range(int(x0), int(x1) + 1) for y in range(int(y0), int(y1) + 1)]
        if len(tiles) > MAX_TILES:
            raise NoRoute("This leg needs too much of the map at once; click a point on the way first.")
        graph = StreetGraph()
        for tx, ty in tiles:
            for extent, kind, points in self._lines(tx, ty):
                if kind in NOT_WALKABLE:
                    continue
                previous = None
                for p, q in zip(points, points[1:], strict=False):
                    clipped = _clip(p, q, extent)
                    if clipped is None:
                        previous = None
                        continue
                    ends = []
                    for px, py in clipped:
                        gx, gy = tx * extent + px, ty * extent + py
                        lonlat = tile_to_lonlat(tx + px / extent, ty + py / extent, self.zoom)
                        ends.append(graph.node(gx, gy, lonlat))
                    if previous is not None and previous != ends[0]:
                        graph.link(previous, ends[0])
                    graph.link(*ends)
                    previous = ends[1]
        return graph

    def _lines(self, tx: int, ty: int) -> list[tuple[int, str, list]]:
        key = (tx, ty)
        if key not in self._tile_lines:
            data = self.read_tile(self.zoom, tx, ty)
            lines = []
            if data:
                try:
                    extent, found = layer_lines(data, ROADS_LAYER)
                except TileDecodeError:
                    found, extent = [], 4096  # a damaged tile routes as one without streets
                lines = [(extent, line.kind, line.points) for line in found]
            if len(self._tile_lines) > 512:
                self._tile_lines.clear()
            self._tile_lines[key] = lines
        return self._tile_lines[key]

    def _snap(self, graph: StreetGraph, point: tuple[float, float]) -> int | None:
        """Return a node on the nearest street link to `point` (a new one where the point projects)."""
        ky = math.radians(1) * EARTH_RADIUS_M
        kx = ky * math.cos(math.radians(point[1]))
        best = None
        for a, neighbours in enumerate(graph.links):
            ax, ay = graph.positions[a]
            for b in neighbours:
                if b < a:
                    continue
                bx, by = graph.positions[b]
                dx, dy = (bx - ax) * kx, (by - ay) * ky
                px, py = (point[0] - ax) * kx, (point[1] - ay) * ky
                span = dx * dx + dy * dy
                t = 0.0 if span == 0 else max(0.0, min(1.0, (px * dx + py * dy) / span))
                offset = math.hypot(px - t * dx, py - t * dy)
                if best is None or offset < best[0]:
                    best = (offset, a, b, t)
        if best is None or best[0] > MAX_SNAP_M:
            return None
        _, a, b, t = best
        if t <= 0.0:
            return a
        if t >= 1.0:
            return b
        (ax, ay), (bx, by) = graph.positions[a], graph.positions[b]
        middle = graph.add_node((ax + t * (bx - ax), ay + t * (by - ay)))
        graph.link(a, middle)
        graph.link(middle, b)
        return middle


def _shortest(graph: StreetGraph, first: int, last: int) -> list[int] | None:
    """Return the nodes of the shortest walk from first to last (A* on great-circle distance), or None."""
    goal = graph.positions[last]
    queue = [(distance_m(graph.positions[first], goal), 0.0, first)]
    best, came_from = {first: 0.0}, {}
    while queue:
        _, so_far, node = heapq.heappop(queue)
        if node == last:
            path = [node]
            while path[-1] in came_from:
                path.append(came_from[path[-1]])
            return path[::-1]
        if so_far > best.get(node, math.inf):
            continue
        for other, metres in graph.links[node].items():
            total = so_far + metres
            if total < best.get(other, math.inf):
                best[other], came_from[other] = total, node
                heapq.heappush(queue, (total + distance_m(graph.positions[other], goal), total, other))
    return None
