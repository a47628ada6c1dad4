"""The streets of a basemap's tiles as a graph: where they bend, cross and join, and how far apart.

Each tile's road lines are cut at the tile's edge and joined once (crossings, and side streets that
end just short of a street because tiles simplify lines); the router then adds joined tiles to one
graph as it needs them, where a street cut at a tile's edge meets its continuation in the next tile.
Positions are in global units (UNITS per tile at the router's zoom, y downwards) and in (lon, lat).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ..geometry import distance_m
from .corridor import clip_to_square
from .vector_tiles import TileDecodeError, layer_lines

ROADS_LAYER = "roads"
# Lines of the roads layer nobody walks along: motorways, rails, ferries, lifts.
NOT_WALKABLE = frozenset({"highway", "rail", "ferry", "aerialway"})
UNITS = 4096  # global units per tile (a tile's usual extent): ~0.2 m at z15 in Ghent
SAME_POINT_UNITS = 1.5  # ~0.3 m at z15: one position, wherever a line was cut
# Tiles simplify lines: a side street's end may stop this short of the street it joins, and a
# crossing may have lost its shared point. Streets that meet within this distance meet.
TOUCH_UNITS = 2.5
CELL_UNITS = 128  # the spatial index's cell (~25 m at z15)

End = tuple[float, float, tuple[float, float]]  # (gx, gy, (lon, lat))
Point = tuple[float, float]


@dataclass(frozen=True)
class Segment:
    a: int
    b: int
    start: tuple[float, float]  # global units
    end: tuple[float, float]
    layered: bool  # a bridge or tunnel


@dataclass
class StreetGraph:
    """Street crossings and bends as nodes, with walkable links between them in metres."""

    positions: list[tuple[float, float]] = field(default_factory=list)  # (lon, lat)
    units: list[tuple[float, float]] = field(default_factory=list)  # (gx, gy)
    links: list[dict[int, float]] = field(default_factory=list)
    _points: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    _link_cells: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)

    def node(self, gx: float, gy: float, position: tuple[float, float]) -> int:
        """Return the node at (gx, gy), adding it unless one is within SAME_POINT_UNITS."""
        cell = (int(gx // 2), int(gy // 2))
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in self._points.get((cell[0] + dx, cell[1] + dy), ()):
                    ox, oy = self.units[other]
                    if abs(ox - gx) <= SAME_POINT_UNITS and abs(oy - gy) <= SAME_POINT_UNITS:
                        return other
        self._points.setdefault(cell, []).append(len(self.positions))
        return self.add_node(position, (gx, gy))

    def add_node(self, position: tuple[float, float], units: tuple[float, float]) -> int:
        """Add a node that no other position snaps to (a clicked point's place on a street)."""
        self.positions.append(position)
        self.units.append(units)
        self.links.append({})
        return len(self.positions) - 1

    def link(self, a: int, b: int, indexed: bool = True) -> None:
        if a == b:
            return
        metres = distance_m(self.positions[a], self.positions[b])
        if b not in self.links[a] and indexed:
            (ax, ay), (bx, by) = self.units[a], self.units[b]
            for cx in range(int(min(ax, bx) // CELL_UNITS), int(max(ax, bx) // CELL_UNITS) + 1):
                for cy in range(int(min(ay, by) // CELL_UNITS), int(max(ay, by) // CELL_UNITS) + 1):
                    self._link_cells.setdefault((cx, cy), []).append((a, b))
        self.links[a][b] = self.links[b][a] = min(metres, self.links[a].get(b, math.inf))

    def links_near(self, gx: float, gy: float, radius_units: float) -> set[tuple[int, int]]:
        """Return the links that may pass within `radius_units` of (gx, gy)."""
        found: set[tuple[int, int]] = set()
        for cx in range(int((gx - radius_units) // CELL_UNITS), int((gx + radius_units) // CELL_UNITS) + 1):
            for cy in range(int((gy - radius_units) // CELL_UNITS), int((gy + radius_units) // CELL_UNITS) + 1):
                found.update(self._link_cells.get((cx, cy), ()))
        return found

    def drop_nodes_from(self, first: int) -> None:
        """Remove the nodes numbered `first` and up, added for one route only, with their links."""
        for node in range(len(self.positions) - 1, first - 1, -1):
            for other in self.links[node]:
                self.links[other].pop(node, None)
            self.positions.pop()
            self.units.pop()
            self.links.pop()


def join_tile(data: bytes | None, tx: int, ty: int, lonlat: Callable[[float, float], Point]) -> list[tuple[End, End]]:
    """Return the walkable links of one tile (plain MVT bytes), joined where its streets meet."""
    try:
        extent, lines = layer_lines(data, ROADS_LAYER) if data else (UNITS, [])
    except TileDecodeError:
        extent, lines = UNITS, []  # a damaged tile routes as one without streets
    graph, segments = StreetGraph(), []
    for line in lines:
        if line.kind in NOT_WALKABLE:
            continue
        for p, q in zip(line.points, line.points[1:], strict=False):
            clipped = _clip(p, q, extent)
            if clipped is None:
                continue
            # Global units: UNITS per tile whatever the tile's extent, so neighbouring tiles agree.
            points = [((tx + x / extent) * UNITS, (ty + y / extent) * UNITS) for x, y in clipped]
            nodes = [graph.node(gx, gy, (gx, gy)) for gx, gy in points]
            if nodes[0] != nodes[1]:
                segments.append(Segment(nodes[0], nodes[1], points[0], points[1], line.layered))
    splits = _meetings(graph, segments)
    ends = [(gx, gy, lonlat(gx, gy)) for gx, gy in graph.units]
    links = []
    for index, segment in enumerate(segments):
        chain = [segment.a, *(node for _, node in sorted(splits.get(index, []))), segment.b]
        links += [(ends[u], ends[v]) for u, v in zip(chain, chain[1:], strict=False) if u != v]
    return links


def _clip(a: Point, b: Point, size: float) -> tuple[Point, Point] | None:
    """Clip segment a-b to the square 0..size; None when it lies outside."""
    part = clip_to_square(a[0], a[1], b[0], b[1], 0.0, 0.0, size, size)
    if part is None:
        return None
    (t0, t1), dx, dy = part, b[0] - a[0], b[1] - a[1]
    return (a[0] + t0 * dx, a[1] + t0 * dy), (a[0] + t1 * dx, a[1] + t1 * dy)


def _meetings(graph: StreetGraph, segments: list[Segment]) -> dict[int, list[tuple[float, int]]]:
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
                node = graph.node(gx, gy, (gx, gy))
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
