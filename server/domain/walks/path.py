"""Walking distances: along the walk's path (which follows the streets) or estimated from the straight line.

The walking path follows the streets, so between two places on it the path's section is a real
walking route; the tour planner uses it wherever that is shorter than its straight-line estimate.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from math import cos, radians, sqrt

from ..geometry import EARTH_RADIUS_M, distance_m

# Streets are not straight: walking routes in old city centres run about 1.2-1.4x the straight line.
ROUTE_FACTOR = 1.3
# A place this close to the walk's path can be walked to along the path (it follows the streets).
ON_PATH_M = 60


@dataclass(frozen=True)
class PathPlace:
    """Where a point meets the path: metres from the path's start, and how far the point is from it."""

    chainage_m: float
    offset_m: float
    segment: int  # index of the segment the point projects onto
    position: tuple[float, float]  # (lon, lat) of the projection


class PathMeasure:
    """A LineString prepared for repeated projections and sections."""

    def __init__(self, coordinates: Iterable[Sequence[float]]) -> None:
        self.coordinates = [(float(c[0]), float(c[1])) for c in coordinates]
        self.cumulative = [0.0]
        for a, b in pairwise(self.coordinates):
            self.cumulative.append(self.cumulative[-1] + distance_m(a, b))

    @property
    def length_m(self) -> float:
        return self.cumulative[-1]

    def locate(self, point: tuple[float, float]) -> PathPlace | None:
        """Return where `point` (lon, lat) projects onto the path, or None for a path of < 2 points."""
        if len(self.coordinates) < 2:
            return None
        # A local tangent plane around the point: metres per degree at its latitude.
        ky = radians(1) * EARTH_RADIUS_M
        kx = ky * cos(radians(point[1]))
        best: tuple[float, int, float] | None = None
        for index, ((ax, ay), (bx, by)) in enumerate(pairwise(self.coordinates)):
            dx, dy = (bx - ax) * kx, (by - ay) * ky
            px, py = (point[0] - ax) * kx, (point[1] - ay) * ky
            span = dx * dx + dy * dy
            t = 0.0 if span == 0 else max(0.0, min(1.0, (px * dx + py * dy) / span))
            offset = sqrt((px - t * dx) ** 2 + (py - t * dy) ** 2)
            if best is None or offset < best[0]:
                best = (offset, index, t)
        assert best is not None  # a path of two or more points has a segment
        offset, index, t = best
        (ax, ay), (bx, by) = self.coordinates[index], self.coordinates[index + 1]
        segment_length = self.cumulative[index + 1] - self.cumulative[index]
        return PathPlace(
            chainage_m=self.cumulative[index] + t * segment_length,
            offset_m=offset,
            segment=index,
            position=(ax + t * (bx - ax), ay + t * (by - ay)),
        )

    def section(self, start: PathPlace, end: PathPlace) -> list[tuple[float, float]]:
        """Return the path's coordinates from `start` to `end`, in that direction."""
        if end.chainage_m < start.chainage_m:
            return self.section(end, start)[::-1]
        inner = self.coordinates[start.segment + 1 : end.segment + 1]
        return [start.position, *inner, end.position]


class WalkingDistances:
    """Walking distances between places of a tour: along the walk's path where that is shorter."""

    def __init__(self, path: Iterable[Sequence[float]]) -> None:
        self.measure = PathMeasure(list(path))

    def leg(self, a: tuple[float, float], b: tuple[float, float]) -> tuple[float, list[tuple[float, float]], bool]:
        """Return (metres, coordinates, follows_path) for walking from a to b."""
        estimate = distance_m(a, b) * ROUTE_FACTOR
        place_a, place_b = self.measure.locate(a), self.measure.locate(b)
        if place_a and place_b and max(place_a.offset_m, place_b.offset_m) <= ON_PATH_M:
            along = abs(place_b.chainage_m - place_a.chainage_m) + place_a.offset_m + place_b.offset_m
            if along <= estimate:
                return along, [a, *self.measure.section(place_a, place_b), b], True
        return estimate, [a, b], False

    def matrix(self, positions: list[tuple[float, float]]) -> list[list[float]]:
        return [
            [0.0 if i == j else self.leg(a, b)[0] for j, b in enumerate(positions)] for i, a in enumerate(positions)
        ]
