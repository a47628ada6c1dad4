from pytest import approx

from server.domain.geometry import (
    bbox,
    bearing_deg,
    distance_m,
    distance_to_path_m,
    path_length_m,
    valid_position,
    walking_minutes,
)

BELFORT = (3.7250, 51.0536)
STADHUIS = (3.7252, 51.0544)
KENROKUEN_LANTERN = (136.6623, 36.5627)


def test_distance_between_neighbouring_ghent_stops_is_about_ninety_metres():
    assert distance_m(BELFORT, STADHUIS) == approx(90, abs=3)


def test_distance_from_ghent_to_kanazawa_matches_the_wgs84_geodesic():
    # 9268.5 km and 36.3° by GeographicLib's ellipsoidal geodesic; a sphere is within 0.5 %.
    assert distance_m(BELFORT, KENROKUEN_LANTERN) / 1000 == approx(9268.5, rel=0.005)


def test_bearings_point_the_right_way():
    assert bearing_deg((3.0, 51.0), (3.0, 51.1)) == approx(0, abs=0.01)
    assert bearing_deg((3.0, 51.0), (3.1, 51.0)) == approx(90, abs=0.1)
    assert bearing_deg((3.0, 51.0), (3.0, 50.9)) == approx(180, abs=0.01)
    # Kanazawa lies north-east of Ghent along the great circle over Siberia.
    assert bearing_deg(BELFORT, KENROKUEN_LANTERN) == approx(36.3, abs=0.5)


def test_path_length_sums_its_segments():
    path = [BELFORT, STADHUIS, BELFORT]
    assert path_length_m(path) == approx(2 * distance_m(BELFORT, STADHUIS))
    assert path_length_m([BELFORT]) == 0


def test_walking_minutes_round_up_at_four_and_a_half_km_per_hour():
    assert walking_minutes(4500) == 60
    assert walking_minutes(4501) == 61
    assert walking_minutes(0) == 0


def test_distance_to_path_measures_to_the_nearest_segment():
    path = [(3.72, 51.05), (3.73, 51.05)]
    assert distance_to_path_m((3.725, 51.05), path) == approx(0, abs=0.01)
    assert distance_to_path_m((3.725, 51.0509), path) == approx(100, abs=1)
    assert distance_to_path_m((3.74, 51.05), path) == approx(distance_m((3.73, 51.05), (3.74, 51.05)), rel=1e-3)


def test_bbox_is_west_south_east_north():
    assert bbox([BELFORT, STADHUIS]) == [3.7250, 51.0536, 3.7252, 51.0544]


def test_valid_position_rejects_out_of_range_and_non_numbers():
    assert valid_position(3.7, 51.0)
    assert not valid_position(181, 51.0)
    assert not valid_position(3.7, -91)
    assert not valid_position("3.7", 51.0)
    assert not valid_position(True, 51.0)
