#!/usr/bin/env python3
"""Draw an old town's basemap on a phone-like CPU: the app's worker and page drawing, and MapLibre GL JS.

The basemap is tests/basemap_old_town.py (streets, row houses, water, labels as dense as central
Ghent; ~50-70 KB per z15 tile gzipped), cut into a planet, extracted along the Ghent walk and
installed by the real commands, served by `manage.py serve`. Chromium's CPU is slowed 4x (CDP
Emulation.setCPUThrottlingRate). The app draws its basemap in a worker (pwa/workers/basemap.js);
`?basemap=page` makes it draw on the page's main thread, as before the worker, for comparison.
CDP cannot slow a worker ("only supported for pages"), so the worker is slowed here the way Chromium
slows a page, by pausing it: each tile is handed over when it has taken `rate` times the work the same
tile took at full speed (its wait for its bytes left out), and the next one starts then; the worker
sleeps meanwhile (a busy-wait would take a core from the page's main thread on a machine with few).
The full-speed work is what the worker measured for each tile in the same reload done unslowed just
before. While CDP slows the page, the worker's painting on this 2-core machine already takes 2-2.6
times as long (its JavaScript alone does not), so pausing for (rate - 1) times that work, as this bench
did before, counted the slowing twice.
The rate is the one the page's main thread really gets (a loop timed with and without throttling: on a
busy machine Chromium's 4x is less), unless --worker-cpu names one (1: full speed).
For each way of drawing:

- first draw from cached tiles: the page is opened once (tiles stored: the app downloads the walk
  into its service worker's cache; the MapLibre page's tiles sit in the HTTP cache, they are
  immutable), then reloaded with the CPU slowed; the figure is the time from navigation to the
  basemap drawn (the app's "kotoji:basemap-drawn" mark, MapLibre's first "idle");
- the main thread's long tasks (PerformanceObserver "longtask") during that load, and while the
  walker pans (four drags) and zooms (in twice, out three times), waiting for the tiles after each;
  "blocking" is their time past 50 ms each, summed (Lighthouse's Total Blocking Time);
- with --profile, the functions the main thread and the worker spent their pan and zoom on (CDP
  Profiler, protomaps-leaflet's minified names told through its source map; bench/cpu_profiles.py).

Budget (issue 16, item 12): first draw under 1500 ms, no task over 200 ms. Figures are printed, never
asserted. MapLibre comes from a folder given with --maplibre (an npm install of maplibre-gl, its CSP
build: no blob: worker); without it only the app is measured.

    .venv/bin/python bench/dense_map.py [--maplibre /path/to/node_modules/maplibre-gl] [--cpu 4]
        [--drawer worker --drawer page] [--worker-cpu 4] [--runs 2] [--planet /tmp/old-town.pmtiles] [--profile]
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import mercantile  # noqa: E402
from basemap_figures import extract_served_planet, walk_coordinates  # noqa: E402
from cpu_profiles import Profiles  # noqa: E402
from glyph_pbf import glyph_range  # noqa: E402
from pmtiles.tile import zxy_to_tileid  # noqa: E402
from servers import Server, bench_environment, free_port  # noqa: E402

from tests.basemap_old_town import make_old_town_tile, old_town  # noqa: E402
from tests.basemap_planet import OCEAN, write_archive  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WALK = "gent-kanazawa"
MOBILE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 2.625, "is_mobile": True, "has_touch": True}
MARGIN_KM = 0.6
LONG_TASKS = """
    window.kotojiLongTasks = [];
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) kotojiLongTasks.push(entry.duration); })
      .observe({ type: "longtask", buffered: true });
"""
# Chromium's CPU throttling, done to the basemap worker by hand (see the docstring): run in the worker as
# soon as it starts, before it is set up. drawTile, tileBytes and postMessage are the worker's globals (a
# classic script). The worker fetches every tile's bytes ahead, concurrently: what a tile waits for them
# (tileBytes, called only while a tile is drawn) is I/O and left out; the rest of drawTile is work.
# `kotojiWorked` records each tile's work, draw after draw (a tile is drawn again when labels move);
# `unslowed` is that record from a load at full speed: the n-th draw of a tile takes `rate` times the
# n-th draw's work there (or its own work, when that load did not draw it).
SLOW_WORKER = """(rate, unslowed) => {
    let waited = 0, held = [];
    self.kotojiWorked = {};
    const post = self.postMessage.bind(self);
    self.postMessage = (message, transfer) =>
        message.type === "tile" ? held.push([message, transfer]) : post(message, transfer);
    const tileBytes = self.tileBytes;
    self.tileBytes = async (url) => {
        const started = performance.now();
        try { return await tileBytes(url); }
        finally { waited += performance.now() - started; }
    };
    const drawTile = self.drawTile;
    self.drawTile = async (key, tile) => {
        const started = performance.now(), waitedBefore = waited;
        try { return await drawTile(key, tile); }
        finally {
            const work = performance.now() - started - (waited - waitedBefore);
            const draws = (self.kotojiWorked[key] ||= []);
            const fullSpeed = unslowed?.[key]?.[draws.length] ?? work;
            draws.push(work);
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, rate * fullSpeed - work)));
            for (const [message, transfer] of held.splice(0)) post(message, transfer);
        }
    };
    self.kotojiSlowedBy = rate;
}"""
LOOP = """() => { const started = performance.now(); let sum = 0;
    for (let i = 0; i < 2e7; i++) sum += Math.sqrt(i); return performance.now() - started; }"""
TASKS = """() => ({ count: kotojiLongTasks.length, over_200_ms: kotojiLongTasks.filter((d) => d > 200).length,
                    longest_ms: Math.max(0, ...kotojiLongTasks),
                    blocking_ms: kotojiLongTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0) })"""

# The MapLibre page: the app's colours (pwa/js/basemap-style.js, light scheme) as a MapLibre style, the
# same tiles (/tiles/<version>/{z}/{x}/{y}.mvt), the same centre and scale as the app's first view.
MAPLIBRE_PAGE = """<!doctype html><html><head><meta name="viewport" content="width=device-width">
<link rel="stylesheet" href="/bench-maplibre/maplibre-gl.css">
<style>html,body,#map{margin:0;height:100%}</style></head><body><div id="map"></div>
<script src="/bench-maplibre/maplibre-gl-csp.js"></script>
<script>
maplibregl.setWorkerUrl("/bench-maplibre/maplibre-gl-csp-worker.js");
const view = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const kind = (...k) => ["in", ["get", "kind"], ["literal", k]];
const minor = kind("minor_road", "other"), major = kind("major_road", "medium_road", "highway");
const width = (a, b) => ["interpolate", ["exponential", 1.6], ["zoom"], 12, a, 17, b];
const text = (id, size, filter, extra = {}) => ({ id, type: "symbol", source: "b", "source-layer": "roads", filter,
  layout: { "text-field": ["get", "name"], "text-font": ["sans-serif"], "text-size": size,
            "symbol-placement": "line", ...extra },
  paint: { "text-color": "#1f1f1f", "text-halo-color": "#fff", "text-halo-width": 1.5 } });
fetch("/api/walks/gent-kanazawa").then((r) => r.json()).then((walk) => {
  const map = new maplibregl.Map({ container: "map", center: view.center, zoom: view.zoom, maxZoom: 18,
    attributionControl: false, style: { version: 8,
    glyphs: location.origin + "/bench-maplibre/glyphs/{fontstack}/{range}.pbf",
    sources: { b: { type: "vector", tiles: [new URL(walk.basemap.tiles, location.href).href],
                    minzoom: walk.basemap.minzoom, maxzoom: walk.basemap.maxzoom } },
    layers: [
      { id: "earth", type: "background", paint: { "background-color": "#f4f1ea" } },
      { id: "park", type: "fill", source: "b", "source-layer": "landuse",
        filter: kind("park", "garden", "grass"), paint: { "fill-color": "#a9d99a" } },
      { id: "square", type: "fill", source: "b", "source-layer": "landuse",
        filter: kind("pedestrian", "plaza"), paint: { "fill-color": "#e6e0d4" } },
      { id: "water", type: "fill", source: "b", "source-layer": "water", paint: { "fill-color": "#6fb1e4" } },
      { id: "buildings", type: "fill", source: "b", "source-layer": "buildings",
        paint: { "fill-color": "#d6cfc4", "fill-outline-color": "#aea596" } },
      { id: "path", type: "line", source: "b", "source-layer": "roads", filter: kind("path"),
        paint: { "line-color": "#8a7f70", "line-width": 1.5, "line-dasharray": [3, 2] } },
      { id: "minor-casing", type: "line", source: "b", "source-layer": "roads", filter: minor,
        paint: { "line-color": "#a39e93", "line-width": width(1.5, 14) } },
      { id: "major-casing", type: "line", source: "b", "source-layer": "roads", filter: major,
        paint: { "line-color": "#b8860b", "line-width": width(2.5, 20) } },
      { id: "minor", type: "line", source: "b", "source-layer": "roads", filter: minor,
        paint: { "line-color": "#fff", "line-width": width(0.5, 11) } },
      { id: "major", type: "line", source: "b", "source-layer": "roads", filter: major,
        paint: { "line-color": "#ffd86b", "line-width": width(1.5, 16) } },
      text("major-label", 13, major),
      { ...text("minor-label", 12, ["any", minor, kind("path")]), minzoom: 14 },
      { id: "water-label", type: "symbol", source: "b", "source-layer": "water",
        layout: { "text-field": ["get", "name"], "text-font": ["sans-serif"], "text-size": 13 },
        paint: { "text-color": "#0b4f8a", "text-halo-color": "#fff", "text-halo-width": 1 } },
    ] } });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.once("idle", () => performance.mark("kotoji:basemap-drawn"));
  window.benchMap = map;
});
</script></body></html>"""


def build_planet(path: Path) -> str:
    """Cut the old town's tiles around the walk (z12-15) into a planet; return what was made."""
    coordinates = walk_coordinates()
    lons, lats = [c[0] for c in coordinates], [c[1] for c in coordinates]
    dlat = MARGIN_KM / 111.2
    dlon = dlat / 0.63
    started = time.monotonic()
    old_town()
    tiles, sizes = {}, {z: [] for z in range(12, 16)}
    for z in range(12, 16):
        for t in mercantile.tiles(min(lons) - dlon, min(lats) - dlat, max(lons) + dlon, max(lats) + dlat, [z]):
            tiles[zxy_to_tileid(t.z, t.x, t.y)] = body = make_old_town_tile(t.z, t.x, t.y)
            sizes[z].append(len(body))
    for z in range(0, 8):  # the rest of the world: one repeated ocean tile, as in the real planet
        for x in range(1 << z):
            for y in range(1 << z):
                tiles.setdefault(zxy_to_tileid(z, x, y), OCEAN)
    write_archive(path, tiles, leaf_size=64, metadata={"name": "Old town", "attribution": "synthetic"})
    per_zoom = ", ".join(
        f"z{z} {len(s)} tiles, median {statistics.median(s) / 1024:.0f} KB max {max(s) / 1024:.0f} KB"
        for z, s in sizes.items()
    )
    return f"old town tiles (gzipped): {per_zoom}; built in {time.monotonic() - started:.0f} s"


def install(env: dict, tmp: Path) -> None:
    extract_served_planet(env, tmp)


def pan_and_zoom(page, zoom_in: str, zoom_out: str, settle) -> None:
    """What a walker does with the map: drags, then zooms in twice and out three times."""
    box = page.locator("#map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-160, 0), (0, -160), (160, 80), (0, 160)):
        page.mouse.move(cx, cy)
        page.mouse.down()
        for step in range(1, 9):
            page.mouse.move(cx + dx * step / 8, cy + dy * step / 8)
        page.mouse.up()
        settle()
    for selector in (zoom_in, zoom_in, zoom_out, zoom_out, zoom_out):
        page.click(selector)
        settle()


SLOWED_WORKER_URL = "/bench/slowed-basemap-worker.js"


def slow_worker_from_its_start(context) -> dict:
    """Have the app start its basemap worker from a script that loads the real one and slows it at once.

    Slowing a worker from Playwright once it is reported lands after its first tiles; this way the
    slowing is in place before the worker reads its first message. The page is given a Worker that
    swaps the URL (before the app runs); the service worker passes the unknown URL to the network,
    where the context's route answers it. Return the slowing's settings: the worker started next reads
    them (rate 1, nothing recorded: full speed, its work recorded).
    """
    settings = {"rate": 1, "unslowed": None}

    def answer(route):
        arguments = f"{settings['rate']}, {json.dumps(settings['unslowed'])}"
        body = f'importScripts("/workers/basemap.js");\n({SLOW_WORKER})({arguments});\n'
        route.fulfill(status=200, content_type="text/javascript", body=body)

    context.route(f"**{SLOWED_WORKER_URL}", answer)
    context.add_init_script(
        "(() => { const Original = window.Worker;"
        "  window.Worker = class extends Original { constructor(url, options) {"
        f"    super(String(url).endsWith('/workers/basemap.js') ? '{SLOWED_WORKER_URL}' : url, options); }} }};"
        "})();"
    )
    return settings


def throttled_page(context):
    page = context.new_page()
    page.set_default_timeout(300000)  # a blocked main thread answers Playwright late too
    cdp = context.new_cdp_session(page)
    return page, cdp


def effective_slowdown(page, cdp, cpu: float) -> float:
    """How much slower the page's main thread runs when CDP slows it `cpu` times, here and now (left slowed)."""
    times = {}
    for rate in (1, cpu):
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        times[rate] = statistics.median(page.evaluate(LOOP) for _ in range(3))
    return times[cpu] / times[1]


def measure_app(browser, base: str, cpu: float, drawer: str, worker_cpu: float | None, profile: bool = False) -> dict:
    """The app (Leaflet + protomaps-leaflet): download the walk, reload throttled, pan and zoom."""
    context = browser.new_context(**MOBILE)
    context.add_init_script(LONG_TASKS)
    slowing = slow_worker_from_its_start(context) if drawer == "worker" and worker_cpu != 1 else None
    page, cdp = throttled_page(context)
    query = "?basemap=page" if drawer == "page" else ""
    page.goto(f"{base}/{query}#/walk/{WALK}")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60000)
    page.wait_for_selector("#download-walk:not([hidden])")
    if page.is_visible("#download-twin-too"):
        page.uncheck("#download-twin-too")
    page.click("#download-walk")
    page.wait_for_selector("#download-status[data-state='available']", timeout=300000)
    workers = []
    effective = effective_slowdown(page, cdp, cpu)
    worker_cpu = effective if worker_cpu is None else worker_cpu
    if slowing is not None:  # the yardstick: the same reload at full speed, its work per tile recorded
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        page.on("worker", lambda worker: worker.url.endswith(SLOWED_WORKER_URL) and workers.append(worker))
        page.reload()
        page.wait_for_function("() => performance.getEntriesByName('kotoji:basemap-drawn').length > 0")
        page.wait_for_timeout(1500)  # labels moved by later tiles redraw earlier ones: recorded too
        slowing.update(rate=worker_cpu, unslowed=workers.pop().evaluate("() => self.kotojiWorked"))
    profiles = Profiles(page, cdp, "/workers/basemap.js") if profile else None
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    page.reload()
    page.wait_for_function("() => performance.getEntriesByName('kotoji:basemap-drawn').length > 0")
    page.wait_for_timeout(1500)  # labels and late tasks
    row = {"main_thread_slowed": effective, "worker_slowed": worker_cpu if drawer == "worker" else None}
    row |= page.evaluate(f"""() => ({{
        route_ms: performance.getEntriesByName('kotoji:map-drawn')[0].startTime,
        drawn_ms: performance.getEntriesByName('kotoji:basemap-drawn')[0].startTime,
        drawer: document.querySelector('#map').dataset.basemapDrawer,
        load_tasks: ({TASKS})() }})""")
    if row["drawer"] != drawer:
        raise RuntimeError(f"the app drew its basemap on the {row['drawer']}, not in the {drawer}")
    if drawer == "worker" and worker_cpu != 1 and not workers:
        raise RuntimeError("the basemap worker was not slowed down")
    view = page.evaluate("""() => { const tiles = document.querySelectorAll('#map .leaflet-tile-loaded');
        return { tiles: tiles.length }; }""")
    page.evaluate("kotojiLongTasks.length = 0")
    if profiles:
        profiles.start()
    pan_and_zoom(page, ".leaflet-control-zoom-in", ".leaflet-control-zoom-out", lambda: page.wait_for_timeout(2500))
    row["pan_tasks"] = page.evaluate(TASKS)
    if profiles:
        row["profiles"] = profiles.stop()
    row.update(view)
    context.close()
    return row


def app_view(browser, base: str) -> dict:
    """The centre and zoom of the app's first view of the walk (its map is Leaflet's, 256 px tiles)."""
    context = browser.new_context(**MOBILE)
    page = context.new_page()
    page.goto(f"{base}/#/walk/{WALK}")
    page.wait_for_selector("#map[data-drawn='true']")
    page.wait_for_selector("#map[data-view]")
    page.wait_for_timeout(500)
    lat, lon, zoom = (float(part) for part in page.get_attribute("#map", "data-view").split(","))
    context.close()
    return {"center": [lon, lat], "leaflet_zoom": zoom}


def measure_maplibre(browser, base: str, maplibre: Path, cpu: float, view: dict) -> dict:
    """MapLibre GL JS on the same tiles and view: first visit to fill the HTTP cache, reload throttled."""
    context = browser.new_context(service_workers="block", **MOBILE)
    context.add_init_script(LONG_TASKS)
    dist = maplibre / "dist"

    def library(route):
        name = route.request.url.rsplit("/", 1)[1]
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        route.fulfill(path=dist / name, content_type=kind, headers={"Cache-Control": "max-age=3600"})

    def glyphs(route):
        stack, first = route.request.url.split("/glyphs/")[1].removesuffix(".pbf").rsplit("/", 1)
        body = glyph_range(stack, int(first.split("-")[0]))
        route.fulfill(body=body, content_type="application/x-protobuf", headers={"Cache-Control": "max-age=3600"})

    context.route("**/bench-maplibre/maplibre-gl*", library)
    context.route("**/bench-maplibre/glyphs/**", glyphs)
    context.route("**/bench-maplibre/page*", lambda route: route.fulfill(body=MAPLIBRE_PAGE, content_type="text/html"))
    page, cdp = throttled_page(context)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # MapLibre's zoom counts 512 px tiles: the app's Leaflet zoom z is MapLibre's z - 1.
    hash_ = json.dumps({"center": view["center"], "zoom": view["leaflet_zoom"] - 1})
    url = f"{base}/bench-maplibre/page#{hash_}"
    page.goto(url)
    try:
        page.wait_for_function("() => performance.getEntriesByName('kotoji:basemap-drawn').length > 0", timeout=120000)
    except Exception as error:
        raise RuntimeError(f"MapLibre did not draw: {errors[:5]}") from error
    renderer = page.evaluate("""() => { const gl = document.createElement('canvas').getContext('webgl2');
        const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
        return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : String(gl && gl.getParameter(gl.RENDERER)); }""")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    page.reload()
    page.wait_for_function("() => performance.getEntriesByName('kotoji:basemap-drawn').length > 0")
    page.wait_for_timeout(1500)
    row = page.evaluate(f"""() => ({{ drawn_ms: performance.getEntriesByName('kotoji:basemap-drawn')[0].startTime,
        load_tasks: ({TASKS})() }})""")
    page.evaluate("kotojiLongTasks.length = 0")

    def settle():
        page.wait_for_function("() => benchMap.loaded() && benchMap.areTilesLoaded()")
        page.wait_for_timeout(1000)

    pan_and_zoom(page, ".maplibregl-ctrl-zoom-in", ".maplibregl-ctrl-zoom-out", settle)
    row["pan_tasks"] = page.evaluate(TASKS)
    row["renderer"] = renderer
    context.close()
    return row


def report(name: str, row: dict) -> None:
    load, pan = row["load_tasks"], row["pan_tasks"]
    route = f"route {row['route_ms']:.0f} ms, " if "route_ms" in row else ""
    after = f" ({row['drawn_ms'] - row['route_ms']:.0f} ms after the route)" if "route_ms" in row else ""
    if row.get("main_thread_slowed"):
        worker = f", worker {row['worker_slowed']:.1f}x" if row["worker_slowed"] else ""
        name += f" (main thread {row['main_thread_slowed']:.1f}x{worker})"
    print(
        f"  {name:<28} {route}basemap drawn {row['drawn_ms']:.0f} ms{after}; load: {load['count']} long tasks, "
        f"{load['over_200_ms']} over 200 ms, longest {load['longest_ms']:.0f} ms, blocking {load['blocking_ms']:.0f} "
        f"ms; pan+zoom: {pan['count']} long tasks, {pan['over_200_ms']} over 200 ms, longest "
        f"{pan['longest_ms']:.0f} ms, blocking {pan['blocking_ms']:.0f} ms",
        flush=True,
    )
    for thread, summary in row.get("profiles", {}).items():
        print(f"    pan+zoom profile, {thread}: {summary}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maplibre", type=Path, help="the maplibre-gl npm package folder (its dist/ is served)")
    parser.add_argument("--cpu", type=float, default=4, help="CPU slowdown (Emulation.setCPUThrottlingRate)")
    parser.add_argument("--runs", type=int, default=1, help="measure each library this many times")
    parser.add_argument(
        "--drawer",
        action="append",
        choices=["worker", "page"],
        help="how the app draws its basemap: in its worker, on the page (as before); both unless told",
    )
    parser.add_argument(
        "--worker-cpu",
        type=float,
        help="slow the app's basemap worker this much (pausing it); default: as much as the main thread really is",
    )
    parser.add_argument("--profile", action="store_true", help="CPU profiles of the app's pan and zoom (slower)")
    parser.add_argument("--planet", type=Path, help="keep the built planet here, and reuse it when it exists")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kotoji-dense-map-") as folder:
        tmp = Path(folder)
        if args.planet and args.planet.exists():
            shutil.copy(args.planet, tmp / "planet.pmtiles")
            made = f"old town tiles from {args.planet}"
        else:
            made = build_planet(tmp / "planet.pmtiles")
            if args.planet:
                shutil.copy(tmp / "planet.pmtiles", args.planet)
        env = bench_environment(tmp)
        install(env, tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = Server(
            "kotoji", [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)], env, tmp
        )
        with server:
            server.wait_ready("/api/walks", 90)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--headless", "--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader"],
                )
                view = app_view(browser, base)
                print(f"Dense basemap, CPU slowed {args.cpu:g}x; {made}")
                print(f"First view: Leaflet zoom {view['leaflet_zoom']}; budget: drawn in 1500 ms, no task over 200 ms")
                worker_cpu = args.worker_cpu
                slowed = "as much as the main thread" if worker_cpu is None else f"{worker_cpu:g}x"
                print(f"The app's basemap worker slowed {slowed} by pausing it (CDP slows pages only)")
                for run in range(args.runs):
                    drawers = args.drawer or ["worker", "page"]
                    for drawer in drawers if run % 2 == 0 else drawers[::-1]:  # neither always goes first
                        name = f"app, drawn {'in a worker' if drawer == 'worker' else 'on the page'}"
                        report(name, measure_app(browser, base, args.cpu, drawer, worker_cpu, args.profile))
                    if args.maplibre:
                        try:
                            row = measure_maplibre(browser, base, args.maplibre, args.cpu, view)
                        except RuntimeError as error:
                            print(f"  MapLibre GL JS: {error}", flush=True)
                            continue
                        report("MapLibre GL JS (CSP build)", row)
                        print(f"  MapLibre's WebGL renderer: {row['renderer']}", flush=True)
                browser.close()


if __name__ == "__main__":
    main()
