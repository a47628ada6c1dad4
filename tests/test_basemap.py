"""The offline basemap: extract from a remote planet, install with checks, serve tiles, list them offline."""

import gzip
import hashlib
import json
import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from math import cos, radians
from pathlib import Path

import mapbox_vector_tile
import mercantile
from pmtiles.reader import MmapSource, Reader, all_tiles
from shapely.geometry import LineString, Point, box
from shapely.ops import unary_union

from server.domain.basemap.corridor import mercator
from server.domain.basemap.installed import walk_lines

from .basemap_walk import PATH, STOPS, WALK, RangeRequestHandler


def expected_corridor(buffer_m: float, zooms, slack: float) -> set:
    """Tiles touching the path and stops grown by buffer_m * slack, computed independently with shapely."""
    lat = max(p[1] for p in PATH)
    metres = buffer_m * slack / cos(radians(lat))  # Web Mercator metres at this latitude
    shapes = [LineString([mercantile.xy(*p) for p in PATH])] + [Point(mercantile.xy(lon, lat_)) for lat_, lon in STOPS]
    corridor = unary_union([s.buffer(metres, 64) for s in shapes])
    found = set()
    for z in zooms:
        west, south, east, north = corridor.bounds
        (x0, y0), (x1, y1) = [mercator_tile(mx, my, z) for mx, my in ((west, north), (east, south))]
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                b = mercantile.xy_bounds(x, y, z)
                if corridor.intersects(box(b.left, b.bottom, b.right, b.top)):
                    found.add((z, x, y))
    return found


def mercator_tile(mx, my, z):
    tile = mercantile.tile(*mercantile.lnglat(mx, my), z)
    return tile.x, tile.y


def extracted_tiles(path: Path) -> dict:
    with open(path, "rb") as file:
        return {zxy: data for zxy, data in all_tiles(MmapSource(file))}


def test_extract_cuts_the_corridor_over_range_requests_and_nothing_else(manage, walk, planet_url, instance_path):
    RangeRequestHandler.requests_seen.clear()
    result = manage(
        "basemap",
        "extract",
        "--walk",
        WALK,
        "--source",
        planet_url,
        "--minzoom",
        12,
        "--maxzoom",
        15,
        "--buffer-m",
        300,
        "--no-install",
    )
    assert result.exit_code == 0, result.output
    files = list((instance_path / "basemap").glob("basemap-*.pmtiles"))
    assert len(files) == 1 and re.fullmatch(r"basemap-\d{8}-[0-9a-f]{12}\.pmtiles", files[0].name)
    assert hashlib.sha256(files[0].read_bytes()).hexdigest()[:12] in files[0].name
    tiles = set(extracted_tiles(files[0]))
    zooms = range(12, 16)
    assert expected_corridor(300, zooms, 0.99) <= tiles <= expected_corridor(300, zooms, 1.01)
    assert {z for z, _, _ in tiles} == set(zooms)
    assert all(r and r.startswith("bytes=") for r in RangeRequestHandler.requests_seen), "only range requests"
    assert "z15:" in result.output and "requests" in result.output


def test_extracted_tiles_are_the_planets_own_bytes(manage, walk, planet_url, planet_dir, instance_path):
    manage("basemap", "extract", "--walk", WALK, "--source", planet_url, "--buffer-m", 200, "--no-install")
    extract = extracted_tiles(next((instance_path / "basemap").glob("basemap-*.pmtiles")))
    with open(planet_dir / "planet.pmtiles", "rb") as file:
        planet = Reader(MmapSource(file))
        for (z, x, y), data in extract.items():
            assert planet.get(z, x, y) == data
    with open(next((instance_path / "basemap").glob("*.pmtiles")), "rb") as file:
        assert Reader(MmapSource(file)).metadata()["attribution"] == "© OpenStreetMap contributors"


def test_extract_from_a_server_without_range_support_says_so(manage, walk, planet_dir, instance_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(planet_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = manage(
            "basemap", "extract", "--walk", WALK, "--source", f"http://127.0.0.1:{server.server_port}/planet.pmtiles"
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code != 0 and "Range" in result.output
    assert not list((instance_path / "basemap").glob("*.pmtiles"))


def test_install_lists_the_corridor_tiles_in_the_walk_and_its_offline_manifest(installed, client):
    walk_doc = json.loads(client.get(f"/api/walks/{WALK}").data)
    basemap = walk_doc["basemap"]
    version = installed.name.rsplit("-", 1)[1].removesuffix(".pmtiles")
    assert basemap["version"] == version and basemap["tiles"] == f"/tiles/{version}/{{z}}/{{x}}/{{y}}.mvt"
    assert (basemap["minzoom"], basemap["maxzoom"]) == (12, 15)
    assert basemap["attribution"] == "© OpenStreetMap contributors"
    manifest = json.loads(client.get(f"/api/walks/{WALK}/offline").data)
    tile_entries = [e for e in manifest["urls"] if e["url"].startswith("/tiles/")]
    listed = {tuple(map(int, re.search(r"/(\d+)/(\d+)/(\d+)\.mvt$", e["url"]).groups())) for e in tile_entries}
    assert listed == set(extracted_tiles(installed)) and len(tile_entries) == basemap["tile_count"]
    for entry in tile_entries[:5] + tile_entries[-5:]:
        body = client.get(entry["url"], headers={"Accept-Encoding": "identity"}).data
        assert len(body) == entry["bytes"] and hashlib.sha256(body).hexdigest() == entry["sha256"]
    assert manifest["total_bytes"] == sum(e["bytes"] for e in manifest["urls"])


def test_installing_a_basemap_publishes_a_new_walk_version(manage, walk, planet_url, client):
    before = json.loads(client.get(f"/api/walks/{WALK}").data)
    assert before["basemap"] is None
    assert manage("basemap", "extract", "--walk", WALK, "--source", planet_url).exit_code == 0
    after = json.loads(client.get(f"/api/walks/{WALK}").data)
    assert after["version"] == before["version"] + 1 and after["basemap"]["tile_count"] > 0


def test_tiles_are_served_with_strong_etags_and_a_year_of_caching(installed, client):
    template = json.loads(client.get(f"/api/walks/{WALK}").data)["basemap"]["tiles"]
    tile = mercantile.tile(*PATH[0], 15)
    url = template.format(z=15, x=tile.x, y=tile.y)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.content_type == "application/vnd.mapbox-vector-tile"
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert not plain.headers["ETag"].startswith("W/")
    layers = mapbox_vector_tile.decode(plain.data)
    assert {"roads", "landuse", "water", "buildings"} <= set(layers)
    assert layers["roads"]["features"][0]["properties"]["name"].startswith("Veldstraat")
    assert (
        client.get(url, headers={"If-None-Match": plain.headers["ETag"], "Accept-Encoding": "identity"}).status_code
        == 304
    )
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"] and "Accept-Encoding" in zipped.headers["Vary"]
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in refused.headers and refused.data == plain.data


def test_a_tile_without_map_data_is_an_empty_200_and_other_zooms_are_404(installed, client):
    template = json.loads(client.get(f"/api/walks/{WALK}").data)["basemap"]["tiles"]
    far = mercantile.tile(3.90, 51.20, 15)  # inside the basemap's zooms, far outside the corridor
    empty = client.get(template.format(z=15, x=far.x, y=far.y))
    assert empty.status_code == 200 and empty.data == b""
    assert empty.headers["ETag"] == f'"{hashlib.sha256(b"").hexdigest()[:32]}"'
    assert mapbox_vector_tile.decode(empty.data) == {}
    near = mercantile.tile(*PATH[0], 16)
    too_deep = client.get(template.format(z=16, x=near.x, y=near.y))
    assert too_deep.status_code == 404 and too_deep.get_json()["error"] == "not_found"
    stale = client.get(f"/tiles/0123456789ab/15/{far.x}/{far.y}.mvt")
    assert stale.status_code == 404 and "not installed" in stale.get_json()["message"]
    version = template.split("/")[2]
    for hostile in (
        f"/tiles/{version}/{10**12}/1/1.mvt",
        f"/tiles/{version}/15/{2**15}/0.mvt",
        f"/tiles/{version}/15/{10**40}/{10**40}.mvt",
        "/tiles/..%2F..%2Fetc/15/1/1.mvt",
        "/tiles/*/15/1/1.mvt",
    ):
        answer = client.get(hostile)
        assert answer.status_code == 404 and answer.is_json, hostile


def test_tilejson_describes_the_installed_basemap(installed, client):
    response = client.get("/tiles/tiles.json")
    tilejson = response.get_json()
    assert tilejson["tilejson"] == "3.0.0" and tilejson["attribution"] == "© OpenStreetMap contributors"
    assert tilejson["minzoom"] == 12 and tilejson["maxzoom"] == 15
    west, south, east, north = tilejson["bounds"]
    assert west < 3.7196 < 3.7262 < east and south < 51.0546 < 51.0580 < north
    assert client.get("/tiles/tiles.json", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_without_a_basemap_the_walk_says_so_and_tiles_are_404(walk, client):
    assert json.loads(client.get(f"/api/walks/{WALK}").data)["basemap"] is None
    manifest = json.loads(client.get(f"/api/walks/{WALK}/offline").data)
    assert not [e for e in manifest["urls"] if e["url"].startswith("/tiles/")]
    assert client.get("/tiles/tiles.json").status_code == 404


def corrupt_copies(good: Path, folder: Path):
    data = good.read_bytes()
    truncated = folder / "truncated.pmtiles"
    truncated.write_bytes(data[: len(data) - 100])
    damaged = folder / "damaged.pmtiles"
    flipped = bytearray(data)
    for i in range(len(data) - 60, len(data) - 40):  # inside the last tile's gzip stream
        flipped[i] ^= 0xFF
    damaged.write_bytes(bytes(flipped))
    not_pmtiles = folder / "not-pmtiles.pmtiles"
    not_pmtiles.write_bytes(b"<html>404 Not Found</html>" * 10)
    return {"truncated": truncated, "damaged": damaged, "not PMTiles": not_pmtiles}


def test_install_refuses_a_corrupt_or_truncated_file_and_keeps_the_installed_basemap(
    installed, manage, client, tmp_path, instance_path
):
    walk_before = client.get(f"/api/walks/{WALK}").data
    files_before = sorted(p.name for p in (instance_path / "basemap").iterdir())
    for problem, path in corrupt_copies(installed, tmp_path).items():
        result = manage("basemap", "install", path)
        assert result.exit_code == 1, problem
        assert "left as it was" in result.output, result.output
        assert client.get(f"/api/walks/{WALK}").data == walk_before, problem
        assert sorted(p.name for p in (instance_path / "basemap").iterdir()) == files_before, problem
    info = manage("basemap", "info")
    assert installed.name in info.output


def test_install_takes_a_file_made_elsewhere_and_info_describes_it(
    manage, walk, planet_url, tmp_path, instance_path, client
):
    other = tmp_path / "elsewhere"
    assert (
        manage("basemap", "extract", "--walk", WALK, "--source", planet_url, "--no-install", "--maxzoom", 14).exit_code
        == 0
    )
    made = next((instance_path / "basemap").glob("*.pmtiles"))
    other.mkdir()
    shutil.move(made, other / "ghent.pmtiles")
    assert manage("basemap", "info").output.startswith("No basemap is installed")
    result = manage("basemap", "install", other / "ghent.pmtiles")
    assert result.exit_code == 0, result.output
    info = manage("basemap", "info").output
    assert "zooms 12-14" in info and "z14:" in info and "file on this instance: " in info and "MISSING" not in info
    assert f"{WALK}: " in info and " tiles, " in info
    assert client.get(f"/api/walks/{WALK}").get_json()["basemap"]["maxzoom"] == 14


def test_corridor_follows_the_path_and_the_stops(walk):
    from server.domain.basemap.corridor import corridor_tiles

    lines = walk_lines(walk)
    with_stops = set(corridor_tiles(lines, 10, [19]))  # z19 tiles are ~48 m wide here
    path_only = set(corridor_tiles(lines[:1], 10, [19]))
    lonely = mercantile.tile(STOPS[2][1], STOPS[2][0], 19)
    assert (19, lonely.x, lonely.y) in with_stops - path_only
    x, y = mercator(*PATH[0])
    assert (19, int(x * 2**19), int(y * 2**19)) in path_only
