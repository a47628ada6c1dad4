#!/usr/bin/env python3
"""The tourist app with a walk of 1,000 stops, measured in headless Chromium (printed, never asserted).

The walk is bench/synthetic_walk.py's (the Ghent walk's path and texts, N stops along it), seeded into
a fresh instance served by `manage.py serve`. Per run, on a phone-sized page with the CPU slowed
--cpu-slowdown times: time from navigation to the first stop row in the list and to the drawn map
(performance mark "kotoji:map-drawn"), elements in the page with the map shown and with the list shown,
the markers on the map, the main thread's long tasks (count, longest, summed beyond 50 ms), and the
longest task while a position fix comes in every 200 ms for 5 s (each fix refreshes the walking panel).
Usage: .venv/bin/python bench/pwa_long_walk.py [--stops 1000] [--runs 3] [--cpu-slowdown 4] [--project DIR]
--project serves another checkout (e.g. an export of main) with this script, for before/after figures.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import Server, bench_environment, free_port  # noqa: E402
from synthetic_walk import write_bundle  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WALK = "gent-kanazawa"
MOBILE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 2.625, "is_mobile": True, "has_touch": True}
PROBES = """
    window.kotojiLongTasks = [];
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) kotojiLongTasks.push(entry.duration); })
      .observe({ type: "longtask", buffered: true });
    new MutationObserver((changes, observer) => {
      if (document.querySelector("#stop-list > li")) {
        performance.mark("bench:list-drawn");
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
"""
FIGURES = """() => ({
    list_ms: performance.getEntriesByName('bench:list-drawn')[0]?.startTime ?? null,
    map_ms: performance.getEntriesByName('kotoji:map-drawn')[0]?.startTime ?? null,
    elements: document.getElementsByTagName('*').length,
    rows: document.querySelectorAll('#stop-list > li').length,
    markers: document.querySelectorAll('#map .leaflet-marker-icon').length,
    long_tasks: kotojiLongTasks.length,
    longest_ms: Math.max(0, ...kotojiLongTasks),
    blocked_ms: kotojiLongTasks.reduce((sum, d) => sum + d - 50, 0) })"""


def one_run(browser, base: str, slowdown: float, start: tuple[float, float]) -> dict:
    lon, lat = start
    context = browser.new_context(
        **MOBILE, geolocation={"longitude": lon, "latitude": lat}, permissions=["geolocation"]
    )
    context.add_init_script(PROBES)
    page = context.new_page()
    page.set_default_timeout(300000)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    page.goto(f"{base}/#/walk/{WALK}")
    page.wait_for_selector("#map[data-drawn='true']")
    page.wait_for_timeout(1000)  # late tasks
    row = page.evaluate(FIGURES)
    page.click("#show-list")
    page.wait_for_timeout(500)
    listed = page.evaluate(FIGURES)
    row["elements_list"], row["rows"] = listed["elements"], listed["rows"]
    page.click("#start-walking")
    page.evaluate("() => { kotojiLongTasks.length = 0; }")
    for n in range(25):  # a walker moving north-east, a fix every 200 ms
        context.set_geolocation({"longitude": lon + n * 0.00002, "latitude": lat + n * 0.00002, "accuracy": 8})
        page.wait_for_timeout(200)
    walking = page.evaluate(FIGURES)
    row["walking_longest_ms"], row["walking_blocked_ms"] = walking["longest_ms"], walking["blocked_ms"]
    context.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu-slowdown", type=float, default=4)
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kotoji-pwa-long-") as folder:
        tmp = Path(folder)
        routes = write_bundle(args.stops, tmp / "routes")
        env = {**bench_environment(tmp), "KOTOJI_ROUTES_DIR": str(routes)}
        manage = [sys.executable, str(args.project / "manage.py")]
        for command in ("upgrade", "seed"):
            subprocess.run([*manage, command], cwd=args.project, env=env, check=True, capture_output=True)
        port = free_port()
        command = [*manage, "serve", "--host", "127.0.0.1", "--port", str(port)]
        server = Server("kotoji", command, env, tmp, cwd=args.project)  # the app is imported from there
        server.__enter__()
        try:
            server.wait_ready("/api/walks", 120)
            start = first_stop(routes)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
                base = f"http://127.0.0.1:{port}"
                rows = [one_run(browser, base, args.cpu_slowdown, start) for _ in range(args.runs)]
                browser.close()
        finally:
            server.__exit__(None, None, None)
    print(f"\n{args.stops} stops, CPU slowed {args.cpu_slowdown:g}x, {args.runs} runs (median, then every run)")
    for key, label in (
        ("list_ms", "first list row, ms"),
        ("map_ms", "map drawn, ms"),
        ("elements", "elements, map shown"),
        ("elements_list", "elements, list shown"),
        ("rows", "list rows in the page"),
        ("markers", "markers on the map"),
        ("long_tasks", "long tasks while opening"),
        ("longest_ms", "longest task opening, ms"),
        ("blocked_ms", "blocked beyond 50 ms, ms"),
        ("walking_longest_ms", "longest task walking, ms"),
        ("walking_blocked_ms", "walking blocked >50 ms, ms"),
    ):
        values = [row[key] for row in rows]
        print(f"{label:<30}{statistics.median(values):>10.0f}   " + " ".join(f"{v:.0f}" for v in values))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def first_stop(routes: Path) -> tuple[float, float]:
    import json

    features = json.loads((routes / WALK / "stops.geojson").read_text())["features"]
    return tuple(features[0]["geometry"]["coordinates"])


if __name__ == "__main__":
    main()
