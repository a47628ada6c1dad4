"""What is on the phone and how to free it, dark mode, and a battery-saving GPS between stops."""

import pytest

from .pwa_pages import (
    FAKE_GEOLOCATION,
    WALK,
    add_audio_to_stop,
    download_walk,
    open_app,
    published_stops,
    wait_for_map,
)

pytestmark = pytest.mark.browser


def test_the_home_screen_lists_what_is_on_the_phone_by_walk_and_language_and_removes_it(app, open_context):
    add_audio_to_stop(app, "belfort", seconds=4, languages=("en", "ja"))
    page = open_app(open_context(), f"/#/walk/{WALK}")
    download_walk(page)  # with the twin walk in Kanazawa
    page.goto("/#/")
    page.wait_for_selector("#storage:not([hidden]) .storage__item")
    assert page.locator(".storage__item").count() == 2
    ghent = page.locator(f".storage__item[data-walk='{WALK}']")
    assert "version" in ghent.text_content()
    parts = ghent.locator(".storage__parts").text_content()
    assert "audio in English" in parts and "audio in Japanese" in parts
    assert "in all" in page.text_content("#storage-total")
    ghent.locator(".storage__remove").click()  # asks first
    ghent.locator(".storage__remove-yes").click()
    page.wait_for_function("() => document.querySelectorAll('.storage__item').length === 1")
    assert (
        page.evaluate("async (w) => (await caches.keys()).some((n) => n.startsWith('kotoji-walk-' + w + '-'))", WALK)
        is False
    )


def test_dark_mode_follows_the_phone_and_so_does_the_map(app, open_context):
    page = open_app(open_context(color_scheme="dark"), f"/#/walk/{WALK}")
    wait_for_map(page, len(published_stops(app)))
    colours = page.evaluate("""() => ({ page: getComputedStyle(document.documentElement).backgroundColor,
        map: getComputedStyle(document.querySelector('#map')).backgroundColor,
        card: getComputedStyle(document.querySelector('.walking')).backgroundColor })""")
    assert colours["page"] == "rgb(21, 25, 27)"
    assert colours["map"] == "rgb(43, 47, 49)"
    assert colours["card"] == "rgb(34, 41, 44)"
    assert page.get_attribute("#map", "data-scheme") == "dark"


def test_battery_saver_asks_for_coarse_fixes_far_from_a_stop_and_precise_ones_near(app, open_context):
    stops = published_stops(app)
    lon, lat = stops[0]["geometry"]["coordinates"]
    context = open_context()
    context.add_init_script(FAKE_GEOLOCATION)
    page = open_app(context, "/#/")
    page.check("#battery-saver")
    page.goto(f"/#/walk/{WALK}")
    wait_for_map(page, len(stops))
    page.click("#start-walking")
    page.evaluate("([lon, lat]) => kotojiTestGeolocation.fix(lon - 0.02, lat)", [lon, lat])  # 1.4 km away
    assert page.evaluate("kotojiTestGeolocation.options()") == [
        {"enableHighAccuracy": False, "maximumAge": 30000, "timeout": 60000}
    ]
    page.evaluate("([lon, lat]) => kotojiTestGeolocation.fix(lon - 0.002, lat)", [lon, lat])  # 140 m: precise again
    assert page.evaluate("kotojiTestGeolocation.options()") == [
        {"enableHighAccuracy": True, "maximumAge": 5000, "timeout": 20000}
    ]
