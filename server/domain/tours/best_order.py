"""The "best order" of a tour: nearest neighbour from a chosen start, improved by 2-opt and Or-opt.

A tour is an open route: `head` (fixed start: a start point and/or a chosen first stop), then the
stops to arrange, then `tail` (an optional fixed end point). Distances are a square matrix over
node indices. Everything here is pure arithmetic on that matrix, so it is tested without maps.
"""

from collections.abc import Sequence
from itertools import pairwise

Matrix = Sequence[Sequence[float]]
# Improvements smaller than this are rounding noise; ignoring them guarantees the search ends.
EPSILON = 1e-9
# Up to this many stops to arrange the exact order is cheap (2^10 * 10^2 steps, ~0.1 s); beyond, it is not.
EXACT_LIMIT = 10


def route_length(route: Sequence[int], distances: Matrix) -> float:
    """Return the length of an open route visiting `route` in order."""
    return sum(distances[a][b] for a, b in pairwise(route))


def nearest_neighbour(head: list[int], movable: list[int], distances: Matrix) -> list[int]:
    """Return `movable` ordered by always walking to the closest stop not yet visited."""
    left = list(movable)
    order: list[int] = []
    if not head and left:
        order.append(left.pop(0))  # no fixed start: begin with the first stop as given
    while left:
        here = order[-1] if order else head[-1]
        nearest = min(left, key=lambda node: distances[here][node])
        left.remove(nearest)
        order.append(nearest)
        here = nearest
    return order


def two_opt(route: list[int], fixed_head: int, fixed_tail: int, distances: Matrix) -> list[int]:
    """Reverse sections of the route while that shortens it; the first/last fixed nodes stay put."""
    route = list(route)
    last = len(route) - 1 - fixed_tail  # last movable index
    improved = True
    while improved:
        improved = False
        for i in range(fixed_head, last):
            for j in range(i + 1, last + 1):
                before = _link(route, i - 1, i, distances) + _link(route, j, j + 1, distances)
                after = _link(route, i - 1, j, distances) + _link(route, i, j + 1, distances)
                if after < before - EPSILON:
                    route[i : j + 1] = reversed(route[i : j + 1])
                    improved = True
    return route


def or_opt(route: list[int], fixed_head: int, fixed_tail: int, distances: Matrix) -> list[int]:
    """Move runs of one to three stops elsewhere in the route (either way round) while that shortens it."""
    route = list(route)
    improved = True
    while improved:
        improved = False
        last = len(route) - 1 - fixed_tail
        for size in (1, 2, 3):
            for i in range(fixed_head, last - size + 2):
                move = _best_move(route, i, size, fixed_head, fixed_tail, distances)
                if move is not None:
                    route, improved = move, True
                    break
            if improved:
                break
    return route


def _best_move(
    route: list[int], i: int, size: int, fixed_head: int, fixed_tail: int, distances: Matrix
) -> list[int] | None:
    """Return the route with route[i:i+size] moved to where it saves most, or None if nowhere does."""
    run = route[i : i + size]
    rest = route[:i] + route[i + size :]
    saved = (
        _link(route, i - 1, i, distances) + _link(route, i + size - 1, i + size, distances) - _gap(rest, i, distances)
    )
    best_gain, best_route = EPSILON, None
    for k in range(fixed_head, len(rest) - fixed_tail + 1):
        for candidate in (run, run[::-1]):
            added = _join(rest, k, candidate, distances) - _gap(rest, k, distances)
            if saved - added > best_gain:
                best_gain, best_route = saved - added, rest[:k] + candidate + rest[k:]
    return best_route


def _link(route: Sequence[int], a: int, b: int, distances: Matrix) -> float:
    """Length of the edge route[a] -> route[b], 0 where one end lies outside the route."""
    if a < 0 or b >= len(route):
        return 0.0
    return distances[route[a]][route[b]]


def _gap(rest: Sequence[int], k: int, distances: Matrix) -> float:
    """Length of the edge rest[k-1] -> rest[k] that an insertion at k would break."""
    return _link(rest, k - 1, k, distances)


def _join(rest: Sequence[int], k: int, run: Sequence[int], distances: Matrix) -> float:
    """Length of the edges linking `run` in at position k of `rest`."""
    before = distances[rest[k - 1]][run[0]] if k > 0 else 0.0
    after = distances[run[-1]][rest[k]] if k < len(rest) else 0.0
    return before + after


def improve(route: list[int], fixed_head: int, fixed_tail: int, distances: Matrix) -> list[int]:
    """Alternate 2-opt and Or-opt until neither shortens the route."""
    length = route_length(route, distances)
    while True:
        route = or_opt(two_opt(route, fixed_head, fixed_tail, distances), fixed_head, fixed_tail, distances)
        new_length = route_length(route, distances)
        if new_length >= length - EPSILON:
            return route
        length = new_length


def best_order(
    distances: Matrix,
    movable: list[int],
    head: Sequence[int] = (),
    tail: Sequence[int] = (),
    current: Sequence[int] | None = None,
) -> list[int]:
    """Return `movable` in the shortest order found for head + order + tail.

    Up to EXACT_LIMIT stops the order is exact (Held-Karp); beyond, nearest neighbour improved by
    2-opt and Or-opt. The `current` order wins ties, so a guide's order never gets longer.
    """
    head, tail = list(head), list(tail)
    if current is not None and sorted(current) != sorted(movable):
        raise ValueError("current must be an order of the movable stops")
    if len(movable) <= EXACT_LIMIT:
        found = exact_order(distances, movable, head, tail)
    else:
        found = heuristic_order(distances, movable, head, tail, current)
    if current is not None:
        given = route_length(head + list(current) + tail, distances)
        if given <= route_length(head + found + tail, distances) + EPSILON:
            return list(current)
    return found


def heuristic_order(
    distances: Matrix, movable: list[int], head: list[int], tail: list[int], current: Sequence[int] | None = None
) -> list[int]:
    """Return nearest neighbour improved by 2-opt and Or-opt (and the current order improved, if shorter)."""
    candidates = [nearest_neighbour(head, movable, distances)]
    if current is not None:
        candidates.append(list(current))
    best_route: list[int] | None = None
    best_length = float("inf")
    for candidate in candidates:
        route = improve(head + candidate + tail, len(head), len(tail), distances)
        length = route_length(route, distances)
        if length < best_length - EPSILON:
            best_route, best_length = route, length
    assert best_route is not None  # the first candidate is shorter than infinity
    return best_route[len(head) : len(best_route) - len(tail)]


def exact_order(distances: Matrix, movable: list[int], head: list[int], tail: list[int]) -> list[int]:
    """Return the shortest order by dynamic programming over subsets (Held-Karp), for few stops."""
    count = len(movable)
    if count == 0:
        return []
    origin = head[-1] if head else None
    finish = tail[0] if tail else None
    d = [[distances[a][b] for b in movable] for a in movable]
    infinity = float("inf")
    # length[mask][j]: the shortest way through the stops in `mask`, ending at stop j.
    length = [[infinity] * count for _ in range(1 << count)]
    previous = [[-1] * count for _ in range(1 << count)]
    for j, node in enumerate(movable):
        length[1 << j][j] = distances[origin][node] if origin is not None else 0.0
    for mask in range(1, 1 << count):
        row = length[mask]
        for j in range(count):
            here = row[j]
            if here == infinity:
                continue
            d_j = d[j]
            for k in range(count):
                bit = 1 << k
                if mask & bit:
                    continue
                candidate = here + d_j[k]
                if candidate < length[mask | bit][k] - EPSILON:
                    length[mask | bit][k] = candidate
                    previous[mask | bit][k] = j
    full = (1 << count) - 1
    last = min(
        range(count), key=lambda j: length[full][j] + (distances[movable[j]][finish] if finish is not None else 0.0)
    )
    order, mask = [], full
    while last != -1:
        order.append(movable[last])
        last, mask = previous[mask][last], mask & ~(1 << last)
    return order[::-1]
