"""A worker's memory under many distinct tile and media URLs (red-team H2): RSS before and after.

Builds an instance with a synthetic basemap (tests/basemap_planet.py, 1 km around Ghent, zooms 12-15)
and a few media files, serves it with `manage.py serve` (Granian, one worker) on 127.0.0.1, then sends
GETs for distinct URLs, in turn: a tile with map data, an empty tile (a new x/y each time), a
leading-zero spelling of one, a media file that exists and one that does not. It prints the worker's
RSS after a warm-up, along the way and at the end. Everything lives in a temporary folder.

    .venv/bin/python bench/tile_memory.py [--requests 100000] [--threads 4] [--max-seconds 600]
"""

import argparse
import http.client
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.probes import process_tree, read_kb  # noqa: E402
from bench.servers import Server, bench_environment, free_port  # noqa: E402
from tests.basemap_planet import make_planet  # noqa: E402

MEDIA_FILES = 20


def prepare(tmp: Path, env: dict) -> None:
    """Create the database, seed the walks, install the basemap and store a few images."""
    manage = [sys.executable, str(PROJECT_ROOT / "manage.py")]
    make_planet(tmp / "planet.pmtiles", radius_km=1, minzoom=12, maxzoom=15)
    for command in (["upgrade"], ["seed"], ["basemap", "install", str(tmp / "planet.pmtiles")]):
        subprocess.run(manage + command, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    script = (
        "import io, sys\nfrom PIL import Image\nfrom server import create_app\n"
        "from server.domain.media import store_media\n"
        "app = create_app()\nwith app.extensions['db'].session() as session:\n"
        f"    for n in range({MEDIA_FILES}):\n"
        "        out = io.BytesIO(); Image.new('RGB', (40, 40), (n, 100, 200)).save(out, 'PNG')\n"
        "        print(store_media(session, out.getvalue()).name)\n"
        "    session.commit()\n"
    )
    names = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    (tmp / "media.txt").write_text("\n".join(names))


def urls(n: int, version: str, tiles: list[str], media: list[str]):
    """Yield n distinct-as-possible URLs: hits, empty tiles, non-canonical numbers, media hits and misses."""
    for i in range(n):
        kind, k = i % 5, i // 5
        x, y = 16000 + k % 1500, 10000 + k // 1500  # z15 tiles far from Ghent's: empty, each one new
        if kind == 0:
            yield tiles[k % len(tiles)]
        elif kind == 1:
            yield f"/tiles/{version}/15/{x}/{y}.mvt"
        elif kind == 2:
            yield f"/tiles/{version}/15/0{x}/{y}.mvt"
        elif kind == 3:
            yield f"/media/{media[k % len(media)]}"
        else:
            yield f"/media/{i:064x}.png"


def send(port: int, paths: list[str], counts: dict, lock: threading.Lock, deadline: float) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    seen = {}
    for n, path in enumerate(paths):
        if time.monotonic() > deadline:
            break
        connection.request("GET", path, headers={"Accept-Encoding": "gzip" if n % 2 else "identity"})
        response = connection.getresponse()
        response.read()
        seen[response.status] = seen.get(response.status, 0) + 1
    connection.close()
    with lock:
        for status, count in seen.items():
            counts[status] = counts.get(status, 0) + count


def worker_rss_mb(root: int) -> float:
    """RSS of the Granian worker(s): every process of the server's tree but its main one."""
    return sum(read_kb(f"/proc/{pid}/status", "VmRSS:") for pid in process_tree(root) if pid != root) / 1024


def load(port: int, paths: list[str], threads: int, deadline: float) -> dict:
    counts, lock = {}, threading.Lock()
    pool = [
        threading.Thread(target=send, args=(port, paths[t::threads], counts, lock, deadline)) for t in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=600, help="stop sending after this long")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kotoji-tile-memory-"))
    try:
        env = bench_environment(tmp)
        prepare(tmp, env)
        port = free_port()
        command = [sys.executable, str(PROJECT_ROOT / "manage.py"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        with Server("kotoji", command, env, tmp) as server:
            server.wait_ready("/tiles/tiles.json", timeout=60)
            version = fetch_json(port, "/tiles/tiles.json")["tiles"][0].split("/")[2]
            manifest = fetch_json(port, "/api/walks/gent-kanazawa/offline")
            tiles = [u["url"] for u in manifest["urls"] if u["url"].startswith("/tiles/") and u["bytes"]]
            media = (tmp / "media.txt").read_text().split()
            print(f"basemap {version}: {len(tiles)} tiles with map data along the walk; {len(media)} media files")
            load(port, list(urls(2000, version, tiles, media)), args.threads, time.monotonic() + 120)  # warm-up
            before = worker_rss_mb(server.process.pid)
            print(f"worker RSS after warm-up: {before:.1f} MB")
            all_paths = list(urls(args.requests, version, tiles, media))
            started, deadline, counts, sent = time.monotonic(), time.monotonic() + args.max_seconds, {}, 0
            step = max(1, args.requests // 5)
            for chunk in range(0, len(all_paths), step):
                part = load(port, all_paths[chunk : chunk + step], args.threads, deadline)
                for status, count in part.items():
                    counts[status] = counts.get(status, 0) + count
                sent += sum(part.values())
                print(f"  after {sent:>7} requests: worker RSS {worker_rss_mb(server.process.pid):.1f} MB")
                if time.monotonic() > deadline:
                    print(f"  stopped at --max-seconds {args.max_seconds:g}")
                    break
            seconds = time.monotonic() - started
            after = worker_rss_mb(server.process.pid)
            print(
                f"{sent} requests in {seconds:.0f} s ({sent / seconds:.0f}/s), statuses {dict(sorted(counts.items()))}"
            )
            print(f"worker RSS: {before:.1f} MB -> {after:.1f} MB ({after - before:+.1f} MB)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def fetch_json(port: int, path: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


if __name__ == "__main__":
    main()
