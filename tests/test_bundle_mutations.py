"""Mutation tests: break the real walks in every way the content audit tried (and more); the check names each one.

Each case takes a fresh copy of routes/, applies one corruption to one file and expects a problem that
names the file, the feature and the field.
"""

import json
import shutil

import pytest

from server.domain.walks.bundles import bundle_warnings, check_bundles, read_bundles

from .conftest import ROUTES_DIR


def path_coords(data):
    return data["geometry"]["coordinates"]


def stop(data, n=0):
    return data["features"][n]


def props(data, n=0):
    return data["features"][n]["properties"]


def swap_vertex(data):
    coords = path_coords(data)
    coords[5] = [coords[5][1], coords[5][0]]  # [51.05362, 3.7253]: lat/lon swapped


def far_vertex(data):
    path_coords(data)[10] = [3.9, 51.2]  # in range, 15 km away from its neighbours


def between_vertex(data):
    path_coords(data)[10][0] += 0.02  # 1.4 km east of its neighbours: a mistyped digit


def stray_vertex(data):
    path_coords(data).append([4.35, 50.85])  # Brussels: in range, but not this walk


def set_prop(name, value, n=0):
    def change(data):
        props(data, n)[name] = value

    return change


def polygon_geometry(ring):
    def change(data):
        data["features"].append(
            {"type": "Feature", "id": "area", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        )

    return change


UNCLOSED = [[3.72, 51.05], [3.73, 51.05], [3.73, 51.06], [3.72, 51.06]]
BOWTIE = [[3.72, 51.05], [3.73, 51.06], [3.73, 51.05], [3.72, 51.06], [3.72, 51.05]]

MUTATIONS = {
    "swapped path vertex": ("path.geojson", swap_vertex, "position 6 [51.05362, 3.7253] lies"),
    "far path vertex": ("path.geojson", far_vertex, "position 11"),
    "mistyped path vertex": ("path.geojson", between_vertex, "a swapped or mistyped vertex?"),
    "stray path vertex": ("path.geojson", stray_vertex, "from the rest of the walk"),
    "path crs member": (
        "path.geojson",
        lambda d: d.update(crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}),
        "has a 'crs' member",
    ),
    "stops crs member": ("stops.geojson", lambda d: d.update(crs={"type": "name"}), "has a 'crs' member"),
    "non-numeric altitude": ("path.geojson", lambda d: path_coords(d)[3].append("x"), "altitude must be a number"),
    "absurd altitude": ("path.geojson", lambda d: path_coords(d)[3].append(123456), "altitude 123456 m is absurd"),
    "stop altitude": (
        "stops.geojson",
        lambda d: stop(d)["geometry"]["coordinates"].append(None),
        "stop 'stadhuis': geometry: altitude must be a number",
    ),
    "too many decimals in the path": (
        "path.geojson",
        lambda d: path_coords(d).__setitem__(2, [3.72570000001, 51.0541]),
        "at most 7 decimals",
    ),
    "too many decimals at a stop": (
        "stops.geojson",
        lambda d: stop(d)["geometry"].update(coordinates=[3.725212345678, 51.0544]),
        "stop 'stadhuis': geometry: at most 7 decimals",
    ),
    "string coordinate": (
        "path.geojson",
        lambda d: path_coords(d).__setitem__(2, ["3.7257", 51.0541]),
        "must be numbers",
    ),
    "one-position path": (
        "path.geojson",
        lambda d: d["geometry"].update(coordinates=[[3.7252, 51.0544]]),
        "at least two positions",
    ),
    "unclosed polygon": ("stops.geojson", polygon_geometry(UNCLOSED), "not valid GeoJSON"),
    "self-crossing polygon": ("stops.geojson", polygon_geometry(BOWTIE), "crosses itself"),
    "free-text opening hours": (
        "stops.geojson",
        set_prop("opening_hours", "open every day, ask the guard"),
        "stop 'stadhuis': opening_hours: 'open every day, ask the guard' is not OpenStreetMap",
    ),
    "bad opening hours time": (
        "stops.geojson",
        set_prop("opening_hours", "Mo-Fr 25:00-18:00"),
        "is not OpenStreetMap opening_hours syntax",
    ),
    "reading copies katakana": (
        "stops.geojson",
        set_prop("name_reading", {"ja": "げんとしちょうしゃ"}),
        "stop 'stadhuis': name_reading (ja): 'げんとしちょうしゃ' copies the katakana",
    ),
    "reading in kanji": ("stops.geojson", set_prop("name_reading", {"ja": "市庁舎"}), "written in kana"),
    "published stop without sources": (
        "stops.geojson",
        set_prop("sources", []),
        "stop 'stadhuis': sources: a published stop needs at least one source",
    ),
    "source without publisher": (
        "stops.geojson",
        set_prop("sources", [{"title": "x", "url": "https://x.be"}]),
        "sources[1].publisher: is required",
    ),
    "source with a script url": (
        "stops.geojson",
        set_prop("sources", [{"title": "x", "publisher": "y", "url": "javascript:alert(1)"}]),
        "sources[1].url: must be an http(s) address",
    ),
    "source with a bad date": (
        "stops.geojson",
        set_prop("sources", [{"title": "x", "publisher": "y", "url": "", "date": "20 Oct 2016"}]),
        "sources[1].date: must be YYYY",
    ),
    "sources not a list": ("stops.geojson", set_prop("sources", "stad.gent"), "sources: must be a list"),
    "no licence": ("walk.json", lambda d: d.pop("license"), "walk.json: license must be one of"),
    "unknown licence": ("walk.json", lambda d: d.update(license="all rights reserved"), "license must be one of"),
    "no attribution": ("walk.json", lambda d: d.update(attribution=" "), "attribution is missing"),
    "unknown path accuracy": ("walk.json", lambda d: d.update(path_accuracy="exact"), "path_accuracy must be one of"),
    "stop swapped": (
        "stops.geojson",
        lambda d: stop(d)["geometry"].update(coordinates=[51.0544, 3.7252]),
        "are longitude and latitude swapped?",
    ),
    "stop out of range": (
        "stops.geojson",
        lambda d: stop(d)["geometry"].update(coordinates=[3.7252, 151.0]),
        "geometry must be a Point with [longitude, latitude] in range",
    ),
    "ruby smuggles a script": (
        "stops.geojson",
        lambda d: props(d)["body"].update(ja="<p><ruby>市<rt>し</rt><script>x</script></ruby></p>"),
        "body (ja) holds markup outside the allowed tags",
    ),
}


@pytest.fixture
def routes(tmp_path):
    copy = tmp_path / "routes"
    shutil.copytree(ROUTES_DIR, copy)
    return copy


def test_the_real_walks_pass_before_any_mutation():
    bundles = read_bundles(ROUTES_DIR)
    assert check_bundles(bundles) == []
    assert bundle_warnings(bundles) == []


@pytest.mark.parametrize("walk", ["gent-kanazawa", "kanazawa-gent"])
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_every_mutation_is_named_by_the_check(routes, walk, name):
    filename, change, expected = MUTATIONS[name]
    if walk == "kanazawa-gent":
        expected = expected.split("'stadhuis'")[-1]
        if name in ("swapped path vertex", "far path vertex", "mistyped path vertex", "stray path vertex"):
            expected = {
                "swapped path vertex": "position 6",
                "far path vertex": "position 9",
                "mistyped path vertex": "mistyped vertex",
                "stray path vertex": "rest of the walk",
            }[name]
        if name in ("reading copies katakana", "reading in kanji", "stop swapped"):
            pytest.skip("written for the Ghent walk's first stop")
    target = routes / walk / filename
    data = json.loads(target.read_text())
    if walk == "kanazawa-gent" and name == "far path vertex":
        path_coords(data)[8] = [136.9, 36.7]
    elif walk == "kanazawa-gent" and name == "swapped path vertex":
        path_coords(data)[5] = [path_coords(data)[5][1], path_coords(data)[5][0]]
    elif walk == "kanazawa-gent" and name == "mistyped path vertex":
        path_coords(data)[8][0] += 0.02
    elif walk == "kanazawa-gent" and name == "stray path vertex":
        path_coords(data).append([136.2, 36.2])
    else:
        change(data)
    target.write_text(json.dumps(data, ensure_ascii=False))
    problems = check_bundles(read_bundles(routes))
    assert any(expected in p and str(target) in p for p in problems), (expected, problems)


def test_a_radius_the_path_never_enters_is_a_warning_not_an_error(routes):
    target = routes / "kanazawa-gent" / "stops.geojson"
    data = json.loads(target.read_text())
    stop(data, 1)["geometry"]["coordinates"] = [136.6580, 36.5608]  # the building's centre, 70 m from the path
    stop(data, 1)["properties"]["trigger_radius_m"] = 30
    target.write_text(json.dumps(data, ensure_ascii=False))
    bundles = read_bundles(routes)
    assert check_bundles(bundles) == []
    [warning] = bundle_warnings(bundles)
    assert "stop '21st-century-museum'" in warning and "cannot be reached from the path" in warning
