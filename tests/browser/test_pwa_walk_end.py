"""The end of a walk switches GPS and the screen lock off; the map keeps its place between stops."""

import pytest

from .pwa_pages import (
    FAKE_GEOLOCATION,
    FAKE_WAKE_LOCK,
    PHONE,
    WALK,
    open_app,
    published_stops,
    wait_for_map,
)

pytestmark = pytest.mark.browser


def test_the_last_stop_stops_gps_and_the_wake_lock_and_shows_walk_complete(app, open_context):
    stops = published_stops(app)
    context = open_context(**PHONE)
    context.add_init_script(FAKE_GEOLOCATION)
    context.add_init_script(FAKE_WAKE_LOCK)
    page = open_app(context, f"/#/walk/{WALK}")
    page.evaluate(
        "(slugs) => localStorage.setItem('kotoji:visited:gent-kanazawa', JSON.stringify(slugs))",
        [stop["id"] for stop in stops[:-1]],
    )
    page.reload()
    wait_for_map(page, len(stops))
    page.click("#start-walking")
    page.wait_for_function("() => kotojiTestWakeLock.held === 1")
    lon, lat = stops[-1]["geometry"]["coordinates"]
    page.evaluate(
        "([lon, lat]) => { kotojiTestGeolocation.fix(lon, lat); kotojiTestGeolocation.fix(lon, lat); }", [lon, lat]
    )
    page.wait_for_function("(slug) => location.hash.endsWith('/' + slug)", arg=stops[-1]["id"])
    assert page.evaluate("kotojiTestGeolocation.watching()") == 0
    page.wait_for_function("() => kotojiTestWakeLock.held === 0")

    page.click(".stop__back a")
    page.wait_for_selector("#walk-complete:not([hidden])")
    assert "all 6 stops" in page.text_content("#walk-complete-text")
    assert page.is_hidden("#start-walking")
    page.click("#restart-walk")
    page.wait_for_function("() => document.querySelector('#progress').textContent === '0 of 6 visited'")
    assert page.is_hidden("#walk-complete") and page.is_visible("#start-walking")


def test_back_from_a_stop_the_map_is_where_the_walker_left_it(app, open_context):
    stops = published_stops(app)
    page = open_app(open_context(**PHONE), f"/#/walk/{WALK}")
    wait_for_map(page, len(stops))

    def marker_in_map():  # where the first stop is drawn inside the map's box
        box, frame = (
            page.locator(f"#map .stop-marker[data-stop='{stops[0]['id']}']").bounding_box(),
            page.locator("#map").bounding_box(),
        )
        return round(box["x"] - frame["x"]), round(box["y"] - frame["y"])

    fitted = marker_in_map()
    page.click(".leaflet-control-zoom-in")
    page.wait_for_function(
        "(v) => document.querySelector('#map').dataset.view !== v", arg=page.get_attribute("#map", "data-view")
    )
    page.wait_for_timeout(400)  # the zoom animation
    zoomed = marker_in_map()
    assert zoomed != fitted
    page.click(f"#map .stop-marker[data-stop='{stops[2]['id']}']")
    page.wait_for_selector("#stop-view:not([hidden])")
    page.click(".stop__back a")
    wait_for_map(page, len(stops))
    page.wait_for_timeout(400)
    assert marker_in_map() == zoomed  # same zoom, same place
