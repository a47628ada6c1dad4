"""The OGC API read by clients nobody here wrote: OWSLib and GDAL's OAPIF driver, over a real socket."""

import os
import re
import shutil
import subprocess

import pytest
import requests
from owslib.ogcapi.features import Features

pytestmark = pytest.mark.interop


def api_stops(live_server, walk: str) -> list[dict]:
    return requests.get(f"{live_server.url}/api/walks/{walk}/stops", timeout=10).json()["features"]


def test_owslib_reads_conformance_collections_and_the_same_stops_as_the_api(live_server):
    service = Features(f"{live_server.url}/ogc", timeout=10)
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in service.conformance()["conformsTo"]
    walks = [w["slug"] for w in requests.get(f"{live_server.url}/api/walks", timeout=10).json()["walks"]]
    assert service.feature_collections() == walks
    for walk in walks:
        stops = api_stops(live_server, walk)
        items = service.collection_items(walk, limit=1000)
        assert [f["id"] for f in items["features"]] == [s["id"] for s in stops]
        assert [f["geometry"] for f in items["features"]] == [s["geometry"] for s in stops]
        one = service.collection_item(walk, stops[-1]["id"])
        assert one["properties"]["name_en"] == stops[-1]["properties"]["name"]["en"]


def test_owslib_filters_by_bbox(live_server):
    service = Features(f"{live_server.url}/ogc", timeout=10)
    stops = api_stops(live_server, "gent-kanazawa")
    lon, lat = stops[0]["geometry"]["coordinates"]
    items = service.collection_items("gent-kanazawa", bbox=[lon - 1e-4, lat - 1e-4, lon + 1e-4, lat + 1e-4])
    assert stops[0]["id"] in [f["id"] for f in items["features"]]
    assert items["numberMatched"] < len(stops)


def ogrinfo(*args: str) -> str:
    if shutil.which("ogrinfo") is None:
        pytest.fail("GDAL's ogrinfo is missing: install Debian's gdal-bin (make test does)")
    result = subprocess.run(
        ["ogrinfo", "-ro", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GDAL_HTTP_TIMEOUT": "20", "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_gdal_lists_the_walks_and_reads_every_feature_with_flat_columns(live_server):
    walks = requests.get(f"{live_server.url}/api/walks", timeout=10).json()["walks"]
    listing = ogrinfo(f"OAPIF:{live_server.url}/ogc")
    assert re.findall(r"^\d+: (\S+) ", listing, re.M) == [w["slug"] for w in walks]
    for walk in walks:
        stops = api_stops(live_server, walk["slug"])
        report = ogrinfo("-al", f"OAPIF:{live_server.url}/ogc", walk["slug"])
        assert "Geometry: Point" in report
        assert f"Feature Count: {len(stops)}" in report
        for column in ("name_nl", "name_en", "name_ja", "order"):
            assert re.search(rf"^{column}: ", report, re.M), column
        assert re.findall(r"^\s+id \(String\) = (\S+)$", report, re.M) == [s["id"] for s in stops]
        english = re.findall(r"^\s+name_en \(String\) = (.+)$", report, re.M)
        assert english == [s["properties"]["name"]["en"] for s in stops]
