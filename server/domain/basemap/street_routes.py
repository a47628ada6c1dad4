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
UNITS = 4096  # global units per tile (a tile's usual extent): ~0.2 m at z15 in Ghent
SAME_POINT_UNITS = 1.5  # ~0.3 m at z15: one position, wherever a line was cut
# Tiles simplify lines: a side street's end may stop this short of the street it joins, and a
# crossing may have lost its shared point. Streets that meet within this distance meet.
TOUCH_UNITS = 2.5
CELL_UNITS = 128  # the spatial index's cell for finding streets that meet (~25 m at z15)


@dataclass(frozen=True)
class Segment:
    a: int
    b: int
    start: tuple[float, float]  # global units
    end: tuple[float, float]
    layered: bool  # a bridge or tunnel


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
        graph, segments = StreetGraph(), []
        for tx, ty in tiles:
            for extent, kind, layered, points in self._lines(tx, ty):
                if kind in NOT_WALKABLE:
                    continue
                for p, q in zip(points, points[1:], strict=False):
                    clipped = _clip(p, q, extent)
                    if clipped is None:
                        continue
                    # Global units: UNITS per tile whatever the tile's extent, so neighbouring tiles agree.
                    ends = [((tx + x / extent) * UNITS, (ty + y / extent) * UNITS) for x, y in clipped]
                    nodes = [graph.node(gx, gy, self._lonlat(gx, gy)) for gx, gy in ends]
                    if nodes[0] != nodes[1]:
                        segments.append(Segment(nodes[0], nodes[1], ends[0], ends[1], layered))
        splits = _meetings(graph, segments, self._lonlat)
        for index, segment in enumerate(segments):
            chain = [segment.a, *(node for _, node in sorted(splits.get(index, []))), segment.b]
            for u, v in zip(chain, chain[1:], strict=False):
                graph.link(u, v)
        return graph

    def _lonlat(self, gx: float, gy: float) -> tuple[float, float]:
        return tile_to_lonlat(gx / UNITS, gy / UNITS, self.zoom)

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
                lines = [(extent, line.kind, line.layered, line.points) for line in found]
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


def _meetings(graph: StreetGraph, segments: list[Segment], lonlat) -> dict[int, list[tuple[float, int]]]:
    """Return, per segment, the nodes (with their place 0..1 along it) where other streets meet it.

    Streets meet where they cross, or where one ends on (or just short of) another. A bridge or
    tunnel crosses streets without meeting them; it meets them only at its ends.
    """
    cells: dict[tuple[int, int], list[int]] = {}
    for index, segment in enumerate(segments):
        (ax, ay), (bx, by) = segment.start, segment.end
        for cx in range(int(min(ax, bx) // CELL_UNITS), int(max(ax, bx) // CELL_UNITS) + 1):
            for cy in range(int(min(ay, by) // CELL_UNITS), int(max(ay, by) // CELL_UNITS) + 1):
                cells.setdefault((cx, cy), []).append(index)
    splits: dict[int, list[tuple[float, int]]] = {}
    seen = set()
    for members in cells.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                s, o = segments[i], segments[j]
                if {s.a, s.b} & {o.a, o.b}:
                    continue
                meeting = _meeting(s, o)
                if meeting is None:
                    continue
                t, u, (gx, gy) = meeting
                node = graph.node(gx, gy, lonlat(gx, gy))
                for index, segment, place in ((i, s, t), (j, o, u)):
                    if node not in (segment.a, segment.b):
                        splits.setdefault(index, []).append((place, node))
    return splits


def _meeting(s: Segment, o: Segment) -> tuple[float, float, tuple[float, float]] | None:
    """Return (place on s, place on o, point) where two segments meet, or None."""
    (px, py), (qx, qy) = s.start, o.start
    rx, ry = s.end[0] - px, s.end[1] - py
    sx, sy = o.end[0] - qx, o.end[1] - qy
    denominator = rx * sy - ry * sx
    if denominator == 0:
        return None  # parallel: they meet, if at all, at a shared point
    t = ((qx - px) * sy - (qy - py) * sx) / denominator
    u = ((qx - px) * ry - (qy - py) * rx) / denominator
    slack_s = TOUCH_UNITS / math.hypot(rx, ry)
    slack_o = TOUCH_UNITS / math.hypot(sx, sy)
    if not (-slack_s <= t <= 1 + slack_s and -slack_o <= u <= 1 + slack_o):
        return None
    at_end_s = t <= slack_s or t >= 1 - slack_s
    at_end_o = u <= slack_o or u >= 1 - slack_o
    if (s.layered or o.layered) and not (at_end_s or at_end_o):
        return None  # a bridge over a street, or a tunnel under it
    t, u = min(1.0, max(0.0, t)), min(1.0, max(0.0, u))
    return t, u, (px + t * rx, py + t * ry)


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
