"""Tours read from a link and the public documents: validation, walking distances, times, legs, links."""

from datetime import date, time

import pytest

from server.domain.errors import ValidationError
from server.domain.geometry import distance_m
from server.domain.tours.planning import (
    parse_tour,
    plan_tour,
    reorder_tour,
    tour_link,
    tour_parameters,
    walk_stops,
)
from server.domain.walks.path import ON_PATH_M, ROUTE_FACTOR, PathMeasure, WalkingDistances

# A straight east-west street with a dog-leg, and stops on it and off it.
PATH = [[3.7000, 51.0500], [3.7100, 51.0500], [3.7100, 51.0550], [3.7200, 51.0550]]
WALK = {
    "slug": "test-walk",
    "title": {"nl": "Testwandeling", "en": "Test walk", "ja": "テスト"},
    "languages": ["nl", "en", "ja"],
    "default_language": "nl",
    "path": {"type": "LineString", "coordinates": PATH},
}


def feature(slug, lon, lat, **properties):
    return {
        "type": "Feature",
        "id": slug,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "name": {"nl": f"{slug} nl", "en": f"{slug} en", "ja": f"{slug} ja"},
            "summary": {"en": f"About {slug}"},
            "address": "",
            "opening_hours": "",
            **properties,
        },
    }


STOPS = {
    "type": "FeatureCollection",
    "features": [
        feature("west", 3.7000, 51.0500, name_reading={"ja": "にし"}),
        feature("corner", 3.7100, 51.0500),
        feature("north", 3.7100, 51.0550),
        feature("east", 3.7200, 51.0550, opening_hours="Mo-Fr 10:00-17:00"),
        feature("park", 3.7000, 51.0600),  # far from the path
    ],
}


def tour(**params):
    return parse_tour(WALK, STOPS, {k: str(v) for k, v in params.items()})


def test_a_tour_has_the_stops_in_the_links_order_and_language():
    result = tour(stops="north,west,east", lang="ja")
    assert [s.slug for s in result.stops] == ["north", "west", "east"]
    assert result.language == "ja"
    assert result.name(result.stops[1]) == "west ja"
    assert result.stops[1].name_reading == {"ja": "にし"}


def test_language_defaults_to_the_walks_own():
    assert tour(stops="west").language == "nl"


def test_every_problem_is_named_at_once():
    with pytest.raises(ValidationError) as caught:
        tour(stops="west,nowhere,west", lang="fr", start="north pole", pace="30", stay="-1", date="14/05/2026")
    fields = [p.split(":")[0] for p in caught.value.problems]
    assert fields == ["lang", "stops", "stops", "start", "pace", "stay", "date"]


def test_a_tour_without_stops_is_refused_unless_it_is_still_being_planned():
    with pytest.raises(ValidationError):
        tour(stops="")
    assert parse_tour(WALK, STOPS, {"stops": ""}, require_stops=False).stops == ()


def test_start_and_end_points_are_latitude_then_longitude():
    result = tour(stops="west", start="51.0359, 3.7108", start_label="Station", end="51.05,3.70")
    assert (result.start.lat, result.start.lon, result.start.label) == (51.0359, 3.7108, "Station")
    assert (result.end.lat, result.end.lon, result.end.label) == (51.05, 3.70, "")


def test_walk_stops_reads_the_public_document_in_walking_order():
    assert [s.slug for s in walk_stops(STOPS)] == ["west", "corner", "north", "east", "park"]
    assert walk_stops(STOPS)[3].opening_hours == "Mo-Fr 10:00-17:00"


def test_path_measure_locates_points_along_the_path():
    measure = PathMeasure(PATH)
    corner = measure.locate((3.7100, 51.0500))
    assert corner.offset_m == pytest.approx(0, abs=0.01)
    assert corner.chainage_m == pytest.approx(distance_m(PATH[0], PATH[1]), rel=1e-6)
    beside = measure.locate((3.7050, 51.0501))  # ~11 m north of the first segment
    assert beside.offset_m == pytest.approx(11.1, abs=0.3)


def test_a_leg_between_places_on_the_path_follows_it():
    distances = WalkingDistances(PATH)
    a, b = (3.7050, 51.0500), (3.7100, 51.0509)  # ~350 m east, round the corner, ~100 m north
    metres, coordinates, follows = distances.leg(a, b)
    along = distance_m(a, PATH[1]) + distance_m(PATH[1], b)
    assert follows
    assert metres == pytest.approx(along, rel=1e-6)
    assert [3.7100, 51.0500] in [list(c) for c in coordinates]  # goes round the corner


def test_a_detour_along_the_path_longer_than_the_estimate_is_not_taken():
    a, b = (3.7000, 51.0500), (3.7100, 51.0550)  # the path's L is 1.41x the diagonal
    metres, coordinates, follows = WalkingDistances(PATH).leg(a, b)
    assert not follows and metres == pytest.approx(distance_m(a, b) * ROUTE_FACTOR)


def test_a_leg_off_the_path_is_the_straight_line_times_the_route_factor():
    distances = WalkingDistances(PATH)
    a, b = (3.7000, 51.0500), (3.7000, 51.0600)
    metres, coordinates, follows = distances.leg(a, b)
    assert not follows
    assert metres == pytest.approx(distance_m(a, b) * ROUTE_FACTOR)
    assert coordinates == [a, b]
    assert WalkingDistances(PATH).measure.locate(b).offset_m > ON_PATH_M


def test_distance_and_time_add_up_at_the_chosen_pace_and_stay():
    plan = plan_tour(tour(stops="west,corner,north", pace="6", stay="15"))
    leg_metres = [leg.distance_m for leg in plan.legs]
    assert plan.distance_m == pytest.approx(sum(leg_metres))
    assert [leg.minutes for leg in plan.legs] == pytest.approx([m / 100 for m in leg_metres])  # 6 km/h = 100 m/min
    assert plan.walking_minutes == -(-round(plan.distance_m) // 100)
    assert plan.visit_minutes == 45
    assert plan.total_minutes == plan.walking_minutes + 45
    # Arrive at the first stop at once; later stops after the walk and the stays before them.
    assert plan.arrivals == [0, round(15 + leg_metres[0] / 100), round(30 + sum(leg_metres) / 100)]


def test_start_and_end_points_add_legs_and_shift_arrivals():
    plan = plan_tour(tour(stops="corner,north", start="51.0500,3.7000", end="51.0550,3.7200"))
    assert [(leg.origin, leg.destination) for leg in plan.legs] == [("start", 0), (0, 1), (1, "end")]
    assert plan.arrivals[0] == round(plan.legs[0].minutes)
    assert plan.visit_minutes == 20


def test_default_pace_is_an_unhurried_group():
    plan = plan_tour(tour(stops="west,corner"))
    assert plan.legs[0].minutes == pytest.approx(plan.legs[0].distance_m / 75)


def test_best_order_from_the_start_point_walks_the_street_in_order():
    shuffled = tour(stops="east,corner,north", start="51.0500,3.6990")
    better = reorder_tour(shuffled)
    assert [s.slug for s in better.stops] == ["corner", "north", "east"]
    assert plan_tour(better).distance_m < plan_tour(shuffled).distance_m


def test_best_order_from_a_chosen_first_stop_keeps_it_first():
    shuffled = tour(stops="west,corner,east,north")
    better = reorder_tour(shuffled, first="east")
    assert [s.slug for s in better.stops] == ["east", "north", "corner", "west"]


def test_best_order_refuses_a_first_stop_outside_the_tour():
    with pytest.raises(ValidationError):
        reorder_tour(tour(stops="west,corner"), first="park")


def test_the_tour_link_is_what_the_pwa_opens():
    assert tour_link(tour(stops="north,west", lang="en")) == "/#/tour/test-walk/north,west?lang=en"


def test_parameters_round_trip_to_the_same_tour():
    original = tour(
        stops="north,west",
        lang="ja",
        start="51.0359,3.7108",
        start_label="Station",
        pace="5",
        stay="20",
        title="Class 5B",
        date="2026-05-14",
        time="09:30",
    )
    again = parse_tour(WALK, STOPS, tour_parameters(original))
    assert again == original
    assert again.day == date(2026, 5, 14) and again.start_time == time(9, 30)


def test_more_stops_than_a_tour_may_have_are_refused_before_anything_else():
    for stops in (",".join(["west"] * 61), ",".join(f"s{n}" for n in range(200_000)), "west" + "," * 500):
        with pytest.raises(ValidationError) as caught:
            tour(stops=stops, lang="fr")
        assert caught.value.problems == ["stops: a tour has at most 60 stops."]
    assert len(tour(stops=" west ,, east,").stops) == 2
