#!/usr/bin/env python3
"""Measure the OGC API and OpenAPI URLs under `manage.py serve` (Granian) with wrk, and print the figures.

The OGC answers are built per request from the parsed published documents (not precomputed bytes
like /api/walks/<walk>/stops, which is measured alongside for comparison). wrk shares this
machine's cores with the server: read the figures as relative, not as the capacity of a real host.
Usage: .venv/bin/python bench/ogc_items.py [--duration 5s] [--connections 32]
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
URLS = [
    "/api/walks/gent-kanazawa/stops",
    "/ogc/collections",
    "/ogc/collections/gent-kanazawa/items",
    "/ogc/collections/gent-kanazawa/items?bbox=3.70,51.03,3.73,51.06&limit=5",
    "/ogc/collections/gent-kanazawa/items/belfort",
    "/ogc/collections/gent-kanazawa/items?f=html",
    "/api/openapi.json",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/ogc")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="5s")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install Debian's wrk")
    port = free_port()
    with tempfile.TemporaryDirectory() as instance:
        env = {**os.environ, "KOTOJI_INSTANCE_PATH": instance, "DATABASE_URL": f"sqlite:///{instance}/bench.sqlite3"}
        server = subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(port)], cwd=PROJECT_ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(port, timeout=120)
            print(f"{os.cpu_count()} cores shared by wrk and one Granian worker; {args.duration}, "
                  f"{args.connections} connections")
            for url in URLS:
                result = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}",
                                         f"http://127.0.0.1:{port}{url}"], capture_output=True, text=True)
                rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
                errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
                print(f"{float(rate.group(1)) if rate else 0:>9.0f} req/s  {url}"
                      + (f"  ({errors.group(1)} non-2xx!)" if errors else ""))
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
