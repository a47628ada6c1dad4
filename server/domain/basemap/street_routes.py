"""Walking routes over the installed basemap's own streets: "follow the streets" in the path editor.

The basemap's vector tiles already hold every street and footpath (the `roads` layer of the Protomaps
schema). Between two points this reads the tiles around them at the basemap's most detailed zoom,
adds their streets to a graph (street_graph.py) and finds the shortest walk with A*. No network
and no routing server: the same tiles the tourists' phones already have. The graph stays between
legs, so drawing a walk leg by leg reads and joins each tile once.
"""

import heapq
import math
import threading
from collections.abc import Callable

from ..geometry import EARTH_RADIUS_M, distance_m
from ..messages import _
from .street_graph import UNITS, Point, StreetGraph, join_tile

MAX_ZOOM = 15  # the Protomaps basemap's most detailed zoom: every footpath is there
MAX_LEG_M = 3_000  # a leg longer than this is a click in the wrong place, not a street to follow
MAX_TILES = 64  # tiles one leg may need
MAX_GRAPH_TILES = 400  # tiles kept joined in the graph (a city centre); then it starts afresh
MAX_SNAP_M = 80  # a click farther than this from every street is not on one
MAX_DETOUR = 4.0  # a route this many times the straight line is a gap in the streets, not a walk


class NoRoute(Exception):
    """No street route between the two points; the message says why, for the editor."""


def lonlat_to_tile(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    """Return fractional tile coordinates (x, y) of a position at a zoom (Web Mercator, y downwards)."""
    n = 1 << zoom
    lat = max(-85.05112878, min(85.05112878, lat))
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return (lon + 180) / 360 * n, y


def tile_to_lonlat(x: float, y: float, zoom: int) -> tuple[float, float]:
    n = 1 << zoom
    return x / n * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))


class StreetRouter:
    """Route walks over the streets of one basemap; `read_tile(z, x, y)` gives plain MVT bytes or None."""

    def __init__(self, read_tile: Callable[[int, int, int], bytes | None], zoom: int = MAX_ZOOM):
        self.read_tile = read_tile
        self.zoom = min(zoom, MAX_ZOOM)
        self._graph = StreetGraph()
        self._tiles: set[tuple[int, int]] = set()
        self._lock = threading.Lock()  # one graph, grown and searched by one request at a time

    def route(self, start: tuple[float, float], end: tuple[float, float]) -> list[list[float]]:
        """Return the walk from start to end (lon, lat) along the streets as [lon, lat] positions."""
        straight = distance_m(start, end)
        if straight > MAX_LEG_M:
            raise NoRoute(
                _(
                    "The two points are %(distance)s km apart; follow the streets between points "
                    "at most %(limit)s km apart (click a point on the way first).",
                    distance=format(straight / 1000, ".1f"),
                    limit=format(MAX_LEG_M / 1000, "g"),
                )
            )
        tiles = self._tiles_around(start, end, margin_m=max(150.0, straight / 3))
        with self._lock:
            self._add_tiles(tiles)
            graph, temporary = self._graph, len(self._graph.positions)
            try:
                found = self._search(graph, start, end)
                line = [start, *(graph.positions[n] for n in found), end]
            finally:
                graph.drop_nodes_from(temporary)
        route = [line[0]]
        for position in line[1:]:
            if distance_m(route[-1], position) >= 0.5:
                route.append(position)
        if len(route) < 2:
            route.append(end)
        length = sum(distance_m(a, b) for a, b in zip(route, route[1:], strict=False))
        if straight > 50 and length > MAX_DETOUR * straight:
            raise NoRoute(_("The only street route is a long detour; the basemap may lack a path here."))
        return [[round(lon, 7), round(lat, 7)] for lon, lat in route]

    def _search(self, graph: StreetGraph, start: Point, end: Point) -> list[int]:
        first, last = self._snap(graph, start), self._snap(graph, end)
        if first is None or last is None:
            raise NoRoute(
                _(
                    "No street or footpath of the basemap within %(metres)s m of the point you clicked.",
                    metres=MAX_SNAP_M,
                )
            )
        if first[1] == last[1]:  # both on one link: walk straight along it, not round its ends
            graph.link(first[0], last[0], indexed=False)
        found = _shortest(graph, first[0], last[0])
        if found is None:
            raise NoRoute(_("The basemap's streets do not connect these two points."))
        return found

    def _tiles_around(self, a: Point, b: Point, margin_m: float) -> list[tuple[int, int]]:
        dlat = math.degrees(margin_m / EARTH_RADIUS_M)
        dlon = dlat / max(0.01, math.cos(math.radians((a[1] + b[1]) / 2)))
        x0, y0 = lonlat_to_tile(min(a[0], b[0]) - dlon, max(a[1], b[1]) + dlat, self.zoom)
        x1, y1 = lonlat_to_tile(max(a[0], b[0]) + dlon, min(a[1], b[1]) - dlat, self.zoom)
        tiles = [(x, y) for x in range(int(x0), int(x1) + 1) for y in range(int(y0), int(y1) + 1)]
        if len(tiles) > MAX_TILES:
            raise NoRoute(_("This leg needs too much of the map at once; click a point on the way first."))
        return tiles

    def _add_tiles(self, tiles: list[tuple[int, int]]) -> None:
        if len(self._tiles) + len(tiles) > MAX_GRAPH_TILES:
            self._graph, self._tiles = StreetGraph(), set()
        for tx, ty in tiles:
            if (tx, ty) in self._tiles:
                continue
            data = self.read_tile(self.zoom, tx, ty)
            for (ax, ay, a), (bx, by, b) in join_tile(data, tx, ty, self._lonlat):
                self._graph.link(self._graph.node(ax, ay, a), self._graph.node(bx, by, b))
            self._tiles.add((tx, ty))

    def _lonlat(self, gx: float, gy: float) -> tuple[float, float]:
        return tile_to_lonlat(gx / UNITS, gy / UNITS, self.zoom)

    def _snap(self, graph: StreetGraph, point: tuple[float, float]) -> tuple[int, tuple[int, int]] | None:
        """Return (node, link) for the nearest street link to `point`: a new node where the point projects."""
        ky = math.radians(1) * EARTH_RADIUS_M
        kx = ky * math.cos(math.radians(point[1]))
        tx, ty = lonlat_to_tile(*point, self.zoom)
        metres_per_unit = 2 * math.pi * EARTH_RADIUS_M * math.cos(math.radians(point[1])) / ((1 << self.zoom) * UNITS)
        best = None
        for a, b in graph.links_near(tx * UNITS, ty * UNITS, MAX_SNAP_M / metres_per_unit):
            (ax, ay), (bx, by) = graph.positions[a], graph.positions[b]
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
        (ax, ay), (bx, by) = graph.positions[a], graph.positions[b]
        (ux, uy), (vx, vy) = graph.units[a], graph.units[b]
        middle = graph.add_node((ax + t * (bx - ax), ay + t * (by - ay)), (ux + t * (vx - ux), uy + t * (vy - uy)))
        graph.link(a, middle, indexed=False)
        graph.link(middle, b, indexed=False)
        return middle, (a, b)


def _shortest(graph: StreetGraph, first: int, last: int) -> list[int] | None:
    """Return the nodes of the shortest walk from first to last (A* on great-circle distance), or None."""
    goal = graph.positions[last]
    queue = [(distance_m(graph.positions[first], goal), 0.0, first)]
    best: dict[int, float] = {first: 0.0}
    came_from: dict[int, int] = {}
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
