"""Screens a walker meets: the walk's start screen, errors, language switches, big text, lost GPS."""

import json

import pytest

from .pwa_pages import (
    FAKE_GEOLOCATION,
    PHONE,
    WALK,
    located,
    open_app,
    published_stops,
    wait_for_map,
)

pytestmark = pytest.mark.browser


def walk_document(app, walk=WALK):
    return json.loads(app.extensions["published_documents"].get(f"/api/walks/{walk}").body)


@pytest.mark.parametrize("lang", ["nl", "ja"])
def test_the_walk_opens_on_its_story_length_time_and_a_start_button(app, open_context, lang):
    walk = walk_document(app)
    context = open_context(**located(3.72, 51.05, locale=lang, **PHONE))
    page = open_app(context, f"/#/walk/{WALK}")
    wait_for_map(page, len(walk["stops"]))
    assert page.get_attribute("#walk-intro-details", "open") is not None  # not started yet: the story shows
    intro = page.text_content("#walk-intro-text")
    assert walk["intro"][lang][:40] in intro and ("1971" in intro)
    facts = page.text_content("#walk-facts")
    assert str(walk["walking_minutes"]) in facts and str(walk["duration_minutes"]) in facts
    assert {"nl": "6 haltes", "ja": "6か所"}[lang] in facts
    assert {"nl": "km", "ja": "km"}[lang] in facts
    assert page.is_visible(".walk-intro__notes li >> nth=0")
    page.click("#begin-walk")
    assert page.get_attribute("#start-walking", "aria-pressed") == "true"
    assert page.get_attribute("#walk-intro-details", "open") is None
    assert page.is_hidden("#begin-walk")


def test_a_gps_error_goes_away_when_fixes_come_back(app, open_context):
    stops = published_stops(app)
    context = open_context(**PHONE)
    context.add_init_script(FAKE_GEOLOCATION)
    page = open_app(context, f"/#/walk/{WALK}")
    wait_for_map(page, len(stops))
    page.click("#start-walking")
    page.evaluate("kotojiTestGeolocation.fail(2)")  # under the Belfry: no position
    assert page.is_visible("#walking-problem")
    lon, lat = stops[0]["geometry"]["coordinates"]
    page.evaluate("([lon, lat]) => kotojiTestGeolocation.fix(lon - 0.002, lat)", [lon, lat])
    assert page.is_hidden("#walking-problem")
    assert "to the east" in page.text_content("#next-stop")


def test_a_denied_position_stops_walking_mode(app, open_context):
    context = open_context(**PHONE)
    context.add_init_script(FAKE_GEOLOCATION)
    page = open_app(context, f"/#/walk/{WALK}")
    page.wait_for_selector("#walk-view:not([hidden])")
    page.click("#start-walking")
    page.evaluate("kotojiTestGeolocation.fail(1)")
    assert "Location is switched off" in page.text_content("#walking-problem")
    assert page.text_content("#start-walking") == "Start walking"
    assert page.evaluate("kotojiTestGeolocation.watching()") == 0


def test_an_error_replaces_the_screen_before_it_and_offers_a_way_back(app, open_context):
    page = open_app(open_context(**PHONE), "/#/walk/kanazawa-gent")
    page.wait_for_selector("#walk-view:not([hidden])")
    page.goto("/#/walk/nope")
    page.wait_for_selector("#problem:not([hidden])")
    assert "does not exist" in page.text_content("#problem-text")
    assert page.is_hidden("#walk-view")
    page.click("#problem a[href='#/']")
    page.wait_for_selector("#home-view:not([hidden])")
    assert page.is_hidden("#problem")


def test_switching_language_translates_neighbours_map_notes_and_map_buttons(app, open_context):
    page = open_app(open_context(**PHONE), "/#/walk/kanazawa-gent")
    wait_for_map(page, len(walk_document(app, "kanazawa-gent")["stops"]))
    assert page.get_attribute(".leaflet-control-zoom-in", "title") == "Zoom in"
    page.select_option("#language", "ja")
    page.wait_for_function("() => document.documentElement.lang === 'ja'")
    assert page.text_content(".basemap-notice") == "この散策には背景地図がありません（ルートとスポットのみ）。"
    assert page.get_attribute(".leaflet-control-zoom-in", "title") == "拡大"
    assert page.get_attribute(".leaflet-control-zoom-out", "aria-label") == "縮小"

    following = walk_document(app)["stops"][1]["name"]  # the stop after the city hall, as the walk names it
    page.select_option("#language", "en")
    page.goto(f"/#/stop/{WALK}/stadhuis")  # the Ghent walk: its stops were named in English
    page.wait_for_selector("#stop-view:not([hidden]) a[rel='next']")
    assert page.text_content("a[rel='next']") == f"Next: {following['en']}"
    page.select_option("#language", "ja")
    page.wait_for_function("() => document.querySelector('a[rel=next]')?.textContent.startsWith('次へ')")
    assert page.text_content("a[rel='next']") == f"次へ：{following['ja']}"


@pytest.mark.parametrize("lang", ["nl", "en", "ja"])
def test_at_200_percent_text_the_header_and_language_picker_stay_on_screen(app, open_context, lang):
    page = open_app(open_context(locale=lang, **PHONE), f"/#/walk/{WALK}")
    page.wait_for_selector("#walk-view:not([hidden])")
    for state in ("online", "offline"):
        if state == "offline":  # the longest status text
            page.evaluate(
                "document.querySelector('#connection').textContent = "
                "{nl: 'Offline: de kopie op deze telefoon', en: 'Offline: using the copy on this phone',"
                " ja: 'オフライン：端末に保存したデータを表示中'}[document.documentElement.lang]"
            )
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        sizes = page.evaluate("""() => {
            const box = (s) => document.querySelector(s).getBoundingClientRect();
            const status = box('#connection');
            return { scroll: document.documentElement.scrollWidth, width: innerWidth, picker: box('#language').right,
                     pickerLeft: box('#language').left, statusHeight: status.height, statusWidth: status.width,
                     line: parseFloat(getComputedStyle(document.querySelector('#connection')).lineHeight) || 40 };
        }""")
        assert sizes["scroll"] <= sizes["width"], sizes  # no sideways scrolling (WCAG 1.4.10)
        assert 0 <= sizes["pickerLeft"] and sizes["picker"] <= sizes["width"], sizes
        assert sizes["statusWidth"] > 3 * 16, sizes  # never one character per line
