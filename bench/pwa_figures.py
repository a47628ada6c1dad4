#!/usr/bin/env python3
"""Measure the tourist app in headless Chromium and print the figures (never asserts them).

1. First visit: bytes over the wire (compressed, headers included) for HTML, JS, CSS and data,
   images apart, for a phone opening a walk for the first time;
2. Lighthouse (npm `lighthouse`, run with npx on Debian's Chromium, mobile settings): performance
   and accessibility scores, if npx can fetch it (skipped with the reason otherwise);
3. Offline: after "Download this walk", the server is stopped and the page reloaded; the time
   from navigation start to the drawn map (performance mark "kotoji:map-drawn"), median of 5.
4. With --dense-map: a basemap as dense as an old town's (tests/basemap_planet.py, density "city",
   extracted and installed like a real one) drawn on a phone-like CPU (Chromium throttled 4x): time to
   the route, time until every visible basemap tile is drawn ("kotoji:basemap-drawn"), and the main
   thread's long tasks (goal: drawn within 1.5 s, no task over 200 ms). Run 1 is a first visit, run 2
   a reload, run 3 a reload once the walk (with its tiles) is downloaded.
   That density is random strokes, not a town (39-67 s to draw, which no real tile would cost):
   bench/dense_map.py measures the same budget on tests/basemap_old_town.py, with MapLibre beside it.
The server is Kotoji's production one (`manage.py serve`) on a fresh temporary database.
Usage: .venv/bin/python bench/pwa_figures.py [--no-lighthouse] [--dense-map]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import Server, bench_environment, free_port  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WALK = "gent-kanazawa"
LIGHTHOUSE = "lighthouse@12.8.2"  # 12.x runs on Node 20; 13.x wants Node 22
BUDGET_KB = 150
MOBILE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 2.625, "is_mobile": True, "has_touch": True}


def first_visit(browser, base: str) -> dict:
    """Return compressed bytes per kind of resource for a first visit of the walk page."""
    context = browser.new_context(**MOBILE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    kinds, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], (e["type"], e["response"]["url"])))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(f"{base}/#/walk/{WALK}")
    page.wait_for_selector("#map[data-drawn='true']")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
    page.wait_for_selector("#download-walk:not([hidden])")
    page.wait_for_timeout(500)
    totals = {}
    for request_id, size in sizes.items():
        kind, url = kinds.get(request_id, ("Other", ""))
        group = (
            "images"
            if kind == "Image" or url.endswith((".png", ".jpg", ".webp"))
            else "audio"
            if kind == "Media"
            else "tiles"
            if "/tiles/" in url
            else "map library"
            if "/vendor/leaflet/" in url or "/vendor/protomaps-leaflet/" in url
            else "data"
            if "/api/" in url
            else kind.lower()
        )
        totals[group] = totals.get(group, 0) + size
    context.close()
    return totals


def offline_reload_ms(browser, base: str, server: Server, runs: int = 5) -> tuple[list[float], dict]:
    """Download the walk, stop the server, reload: return the times to a drawn map (ms)."""
    context = browser.new_context(**MOBILE)
    page = context.new_page()
    page.goto(f"{base}/#/walk/{WALK}")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
    page.wait_for_selector("#download-walk:not([hidden])")
    page.click("#download-walk")
    page.wait_for_selector("#download-status[data-state='available']", timeout=60000)
    stored = page.evaluate("() => navigator.storage.estimate()")
    server.__exit__(None, None, None)
    times = []
    for _ in range(runs):
        page.reload()
        page.wait_for_selector("#map[data-drawn='true']")
        times.append(page.evaluate("() => performance.getEntriesByName('kotoji:map-drawn')[0].startTime"))
    state = page.get_attribute("#connection", "data-state")
    context.close()
    return times, {"usage_bytes": stored.get("usage"), "connection_shown": state}


LONG_TASKS = """
    window.kotojiLongTasks = [];
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) kotojiLongTasks.push(entry.duration); })
      .observe({ type: "longtask", buffered: true });
"""
CPU_SLOWDOWN = 4


def dense_map(browser, base: str) -> list[dict]:
    """Draw the walk over a city-density basemap with the CPU slowed 4x; return one row per run."""
    context = browser.new_context(**MOBILE)
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.set_default_timeout(300000)  # a blocked main thread answers Playwright late too
    rows = []
    for run in ("first visit", "reload", "reload, walk downloaded"):
        if run == "first visit":
            page.goto(f"{base}/#/walk/{WALK}")
        else:
            page.reload()
        page.wait_for_function("() => performance.getEntriesByName('kotoji:basemap-drawn').length > 0", timeout=300000)
        page.wait_for_timeout(1000)  # labels and late tasks
        rows.append(
            {
                "run": run,
                **page.evaluate("""() => ({
            route_ms: performance.getEntriesByName('kotoji:map-drawn')[0].startTime,
            basemap_ms: performance.getEntriesByName('kotoji:basemap-drawn')[0].startTime,
            long_tasks: kotojiLongTasks.length,
            over_200_ms: kotojiLongTasks.filter((d) => d > 200).length,
            longest_ms: Math.max(0, ...kotojiLongTasks),
            blocked_ms: kotojiLongTasks.reduce((sum, d) => sum + d - 50, 0),
            tiles: document.querySelectorAll('#map .leaflet-tile-loaded').length })"""),
            }
        )
        if run == "reload":
            page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60000)
            page.wait_for_selector("#download-walk:not([hidden])")
            page.uncheck("#download-twin-too")
            page.click("#download-walk")
            page.wait_for_selector("#download-status[data-state='available']", timeout=300000)
    context.close()
    return rows


def install_dense_basemap(env: dict, tmp: Path) -> str:
    """Build a city-density planet around the walk, serve it, extract and install it; say what was made."""
    import basemap_figures
    from basemap_figures import build_planet, extract_served_planet, walk_coordinates

    coordinates = walk_coordinates(WALK)
    lons, lats = [c[0] for c in coordinates], [c[1] for c in coordinates]
    basemap_figures.MARGIN_KM = 0.5  # the corridor, not the whole city: the planet builds in a minute
    tiles = build_planet(tmp / "planet.pmtiles", (min(lons), min(lats), max(lons), max(lats)), 12, 15)
    extract_served_planet(env, tmp, WALK)
    return (
        f"{tiles} synthetic city-density tiles (z12-15), {(tmp / 'planet.pmtiles').stat().st_size / 1e6:.1f} MB planet"
    )


def lighthouse(base: str, tmp: Path, keep: Path | None) -> dict | str:
    """Run Lighthouse (mobile) on the walk page; return its scores or why it could not run."""
    npx = shutil.which("npx")
    if npx is None:
        return "npx is not installed"
    report = tmp / "lighthouse.json"
    command = [
        npx,
        "--yes",
        LIGHTHOUSE,
        f"{base}/#/walk/{WALK}",
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return "lighthouse took longer than 10 minutes"
    if done.returncode != 0 or not report.exists():
        return f"lighthouse failed ({done.returncode}): {(done.stderr or done.stdout)[-400:]}"
    if keep:
        shutil.copy(report, keep)
    result = json.loads(report.read_text())
    audits = result["audits"]
    return {
        "performance": round(result["categories"]["performance"]["score"] * 100),
        "accessibility": round(result["categories"]["accessibility"]["score"] * 100),
        "first-contentful-paint": audits["first-contentful-paint"]["displayValue"],
        "largest-contentful-paint": audits["largest-contentful-paint"]["displayValue"],
        "total-blocking-time": audits["total-blocking-time"]["displayValue"],
        "cumulative-layout-shift": audits["cumulative-layout-shift"]["displayValue"],
        "failed accessibility audits": [
            ref["id"]
            for ref in result["categories"]["accessibility"]["auditRefs"]
            if audits[ref["id"]].get("score") == 0
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse run")
    parser.add_argument("--lighthouse-report", type=Path, help="keep Lighthouse's JSON report at this path")
    parser.add_argument(
        "--dense-map",
        action="store_true",
        help="install a city-density basemap and measure drawing it with the CPU slowed 4x",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kotoji-pwa-bench-") as folder:
        tmp = Path(folder)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = bench_environment(tmp)
        planet = install_dense_basemap(env, tmp) if args.dense_map else None
        server = Server(
            "kotoji", [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)], env, tmp
        )
        server.__enter__()
        try:
            server.wait_ready("/api/walks", 90)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
                if args.dense_map:  # a figure of its own: the other figures are about the walk without a basemap
                    drawing = dense_map(browser, base)
                else:
                    totals = first_visit(browser, base)
                    scores = None if args.no_lighthouse else lighthouse(base, tmp, args.lighthouse_report)
                    times, offline = offline_reload_ms(browser, base, server)
                browser.close()
        finally:
            server.__exit__(None, None, None)

    if args.dense_map:
        print_dense_map(drawing, planet)
        return
    # issue 16's budget: the first visit before the map library (Leaflet, and protomaps-leaflet where the
    # page draws its own basemap), which the app shell also caches for offline use
    left_out = ("images", "audio", "tiles", "map library")
    counted = sum(size for group, size in totals.items() if group not in left_out)
    print("First visit of the walk page (compressed bytes over the wire, headers included):")
    for group, size in sorted(totals.items()):
        print(f"  {group:<12} {size / 1024:8.1f} KB")
    print(f"  counted      {counted / 1024:8.1f} KB  (all but {', '.join(left_out)}; budget {BUDGET_KB} KB)")
    print("Lighthouse (mobile):")
    if isinstance(scores, dict):
        for name, value in scores.items():
            print(f"  {name}: {value}")
    else:
        print(f"  not run: {scores or '--no-lighthouse'}")
    print("Offline reload (server stopped) to a drawn map, headless Chromium:")
    print(f"  median {statistics.median(times):.0f} ms; runs: {', '.join(f'{t:.0f}' for t in times)} ms")
    print(f"  status shown: {offline['connection_shown']}; origin storage used: {offline['usage_bytes'] / 1024:.0f} KB")


def print_dense_map(drawing: list[dict], planet: str) -> None:
    print(f"Dense basemap, CPU slowed {CPU_SLOWDOWN}x ({planet}); goal: drawn within 1500 ms, no task over 200 ms:")
    for row in drawing:
        print(
            f"  {row['run']:<24} route {row['route_ms']:6.0f} ms, basemap drawn {row['basemap_ms']:6.0f} ms "
            f"({row['tiles']} tiles); long tasks {row['long_tasks']}, over 200 ms {row['over_200_ms']}, "
            f"longest {row['longest_ms']:.0f} ms, blocked {row['blocked_ms']:.0f} ms"
        )


if __name__ == "__main__":
    main()
