"""Our files as tools nobody here wrote read them: GDAL's ogrinfo, gpxpy, xmllint with the GPX schema."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import gpxpy
import pytest

pytestmark = pytest.mark.interop
SCHEMA = Path(__file__).parent / "schemas" / "gpx11.xsd"


@pytest.fixture
def database_url(module_database_url):
    """These tests only read: they share one database per backend (each still gets an app of its own)."""
    return module_database_url


def ogrinfo(path: Path) -> str:
    if shutil.which("ogrinfo") is None:
        pytest.fail("GDAL's ogrinfo is missing: install Debian's gdal-bin (make test does)")
    result = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def layer_counts(report: str) -> dict[str, int]:
    layers = re.findall(r"Layer name: (\S+)\n(?:.*\n)*?Feature Count: (\d+)", report)
    return {name: int(count) for name, count in layers}


def download(client, url, path: Path) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    path.write_bytes(response.data)
    return response.data


def test_gdal_reads_the_stops_geojson_with_every_stop(client, tmp_path):
    data = json.loads(download(client, "/api/walks/gent-kanazawa/stops", tmp_path / "stops.geojson"))
    report = ogrinfo(tmp_path / "stops.geojson")
    assert "Geometry: Point" in report
    assert list(layer_counts(report).values()) == [len(data["features"])]
    extent = re.search(r"Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)", report)
    west, south, east, north = map(float, extent.groups())
    assert 3.6 < west <= east < 3.8 and 51.0 < south <= north < 51.1  # lon/lat order, in Ghent


def test_gdal_reads_the_path_as_a_linestring(client, tmp_path):
    download(client, "/api/walks/gent-kanazawa/path", tmp_path / "path.geojson")
    report = ogrinfo(tmp_path / "path.geojson")
    assert "Geometry: Line String" in report
    assert list(layer_counts(report).values()) == [1]


def test_gdal_reads_the_gpx_waypoints_and_track(client, tmp_path):
    stops = client.get("/api/walks/gent-kanazawa/stops").json
    download(client, "/api/walks/gent-kanazawa/gpx", tmp_path / "walk.gpx")
    counts = layer_counts(ogrinfo(tmp_path / "walk.gpx"))
    assert counts["waypoints"] == len(stops["features"])
    assert counts["tracks"] == 1
    assert counts["track_points"] == len(client.get("/api/walks/gent-kanazawa/path").json["geometry"]["coordinates"])


@pytest.mark.parametrize("lang", ["nl", "en", "ja"])
def test_gpxpy_parses_the_gpx_back_with_names_in_the_language(client, lang):
    stops = client.get("/api/walks/gent-kanazawa/stops").json["features"]
    gpx = gpxpy.parse(client.get(f"/api/walks/gent-kanazawa/gpx?lang={lang}").get_data(as_text=True))
    assert gpx.version == "1.1"
    assert [w.name for w in gpx.waypoints] == [f"{n}. {s['properties']['name'][lang]}" for n, s in enumerate(stops, 1)]
    for waypoint, stop in zip(gpx.waypoints, stops, strict=True):
        assert [waypoint.longitude, waypoint.latitude] == stop["geometry"]["coordinates"]
    assert len(gpx.tracks) == 1 and gpx.tracks[0].length_2d() > 2500


def test_gpx_is_valid_against_the_published_gpx_1_1_schema(client, tmp_path):
    if shutil.which("xmllint") is None:
        pytest.fail("xmllint is missing: install Debian's libxml2-utils (make test does)")
    download(client, "/api/walks/kanazawa-gent/gpx?lang=ja", tmp_path / "walk.gpx")
    result = subprocess.run(
        ["xmllint", "--noout", "--nonet", "--schema", str(SCHEMA), str(tmp_path / "walk.gpx")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
