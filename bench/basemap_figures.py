"""Figures for the offline basemap: the Ghent walk's offline pack, tiles per zoom, time to extract.

Builds a synthetic planet whose tiles around Ghent are as heavy as a dense old town's in the
Protomaps build (tests/basemap_planet.py, density "city"), serves it over HTTP with Range support
on 127.0.0.1, runs the real extract and install, and reads the walk's offline manifest.

    .venv/bin/python bench/basemap_figures.py [--buffer-m 500] [--minzoom 12] [--maxzoom 15] [--source URL]

With --source (a real planet, e.g. a Protomaps daily build), the same figures come from real tiles.
"""

import argparse
import gzip
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

import mercantile  # noqa: E402
from pmtiles.tile import zxy_to_tileid  # noqa: E402

from tests.basemap_planet import OCEAN, make_tile, write_archive  # noqa: E402
from tests.basemap_walk import RangeRequestHandler  # noqa: E402

WALK = "gent-kanazawa"
GOAL_BYTES = 15 * 1000 * 1000
MARGIN_KM = 1.5  # city-density tiles this far beyond the walk, so the corridor never runs out of map


def city_tile(zxy):
    z, x, y = zxy
    return zxy_to_tileid(z, x, y), make_tile(z, x, y, "city")


def build_planet(path: Path, bbox, minzoom: int, maxzoom: int) -> int:
    west, south, east, north = bbox
    dlat = MARGIN_KM / 111.2
    dlon = dlat / 0.63
    wanted = [
        (t.z, t.x, t.y)
        for z in range(minzoom, maxzoom + 1)
        for t in mercantile.tiles(west - dlon, south - dlat, east + dlon, north + dlat, [z])
    ]
    with multiprocessing.Pool(os.cpu_count() or 1) as pool:
        tiles = dict(pool.map(city_tile, wanted, chunksize=2))
    for z in range(0, 8):  # the rest of the world: one repeated ocean tile, as in the real planet
        for x in range(1 << z):
            for y in range(1 << z):
                tiles.setdefault(zxy_to_tileid(z, x, y), OCEAN)
    write_archive(
        path,
        tiles,
        leaf_size=256,
        metadata={"name": "Synthetic planet (city density)", "attribution": "© OpenStreetMap contributors"},
    )
    return len(wanted)


def serve(folder: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeRequestHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def walk_coordinates(walk: str = WALK) -> list[list[float]]:
    """The walk's path from its bundle, as [lon, lat] positions."""
    path = json.loads((PROJECT_ROOT / "routes" / walk / "path.geojson").read_text())
    return path["geometry"]["coordinates"] if "geometry" in path else path["features"][0]["geometry"]["coordinates"]


def extract_served_planet(env: dict, folder: Path, walk: str = WALK, buffer_m: int = 300) -> None:
    """Serve `folder`/planet.pmtiles over HTTP and run `manage.py upgrade`, `seed` and `basemap extract` on it."""
    planet = serve(folder)
    source = f"http://127.0.0.1:{planet.server_port}/planet.pmtiles"
    extract = ["basemap", "extract", "--walk", walk, "--buffer-m", str(buffer_m), "--source", source]
    try:
        for command in (["upgrade"], ["seed"], extract):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                env=env,
                cwd=PROJECT_ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
    finally:
        planet.shutdown()
        planet.server_close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buffer-m", type=int, default=500)
    parser.add_argument("--minzoom", type=int, default=12)
    parser.add_argument("--maxzoom", type=int, default=15)
    parser.add_argument("--source", help="a real PMTiles planet (URL or file) instead of the synthetic one")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kotoji-basemap-bench-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path):
    os.environ["KOTOJI_INSTANCE_PATH"] = str(work / "instance")
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'kotoji.sqlite3'}"
    from server import create_app
    from server.config import basemap_folder
    from server.domain.basemap.extract import extract_basemap
    from server.domain.basemap.install import install_basemap
    from server.domain.basemap.installed import walk_lines
    from server.domain.geometry import bbox
    from server.domain.models import PublishedDocument
    from server.domain.walks.bundles import read_bundles
    from server.domain.walks.lookup import get_walk
    from server.domain.walks.seeding import seed
    from server.migrate import upgrade

    app = create_app()
    upgrade(app.config["DATABASE_URL"])
    with app.extensions["db"].session() as session:
        seed(session, read_bundles(Path(app.config["ROUTES_DIR"])))
        session.commit()
        walk = get_walk(session, WALK)
        lines = walk_lines(walk)
        area = bbox([p for line in lines for p in line])
        before = json.loads(session.get(PublishedDocument, f"/api/walks/{WALK}/offline").body)

    server = None
    if args.source:
        url = args.source
    else:
        started = time.monotonic()
        planet_tiles = build_planet(work / "planet.pmtiles", area, args.minzoom, args.maxzoom)
        print(
            f"synthetic planet: {planet_tiles} city tiles around the walk + ocean elsewhere, "
            f"{(work / 'planet.pmtiles').stat().st_size / 1e6:.1f} MB, built in {time.monotonic() - started:.0f} s"
        )
        server = serve(work)
        url = f"http://127.0.0.1:{server.server_port}/planet.pmtiles"
    report = extract_basemap(url, {WALK: lines}, basemap_folder(app), args.minzoom, args.maxzoom, args.buffer_m)
    if server:
        server.shutdown()
    print(
        f"extract ({args.buffer_m} m either side, z{args.minzoom}-{args.maxzoom}): {report.seconds:.2f} s, "
        f"{report.requests} range requests, {report.bytes_transferred / 1e6:.2f} MB read, "
        f"file {report.bytes / 1e6:.2f} MB"
    )

    with app.extensions["db"].session() as session:
        started = time.monotonic()
        install_basemap(session, report.path, basemap_folder(app))
        session.commit()
        print(f"install (check every tile, republish): {time.monotonic() - started:.2f} s")
        manifest = json.loads(session.get(PublishedDocument, f"/api/walks/{WALK}/offline").body)

    tiles = [e for e in manifest["urls"] if e["url"].startswith("/tiles/")]
    per_zoom = defaultdict(lambda: [0, 0, 0])
    for entry in tiles:
        z = int(entry["url"].split("/")[3])
        per_zoom[z][0] += 1
        per_zoom[z][1] += entry["bytes"]
    from server.domain.basemap.installed import TileStore

    store = TileStore(basemap_folder(app))
    version = tiles[0]["url"].split("/")[2]
    for entry in tiles:
        z, x, y = (int(part) for part in entry["url"].removesuffix(".mvt").split("/")[3:])
        found = store.tile(version, z, x, y)
        per_zoom[z][2] += len(found.stored if found.gzipped else gzip.compress(found.plain()))
    print("\nzoom  tiles  stored (plain MVT)  transferred (gzip)")
    for z in sorted(per_zoom):
        count, plain, packed = per_zoom[z]
        print(f"z{z:<4}{count:>6}  {plain / 1e6:>12.2f} MB  {packed / 1e6:>12.2f} MB")
    tile_bytes = sum(e["bytes"] for e in tiles)
    other = manifest["total_bytes"] - tile_bytes
    print(
        f"all   {len(tiles):>5}  {tile_bytes / 1e6:>12.2f} MB  {sum(v[2] for v in per_zoom.values()) / 1e6:>12.2f} MB"
    )
    print(
        f"\noffline pack for {WALK} v{manifest['version']}: {manifest['total_bytes'] / 1e6:.2f} MB "
        f"= basemap {tile_bytes / 1e6:.2f} MB + documents and media {other / 1e6:.2f} MB "
        f"({len(manifest['urls'])} URLs; before the basemap: {before['total_bytes'] / 1e6:.2f} MB)"
    )
    print(f"goal: under {GOAL_BYTES / 1e6:.0f} MB -> {'met' if manifest['total_bytes'] < GOAL_BYTES else 'NOT met'}")

    client = app.test_client()  # in-process: the app's own cost per tile, without a network or server
    for encoding in ("gzip", "identity"):
        started, count = time.monotonic(), 0
        while time.monotonic() - started < 2:
            for entry in tiles:
                client.get(entry["url"], headers={"Accept-Encoding": encoding})
                count += 1
        elapsed = time.monotonic() - started
        print(f"serving tiles in-process ({encoding}): {count / elapsed:.0f} tiles/s, one process, one thread")


if __name__ == "__main__":
    main()
