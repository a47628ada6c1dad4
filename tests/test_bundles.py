"""The walk bundles in routes/ are valid, and `check` names every kind of mistake clearly."""

import json
import shutil

import pytest

from server.domain.walks.bundles import BundleError, check_bundles, read_bundles

from .conftest import ROUTES_DIR


def test_the_shipped_walks_pass_every_check():
    bundles = read_bundles(ROUTES_DIR)
    assert {b.slug for b in bundles} >= {"gent-kanazawa", "kanazawa-gent"}
    assert check_bundles(bundles) == []


def test_the_ghent_walk_has_the_six_researched_stops_with_texts_in_three_languages():
    ghent = next(b for b in read_bundles(ROUTES_DIR) if b.slug == "gent-kanazawa")
    assert len([s for s in ghent.stops if s["properties"]["status"] == "published"]) >= 6
    for stop in ghent.stops:
        for field in ("name", "summary", "body"):
            assert set(stop["properties"][field]) >= {"nl", "en", "ja"}
        lon, lat = stop["geometry"]["coordinates"]
        assert 3.6 < lon < 3.8 and 51.0 < lat < 51.1  # lon/lat order, in Ghent


def test_unverified_positions_keep_their_low_confidence():
    kanazawa = next(b for b in read_bundles(ROUTES_DIR) if b.slug == "kanazawa-gent")
    drafts = [s for s in kanazawa.stops if s["properties"]["status"] == "draft"]
    assert drafts, "the unverified Kanazawa stops stay drafts until measured on site"
    assert all(s["properties"]["position_confidence"] == "low" for s in drafts)


@pytest.fixture
def routes(tmp_path):
    """A writable copy of routes/ to break in one place."""
    copy = tmp_path / "routes"
    shutil.copytree(ROUTES_DIR, copy)
    return copy


def edit_json(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False))


def first_stop(data):
    return data["features"][0]


def problems_after(routes, filename, change):
    edit_json(routes / "gent-kanazawa" / filename, change)
    return check_bundles(read_bundles(routes))


def test_missing_language_is_named_with_stop_and_field(routes):
    problems = problems_after(routes, "stops.geojson", lambda d: first_stop(d)["properties"]["summary"].pop("ja"))
    stop = json.loads((ROUTES_DIR / "gent-kanazawa/stops.geojson").read_text())["features"][0]["id"]
    assert any(f"stop '{stop}': summary is missing in ja" in p for p in problems), problems


def test_coordinates_out_of_range_are_refused(routes):
    def change(d):
        first_stop(d)["geometry"]["coordinates"] = [3.72, 95.0]

    problems = problems_after(routes, "stops.geojson", change)
    assert any("geometry must be a Point with [longitude, latitude] in range" in p for p in problems), problems


def test_swapped_longitude_and_latitude_are_caught(routes):
    def change(d):
        lon, lat = first_stop(d)["geometry"]["coordinates"]
        first_stop(d)["geometry"]["coordinates"] = [lat, lon]

    problems = problems_after(routes, "stops.geojson", change)
    assert any("are longitude and latitude swapped?" in p for p in problems), problems


def test_a_stop_far_from_the_path_is_caught(routes):
    def change(d):
        first_stop(d)["geometry"]["coordinates"][0] += 0.01  # ~700 m east

    problems = problems_after(routes, "stops.geojson", change)
    assert any("from the walk's path" in p for p in problems), problems


def test_unresolvable_twin_is_named(routes):
    def change(d):
        first_stop(d)["properties"]["twin"] = "kanazawa-gent/no-such-stop"

    problems = problems_after(routes, "stops.geojson", change)
    assert any("twin 'kanazawa-gent/no-such-stop' does not name a stop" in p for p in problems), problems


def test_a_twin_that_does_not_link_back_is_named(routes):
    def unlink(d):
        for feature in d["features"]:
            feature["properties"]["twin"] = None

    edit_json(routes / "kanazawa-gent" / "stops.geojson", unlink)
    problems = check_bundles(read_bundles(routes))
    assert any("does not link back to this walk" in p for p in problems), problems


def test_script_in_a_story_is_refused(routes):
    def change(d):
        first_stop(d)["properties"]["body"]["en"] += "<script>alert(1)</script>"

    problems = problems_after(routes, "stops.geojson", change)
    assert any("body (en) holds markup outside the allowed tags" in p for p in problems), problems


def test_missing_media_file_is_named(routes):
    def change(d):
        first_stop(d)["properties"]["images"] = [{"file": "media/missing.jpg", "alt": {}}]

    problems = problems_after(routes, "stops.geojson", change)
    assert any("names file 'media/missing.jpg'" in p for p in problems), problems


def test_duplicate_stop_ids_and_bad_radius_are_named(routes):
    def change(d):
        d["features"][1]["id"] = d["features"][0]["id"]
        d["features"][0]["properties"]["trigger_radius_m"] = 5000

    problems = problems_after(routes, "stops.geojson", change)
    assert any("the id is used twice" in p for p in problems), problems
    assert any("trigger_radius_m must be a whole number of metres" in p for p in problems), problems


def test_walk_without_default_language_title_is_named(routes):
    problems = problems_after(routes, "walk.json", lambda d: d["title"].pop("nl"))
    assert any("walk.json: title is missing in nl" in p for p in problems), problems


def test_broken_json_is_reported_with_its_file(routes):
    (routes / "gent-kanazawa" / "path.geojson").write_text("{not json")
    with pytest.raises(BundleError) as caught:
        read_bundles(routes)
    assert "path.geojson: not valid JSON" in str(caught.value)


def test_check_command_exits_non_zero_and_lists_problems(routes, manage):
    edit_json(routes / "gent-kanazawa" / "stops.geojson", lambda d: first_stop(d)["properties"]["name"].pop("en"))
    result = manage("check", routes)
    assert result.exit_code == 1
    assert "name is missing in en" in result.output
    assert manage("check").exit_code == 0


def test_control_characters_in_any_text_are_named_with_file_stop_field_and_character(routes):
    def change(d):
        first_stop(d)["properties"]["name"]["en"] += "\x01"
        first_stop(d)["properties"]["address"] = "Korenmarkt\x00"
        first_stop(d)["properties"]["body"]["nl"] = "<p>Verhaal\ufffe</p>"

    problems = problems_after(routes, "stops.geojson", change)
    assert any("name (en): contains a control character (U+0001)" in p and "stops.geojson" in p for p in problems), (
        problems
    )
    assert any("address: contains a control character (U+0000)" in p for p in problems), problems
    assert any("body (nl): contains a non-character (U+FFFE)" in p for p in problems), problems
    walk_problems = problems_after(routes, "walk.json", lambda d: d["title"].update(en="Walk\x1b"))
    assert any("walk.json: title (en): contains a control character (U+001B)" in p for p in walk_problems), (
        walk_problems
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda d: first_stop(d).update(geometry=[1, 2]),
        lambda d: first_stop(d).update(geometry="Point"),
        lambda d: first_stop(d)["properties"].update(body=["<p>x</p>"]),
        lambda d: first_stop(d)["properties"].update(body={"en": ["<p>x</p>"]}),
        lambda d: first_stop(d)["properties"].update(images={"file": "media/x.jpg"}),
        lambda d: first_stop(d)["properties"].update(audio=["media/x.mp3"]),
    ],
)
def test_wrongly_typed_stop_fields_are_named_not_a_crash(routes, change):
    problems = problems_after(routes, "stops.geojson", change)
    assert any("stop '" in p for p in problems), problems


def test_deeply_nested_json_is_reported_with_its_file(routes):
    (routes / "gent-kanazawa" / "path.geojson").write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(BundleError) as caught:
        read_bundles(routes)
    assert "path.geojson: not valid JSON (nested more than" in str(caught.value)
