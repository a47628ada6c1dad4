"""In Chromium: the PWA draws the basemap's streets, parks and water online and offline, in a worker where it can."""

import io
import time

import pytest
from PIL import Image

from .basemap_walk import WALK
from .browser.pwa_pages import download_walk, open_app

pytestmark = pytest.mark.browser

PARK = (0xA9, 0xD9, 0x9A)  # pwa/js/basemap-style.js LIGHT_COLOURS.park
WATER = (0x6F, 0xB1, 0xE4)  # COLOURS.water
EARTH = (0xF4, 0xF1, 0xEA)  # COLOURS.earth
LABEL = (0x1F, 0x1F, 0x1F)  # LIGHT_COLOURS.label: street names
WATER_LABEL = (0x0B, 0x4F, 0x8A)  # LIGHT_COLOURS.waterLabel: "Leie"
DARK_PARK = (0x2F, 0x4A, 0x2C)  # DARK_COLOURS.park
DARK_WATER = (0x1D, 0x3F, 0x5C)  # DARK_COLOURS.water


def share_of(png: bytes, colour, tolerance=10) -> float:
    """Return the share of the image's pixels within `tolerance` of `colour`."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = list(image.get_flattened_data())
    close = sum(1 for p in pixels if all(abs(a - b) <= tolerance for a, b in zip(p, colour, strict=True)))
    return close / len(pixels)


def wait_for_basemap(page, timeout=20.0, park=PARK, water=WATER) -> bytes:
    """Wait until the map shows the synthetic tiles' parks and water; return the map's screenshot."""
    page.wait_for_selector("#map[data-basemap='vector']", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while True:
        shot = page.locator("#map").screenshot()
        if share_of(shot, park) > 0.05 and share_of(shot, water) > 0.02:
            return shot
        if time.monotonic() > deadline:
            raise AssertionError(
                f"basemap not drawn: park {share_of(shot, park):.3f}, water {share_of(shot, water):.3f}"
            )
        page.wait_for_timeout(250)


def test_the_map_draws_the_basemap_online_and_offline_after_download(installed, page_context, live_server):
    tiles = []
    page_context.on("request", lambda request: tiles.append(request.url) if "/tiles/" in request.url else None)
    page = open_app(page_context, f"/#/walk/{WALK}")  # and wait until the service worker controls it
    wait_for_basemap(page)
    assert tiles and all("/tiles/" in url and url.endswith(".mvt") for url in tiles)
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    box = page.locator("#map").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(6):  # try to drag the map 3,000 px away: it stops at the walk's area
        page.mouse.move(*centre)
        page.mouse.down()
        page.mouse.move(centre[0] + 500, centre[1], steps=5)
        page.mouse.up()
        page.wait_for_timeout(300)
    markers = [page.locator(".stop-marker").nth(n).bounding_box() for n in range(page.locator(".stop-marker").count())]
    assert any(box["x"] <= m["x"] <= box["x"] + box["width"] for m in markers), "the walk was dragged out of sight"
    zoom_out = page.locator(".leaflet-control-zoom-out")
    for _ in range(10):  # the map stops zooming out where the basemap's tiles stop
        if "leaflet-disabled" in zoom_out.get_attribute("class"):
            break
        zoom_out.dispatch_event("click")  # no actionability wait: the button may be mid-animation
        page.wait_for_timeout(400)
    assert "leaflet-disabled" in page.locator(".leaflet-control-zoom-out").get_attribute("class")
    zooms = {int(url.split("/tiles/")[1].split("/")[1]) for url in tiles}
    assert zooms and min(zooms) >= 12 and max(zooms) <= 15, zooms

    download_walk(page)

    live_server.stop()
    page.reload()
    shot = wait_for_basemap(page)
    assert share_of(shot, EARTH) + share_of(shot, PARK) + share_of(shot, WATER) > 0.3


def test_without_a_basemap_the_map_keeps_the_route_on_a_plain_background(walk, page_context):
    page = page_context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/#/walk/{WALK}")
    page.wait_for_selector("#map[data-basemap='none']", timeout=20000)
    assert page.locator(".basemap-notice").is_visible()
    assert (
        "background map" in page.locator(".basemap-notice").inner_text().lower()
        or "achtergrondkaart" in page.locator(".basemap-notice").inner_text()
    )
    assert page.locator("#map path.leaflet-interactive, #map .stop-marker").count() > 0
    assert not errors


def basemap_worker(page):
    """Return the page's basemap worker (Playwright's handle on it), waiting for it to start."""
    page.wait_for_function("() => document.querySelector('#map')?.dataset.basemapDrawer !== undefined")
    deadline = time.monotonic() + 10
    while not any(worker.url.endswith("/workers/basemap.js") for worker in page.workers):
        assert time.monotonic() < deadline, f"no basemap worker: {[w.url for w in page.workers]}"
        page.wait_for_timeout(100)
    return next(worker for worker in page.workers if worker.url.endswith("/workers/basemap.js"))


def test_a_worker_draws_the_basemap_and_the_page_never_loads_the_painter(installed, page_context, live_server):
    page = open_app(page_context, f"/#/walk/{WALK}")
    wait_for_basemap(page)
    assert page.get_attribute("#map", "data-basemap-drawer") == "worker"
    worker = basemap_worker(page)
    assert worker.evaluate("() => typeof protomapsL.paint") == "function"
    # the page itself never loaded protomaps-leaflet, so it cannot have decoded, labelled or painted a tile
    assert page.evaluate("() => typeof window.protomapsL") == "undefined"
    assert page.locator("script[src*='protomaps-leaflet']").count() == 0
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()

    download_walk(page)
    live_server.stop()
    page.reload()
    shot = wait_for_basemap(page)
    assert page.get_attribute("#map", "data-basemap-drawer") == "worker"
    assert share_of(shot, EARTH) + share_of(shot, PARK) + share_of(shot, WATER) > 0.3


def basemap_alone(page, timeout=10.0) -> bytes:
    """Hide the route, stops and controls; return the map once two screenshots in a row are the same."""
    page.evaluate("""() => document.querySelectorAll(
        '#map .leaflet-marker-pane, #map .leaflet-overlay-pane, #map .leaflet-control-container')
        .forEach((element) => element.style.setProperty('display', 'none'))""")
    deadline = time.monotonic() + timeout
    shot = page.locator("#map").screenshot()
    while True:  # labels placed by a later tile redraw earlier ones: wait until nothing changes
        page.wait_for_timeout(250)
        again = page.locator("#map").screenshot()
        if again == shot or time.monotonic() > deadline:
            return again
        shot = again


def share_differing(png: bytes, other: bytes) -> float:
    """Return the share of pixels that differ visibly between two screenshots of the same size."""
    a, b = (Image.open(io.BytesIO(data)).convert("RGB") for data in (png, other))
    assert a.size == b.size
    differing = sum(
        1
        for p, q in zip(a.get_flattened_data(), b.get_flattened_data(), strict=True)
        if p != q and max(abs(x - y) for x, y in zip(p, q, strict=True)) > 16
    )
    return differing / (a.size[0] * a.size[1])


def test_the_worker_draws_the_map_the_page_drew_labels_and_fonts_included(installed, page_context):
    in_worker = open_app(page_context, f"/#/walk/{WALK}")
    wait_for_basemap(in_worker)
    assert in_worker.get_attribute("#map", "data-basemap-drawer") == "worker"
    drawn_in_worker = basemap_alone(in_worker)
    on_page = page_context.new_page()
    on_page.goto(f"/?basemap=page#/walk/{WALK}")  # protomaps-leaflet's own layer on the main thread, as before
    wait_for_basemap(on_page)
    assert on_page.get_attribute("#map", "data-basemap-drawer") == "page"
    drawn_on_page = basemap_alone(on_page)
    assert share_of(drawn_in_worker, LABEL, tolerance=30) > 0.001  # street names, measured in the worker
    assert share_of(drawn_in_worker, WATER_LABEL, tolerance=30) > 0  # the river's name
    assert share_differing(drawn_in_worker, drawn_on_page) < 0.0005


def test_the_worker_paints_the_dark_map_when_the_phone_is_set_dark(installed, page_context):
    page = page_context.new_page()
    page.emulate_media(color_scheme="dark")
    page.goto(f"/#/walk/{WALK}")
    shot = wait_for_basemap(page, park=DARK_PARK, water=DARK_WATER)
    assert page.get_attribute("#map", "data-basemap-drawer") == "worker"
    assert share_of(shot, PARK) < 0.01 and share_of(shot, EARTH) < 0.01  # nothing of the light style


def test_the_map_draws_its_path_and_stops_before_the_basemap_worker_is_ready(installed, page_context):
    held = []  # the worker's script, held back: the worker cannot start until it is let through
    page_context.route("**/workers/basemap.js", lambda route: held.append(route))
    page = page_context.new_page()
    page.goto(f"/#/walk/{WALK}")
    page.wait_for_selector("#map[data-drawn='true']")
    deadline = time.monotonic() + 10
    while not held:  # the app asked for its worker (as soon as it had the walk) and is waiting for it
        assert time.monotonic() < deadline, "the basemap worker was never asked for"
        page.wait_for_timeout(50)
    assert page.locator("#map .leaflet-overlay-pane path").count() >= 2  # the route and its casing
    assert page.locator("#map .stop-marker").count() > 0
    assert page.get_attribute("#map", "data-basemap") is None  # no basemap yet, and nothing waits for it
    held[0].continue_()
    wait_for_basemap(page)  # added under the route once the worker is ready
    assert page.get_attribute("#map", "data-basemap-drawer") == "worker"
    assert page.locator("#map .stop-marker").count() > 0


def test_a_zoom_and_pan_storm_leaves_the_worker_no_stale_tiles(installed, page_context):
    page = open_app(page_context, f"/#/walk/{WALK}")
    wait_for_basemap(page)
    worker = basemap_worker(page)
    box = page.locator("#map").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for button in ["in", "in", "in", "out", "in", "out", "out"]:  # no waiting: tiles are asked for and dropped
        page.locator(f".leaflet-control-zoom-{button}").dispatch_event("click")
        page.mouse.move(*centre)
        page.mouse.down()
        page.mouse.move(centre[0] - 200, centre[1] - 120, steps=3)
        page.mouse.up()
    page.wait_for_function("() => document.querySelectorAll('#map .leaflet-tile-container canvas').length > 0")
    page.wait_for_function("() => !document.querySelector('#map canvas.leaflet-tile:not(.leaflet-tile-loaded)')")
    # every tile the worker still holds is one on the map, and it is left with nothing to draw
    deadline = time.monotonic() + 10
    while True:
        shown = page.evaluate("() => document.querySelectorAll('#map canvas.leaflet-tile').length")
        pending = worker.evaluate("() => ({ wanted: wanted.size, queued: queue.size })")
        if pending == {"wanted": shown, "queued": 0} or time.monotonic() > deadline:
            break
        page.wait_for_timeout(100)
    assert pending == {"wanted": shown, "queued": 0}
    shot = page.locator("#map").screenshot()
    assert share_of(shot, EARTH) + share_of(shot, PARK) + share_of(shot, WATER) > 0.3


def test_without_workers_that_can_draw_the_page_draws_the_basemap_itself(installed, page_context):
    page_context.add_init_script("delete window.OffscreenCanvas")  # as in a browser without OffscreenCanvas
    page = open_app(page_context, f"/#/walk/{WALK}")
    wait_for_basemap(page)
    assert page.get_attribute("#map", "data-basemap-drawer") == "page"
    assert page.evaluate("() => typeof window.protomapsL.paint") == "function"
    assert not any(worker.url.endswith("/workers/basemap.js") for worker in page.workers)
