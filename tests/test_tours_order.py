"""The "best order": exact for a few stops, nearest neighbour + 2-opt + Or-opt beyond, never worse than given."""

import itertools
import math
import random

import pytest

from server.domain.tours.best_order import (
    EXACT_LIMIT,
    best_order,
    exact_order,
    heuristic_order,
    improve,
    nearest_neighbour,
    route_length,
    two_opt,
)


def matrix(points):
    return [[math.dist(a, b) for b in points] for a in points]


def brute_force(distances, movable, head=(), tail=()):
    return min(route_length([*head, *order, *tail], distances) for order in itertools.permutations(movable))


def random_case(seed, count, extra=2):
    rng = random.Random(seed)
    return rng, matrix([(rng.random() * 1000, rng.random() * 1000) for _ in range(count + extra)])


def test_route_length_adds_the_legs():
    distances = matrix([(0, 0), (3, 0), (3, 4)])
    assert route_length([0, 1, 2], distances) == pytest.approx(7)
    assert route_length([0, 2, 1], distances) == pytest.approx(5 + 4)
    assert route_length([1], distances) == 0


def test_points_on_a_street_are_walked_from_one_end_to_the_other():
    points = [(x, 0) for x in (70, 10, 40, 0, 90, 20, 60, 30, 80, 50)]
    distances = matrix(points)
    start = points.index((0, 0))
    movable = [i for i in range(len(points)) if i != start]
    order = best_order(distances, movable, head=[start])
    assert [points[i][0] for i in order] == [10, 20, 30, 40, 50, 60, 70, 80, 90]


def test_heuristic_straightens_a_long_street_too():
    xs = list(range(0, 400, 10))
    random.Random(4).shuffle(xs)
    points = [(-10, 0)] + [(x, 0) for x in xs]
    distances = matrix(points)
    order = heuristic_order(distances, list(range(1, len(points))), [0], [])
    assert [points[i][0] for i in order] == sorted(xs)


def test_two_opt_removes_a_crossing():
    # A square visited corner to opposite corner crosses itself; 2-opt uncrosses it.
    points = [(0, 0), (10, 10), (10, 0), (0, 10)]
    distances = matrix(points)
    crossed = [0, 1, 2, 3]
    uncrossed = two_opt(crossed, 1, 0, distances)
    assert route_length(uncrossed, distances) < route_length(crossed, distances)
    assert uncrossed[0] == 0


def test_nearest_neighbour_always_walks_to_the_closest_next_stop():
    points = [(0, 0), (5, 0), (1, 0), (3, 0)]
    assert nearest_neighbour([0], [1, 2, 3], matrix(points)) == [2, 3, 1]


@pytest.mark.parametrize("seed", range(60))
def test_best_order_matches_brute_force_on_small_tours(seed):
    rng, distances = random_case(seed, count=3 + seed % 6)
    count = len(distances) - 2
    head, tail = [[], [count], [count], [0]][seed % 4], [[], [], [count + 1], []][seed % 4]
    movable = [i for i in range(count) if i not in head]
    order = best_order(distances, movable, head, tail)
    assert sorted(order) == sorted(movable)
    assert route_length([*head, *order, *tail], distances) == pytest.approx(brute_force(distances, movable, head, tail))


@pytest.mark.parametrize("seed", range(40))
def test_best_order_is_never_longer_than_the_guides_order(seed):
    rng, distances = random_case(seed, count=[5, 9, 14, 20][seed % 4])
    count = len(distances) - 2
    head, tail = ([count], [count + 1]) if seed % 2 else ([], [])
    current = list(range(count))
    rng.shuffle(current)
    order = best_order(distances, current, head, tail, current=current)
    assert sorted(order) == sorted(current)
    assert route_length([*head, *order, *tail], distances) <= route_length([*head, *current, *tail], distances) + 1e-9


def test_an_order_that_is_already_best_is_kept_as_it_is():
    points = [(0, 0), (1, 0), (2, 0), (3, 0)]
    assert best_order(matrix(points), [0, 1, 2, 3], current=[0, 1, 2, 3]) == [0, 1, 2, 3]
    # Walking it backwards is just as long: the guide's order wins the tie.
    assert best_order(matrix(points), [3, 2, 1, 0], current=[3, 2, 1, 0]) == [3, 2, 1, 0]


def test_heuristic_stays_close_to_the_optimum_where_both_can_be_computed():
    ratios = []
    for seed in range(60):
        _, distances = random_case(1000 + seed, count=EXACT_LIMIT - 2)
        movable = list(range(len(distances) - 2))
        head = [len(distances) - 2]
        exact = route_length(head + exact_order(distances, movable, head, []), distances)
        found = route_length(head + heuristic_order(distances, movable, head, []), distances)
        nearest = route_length(head + nearest_neighbour(head, movable, distances), distances)
        assert exact - 1e-9 <= found <= nearest + 1e-9
        ratios.append(found / exact)
    assert max(ratios) < 1.15
    assert sum(ratios) / len(ratios) < 1.02


def test_improve_keeps_fixed_ends_in_place():
    _, distances = random_case(7, count=15)
    route = list(range(17))
    improved = improve(route, 1, 1, distances)
    assert improved[0] == 0 and improved[-1] == 16
    assert sorted(improved) == route


def test_current_must_be_an_order_of_the_stops():
    with pytest.raises(ValueError):
        best_order(matrix([(0, 0), (1, 1)]), [0, 1], current=[0])
