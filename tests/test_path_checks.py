"""The path editor's warnings: stops the path misses, and stops it visits out of their order."""

from server.domain.editing.path_edits import MAX_DRAWN_POSITIONS, drawn_path_problems
from server.domain.walks.path_checks import StopOnPath, path_warnings

# A straight street running east, 1 km long; one degree of longitude here is ~70 km.
STREET = [[3.70, 51.05], [3.7143, 51.05]]


def stop(slug, east_m, north_m=0.0, radius=30):
    return StopOnPath(slug, 3.70 + east_m / 70_000, 51.05 + north_m / 111_195, radius)


def test_stops_along_the_path_in_their_order_give_no_warning():
    assert path_warnings(STREET, [stop("a", 100, 20), stop("b", 500, -40), stop("c", 900)]) == []


def test_a_stop_beyond_its_radius_plus_25_m_is_far_and_one_within_is_not():
    warnings = path_warnings(STREET, [stop("near", 100, 54), stop("far", 500, 57)])
    assert [(w["kind"], w["stop"]) for w in warnings] == [("far", "far")]
    assert "57 m from the path" in warnings[0]["message"] and "at most 55 m" in warnings[0]["message"]


def test_a_stop_visited_before_the_one_it_follows_is_out_of_order():
    warnings = path_warnings(STREET, [stop("a", 100), stop("c", 900), stop("b", 500)])
    assert [(w["kind"], w["stop"]) for w in warnings] == [("order", "b")]
    assert "before stop 'c'" in warnings[0]["message"]


def test_the_reversed_path_puts_every_stop_out_of_order():
    stops = [stop("a", 100), stop("b", 500), stop("c", 900)]
    assert [w["stop"] for w in path_warnings(STREET[::-1], stops)] == ["b", "c"]


def test_a_far_stop_does_not_count_for_the_order():
    stops = [stop("a", 100), stop("off", 950, 400), stop("b", 500)]
    assert [(w["kind"], w["stop"]) for w in path_warnings(STREET, stops)] == [("far", "off")]


def test_a_path_of_fewer_than_two_points_has_no_warnings_but_cannot_be_saved():
    assert path_warnings([STREET[0]], [stop("a", 100)]) == []
    assert "at least two points" in drawn_path_problems({"path": [STREET[0]]})[0]
    assert "more than" in drawn_path_problems({"path": [STREET[0]] * (MAX_DRAWN_POSITIONS + 1)})[0]
    assert drawn_path_problems({"path": STREET, "path_accuracy": "routed"}) == []
