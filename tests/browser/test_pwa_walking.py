"""Walk the Ghent walk with a simulated GPS: stops open in order, noise and poor fixes do not count."""

import pytest

from .pwa_pages import (
    METRE_IN_DEGREES,
    WALK,
    Walker,
    add_audio_to_stop,
    located,
    open_app,
    open_walk,
    published_stops,
    wait_for_map,
)

pytestmark = pytest.mark.browser


def test_stops_open_in_order_and_noise_does_not_trigger(app, open_context):
    stops = published_stops(app)
    start_lon, start_lat = stops[0]["geometry"]["coordinates"]
    context = open_context(**located(start_lon - 0.01, start_lat))
    page = open_walk(app, context)
    page.click("#start-walking")
    assert page.get_attribute("#start-walking", "aria-pressed") == "true"
    walker = Walker(context, page)
    walker.move(start_lon - 0.01, start_lat)
    assert walker.progress() == f"0 of {len(stops)} visited"
    assert "to the east" in page.text_content("#next-stop")

    for number, stop in enumerate(stops, start=1):
        lon, lat = stop["geometry"]["coordinates"]
        page.goto(f"/#/walk/{WALK}")
        # a fix worse than 50 m, twice, right at the stop: ignored
        walker.move(lon, lat, accuracy=80)
        walker.move(lon, lat + METRE_IN_DEGREES, accuracy=80)
        # a single good fix inside the radius, then a jump away (GPS noise): not an arrival
        walker.move(lon, lat)
        walker.move(lon, lat + 0.004)
        assert walker.progress() == f"{number - 1} of {len(stops)} visited"
        assert page.url.endswith(f"#/walk/{WALK}")
        # two consecutive good fixes inside the trigger radius: the stop opens
        walker.move(lon, lat + 2 * METRE_IN_DEGREES)
        walker.move(lon, lat + 3 * METRE_IN_DEGREES)
        page.wait_for_function("(slug) => location.hash.endsWith('/' + slug)", arg=stop["id"])
        page.wait_for_function(
            "(name) => !document.querySelector('#stop-view').hidden"
            " && document.querySelector('#stop-title').textContent === name",
            arg=stop["properties"]["name"]["en"],
        )
        assert walker.progress() == f"{number} of {len(stops)} visited"

    page.goto(f"/#/walk/{WALK}")
    assert "every stop" in page.text_content("#next-stop")
    page.reload()  # progress is kept on the device
    page.wait_for_selector("#walk-view:not([hidden])")
    assert walker.progress() == f"{len(stops)} of {len(stops)} visited"


def test_i_am_here_marks_the_next_stop_without_a_position(app, open_context):
    stops = published_stops(app)
    page = open_app(open_context(), f"/#/walk/{WALK}")
    wait_for_map(page, len(stops))
    page.click("#i-am-here")
    page.wait_for_function("() => document.querySelector('#progress').textContent.startsWith('1 of')")
    page.click("#show-list")
    first = page.locator(f"#stop-list li[data-stop='{stops[0]['id']}']")
    assert "Visited" in first.text_content()
    assert page.locator("#map .stop-marker.is-visited").count() == 1


def test_leaving_needs_radius_plus_15_m_and_poor_fixes_neither_count_nor_break_a_run(app, open_context):
    page = open_app(open_context(), "/#/")
    north = METRE_IN_DEGREES  # one metre north, in degrees of latitude
    arrivals = page.evaluate(
        """async (m) => {
        const { ProximityTracker } = await import('/js/proximity-tracker.js');
        const tracker = new ProximityTracker([{ slug: 'a', coordinates: [3.72, 51.05], trigger_radius_m: 30 }]);
        const at = (metres, accuracy = 5) => tracker.update({ lon: 3.72, lat: 51.05 + metres * m, accuracy }).join();
        return [
          at(10), at(20, 60), at(12),   // good, poor (ignored), good: two consecutive good fixes
          at(40), at(10), at(10),       // 40 m is inside radius + 15: still there, no second arrival
          at(50), at(10), at(10),       // 50 m is beyond 45 m: left; back twice: a new arrival
          at(100), at(10), at(200), at(10),  // in, out, in: never two in a row
        ];
    }""",
        north,
    )
    assert arrivals == ["", "", "a", "", "", "", "", "", "a", "", "", "", ""]


def test_a_walk_with_audio_through_an_arrival_a_detour_and_the_app_closed_and_opened_again(app, open_context):
    first_audio = add_audio_to_stop(app, "stadhuis")
    add_audio_to_stop(app, "belfort", seconds=21)
    stops = published_stops(app)
    (lon1, lat1), (lon2, lat2) = stops[0]["geometry"]["coordinates"], stops[1]["geometry"]["coordinates"]
    context = open_context(**located(lon1 - 0.01, lat1))
    page = open_walk(app, context)
    page.click("#start-walking")
    walker = Walker(context, page)
    walker.move(lon1, lat1)
    walker.move(lon1, lat1 + METRE_IN_DEGREES)
    page.wait_for_function("() => location.hash.endsWith('/stadhuis')")
    page.click(".stop__listen")  # listening at the first stop
    page.wait_for_function("() => !document.querySelector('#player-audio').paused")

    page.click(".stop__back a")
    page.wait_for_selector("#walk-view:not([hidden])")
    walker.move(lon1 + 0.003, lat1 + 0.002)  # a detour into a side street, ~300 m off the path
    assert page.is_visible("#off-route")
    walker.move(lon2, lat2)
    walker.move(lon2, lat2 + METRE_IN_DEGREES)
    page.wait_for_function("() => location.hash.endsWith('/belfort')")
    audio = page.evaluate(
        "() => { const a = document.querySelector('#player-audio');"
        " return { track: a.dataset.track, paused: a.paused, time: a.currentTime }; }"
    )
    assert audio["track"] == first_audio["en"] and not audio["paused"]  # arrival did not cut it
    assert page.text_content("#player-queued") == "Up next: Belfry (Belfort)"
    assert walker.progress() == f"2 of {len(stops)} visited"

    page.close()  # the phone closes the app mid-walk
    page = open_app(context, "/")
    page.wait_for_selector("#walk-view:not([hidden])")  # back on the walk, not the list of walks
    assert page.url.endswith(f"#/walk/{WALK}")
    assert page.get_attribute("#start-walking", "aria-pressed") == "true"
    assert page.text_content("#progress") == f"2 of {len(stops)} visited"
    assert "along the route" in page.text_content("#next-stop")  # the last position was kept
    page.wait_for_selector("#player:not([hidden])")
    assert page.get_attribute("#player-audio", "data-track") == first_audio["en"]
    assert page.text_content("#player-queued") == "Up next: Belfry (Belfort)"
    page.wait_for_function("(t) => document.querySelector('#player-audio').currentTime >= t - 1.5", arg=audio["time"])


def test_start_over_and_the_way_to_the_start(app, open_context):
    stops = published_stops(app)
    lon, lat = stops[0]["geometry"]["coordinates"]
    context = open_context(**located(lon - 0.01, lat))
    page = open_walk(app, context)
    assert page.get_attribute("#start-geo", "href").startswith(f"geo:{lat},{lon}?q=")
    page.click("#to-start")
    page.wait_for_function("() => document.querySelector('#to-start-text').textContent.includes('to the east')")
    assert "City Hall (Stadhuis)" in page.text_content("#to-start-text")
    assert "700 m" in page.text_content("#to-start-text")
    page.click("#i-am-here")
    page.click("#start-over")
    page.wait_for_function("() => document.querySelector('#progress').textContent === '0 of 6 visited'")
    assert page.is_hidden("#start-over")
