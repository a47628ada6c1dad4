#!/usr/bin/env python3
"""Ask for the OGC collections documents in this process and print what each request cost: a child of ogc_scale.

Run with the project to measure as the working directory (it is put first on sys.path), against a database
where the walks are published. Through Flask's test client of an app of its own, for each URL: its first
request (as the first after a publication: whatever is read then is read once per published version),
then REPEAT more of it. Prints one JSON line: per URL the CPU µs and the peak of Python's allocations
(tracemalloc) of the first request, what it left allocated, and the CPU µs and allocation peak of a
repeated one. The CPU figures are taken without tracemalloc, whose hooks slow allocations down.
Usage: (cd PROJECT && python /path/to/bench/ogc_collections_once.py WALK)
"""

import json
import os
import sys
import time
import tracemalloc

REPEAT = 200


def urls(walk: str) -> list[str]:
    return ["/ogc/collections?f=json", "/ogc/collections?f=html", f"/ogc/collections/{walk}?f=json"]


def main() -> None:
    sys.path.insert(0, os.getcwd())
    from server import create_app

    figures = {}
    for url in urls(sys.argv[1]):
        client = warmed(create_app())  # each URL asked first in a process of its own, as after a publication
        cpu = time.process_time()
        check(client.get(url))
        first_us = (time.process_time() - cpu) * 1e6
        cpu = time.process_time()
        for _ in range(REPEAT):
            check(client.get(url))
        repeat_us = (time.process_time() - cpu) / REPEAT * 1e6
        client = warmed(create_app())  # the same again for the allocations, without tracemalloc's CPU
        first_peak, first_kept = traced(client, url)
        figures[url] = {
            "first_us": first_us,
            "repeat_us": repeat_us,
            "first_peak": first_peak,
            "first_kept": first_kept,
            "repeat_peak": traced(client, url)[0],
        }
    print(json.dumps(figures))


def warmed(app):
    """Return a test client of `app` once its templates, translations and published documents are loaded."""
    for template in ("ogc/collections.html", "ogc/collection.html"):
        app.jinja_env.get_template(template)  # compiled once per process, not per request
    client = app.test_client()
    check(client.get("/ogc?f=html"))
    check(client.get("/api/walks"))
    return client


def check(response) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{response.request.path} answered {response.status_code}")


def traced(client, url: str) -> tuple[int, int]:
    """Return the peak of Python's allocations while `url` is answered and what stays allocated after it."""
    tracemalloc.start()
    try:
        check(client.get(url))
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, kept


if __name__ == "__main__":
    main()
