"""One audio player for the whole walk: arriving at a stop never cuts what is playing."""

import pytest

from .pwa_pages import (
    PHONE,
    WALK,
    Walker,
    add_audio_to_stop,
    located,
    open_app,
    published_stops,
    record_vibrations,
    wait_for_map,
)

pytestmark = pytest.mark.browser
ARRIVED = {"nl": "Je bent aangekomen bij", "ja": "に着きました", "en": "You have arrived at"}
QUEUED = {"nl": "Hierna: ", "ja": "次：", "en": "Up next: "}


def player_state(page):
    return page.evaluate("""() => {
        const audio = document.querySelector('#player-audio');
        return { src: audio.dataset.track, paused: audio.paused,
                 time: audio.currentTime, title: navigator.mediaSession?.metadata?.title ?? null };
    }""")


def wait_until_playing_past(page, seconds):
    page.wait_for_function(
        "(s) => { const a = document.querySelector('#player-audio'); return !a.paused && a.currentTime > s; }",
        arg=seconds,
        timeout=15000,
    )


@pytest.mark.parametrize("lang", ["nl", "ja"])
def test_arriving_at_the_next_stop_keeps_the_audio_playing_and_queues_the_new_one(app, open_context, lang):
    first = add_audio_to_stop(app, "stadhuis", languages=("nl", "en", "ja"))
    second = add_audio_to_stop(app, "belfort", seconds=21, languages=("nl", "en", "ja"))  # other bytes, other URL
    stops = {feature["id"]: feature for feature in published_stops(app)}
    lon, lat = stops["belfort"]["geometry"]["coordinates"]
    context = open_context(**located(lon - 0.01, lat, locale=lang, **PHONE))
    record_vibrations(context)
    page = open_app(context, f"/#/stop/{WALK}/stadhuis")
    page.wait_for_selector("#stop-view:not([hidden]) .stop__listen")
    page.click(".stop__listen")
    wait_until_playing_past(page, 0.3)
    assert page.text_content("#player-track") == stops["stadhuis"]["properties"]["name"][lang]

    page.goto(f"/#/walk/{WALK}")  # the mini player goes along to the walk screen, still playing
    wait_for_map(page, len(stops))
    assert not player_state(page)["paused"]
    page.click("#start-walking")
    walker = Walker(context, page)
    walker.move(lon, lat)
    walker.move(lon, lat + 0.00001)
    page.wait_for_function("() => location.hash.endsWith('/belfort')")
    page.wait_for_selector("#stop-view:not([hidden])")
    before = player_state(page)
    wait_until_playing_past(page, before["time"] + 0.3)  # the first stop's audio goes on
    state = player_state(page)
    assert state["src"] == first[lang] and not state["paused"]
    assert state["title"] == stops["stadhuis"]["properties"]["name"][lang]  # lock screen: what plays
    belfort = stops["belfort"]["properties"]["name"][lang]
    assert ARRIVED[lang] in page.text_content("#arrival-text") and belfort in page.text_content("#arrival-text")
    assert page.is_visible("#arrival")
    assert page.text_content("#player-queued") == QUEUED[lang] + belfort
    assert page.evaluate("window.kotojiTestVibrations.length") == 1

    page.click("#player-play-queued")  # the walker chooses when the next stop's audio starts
    wait_until_playing_past(page, 0.2)
    assert player_state(page)["src"] == second[lang]
    assert page.is_hidden("#player-queue")


def test_play_on_arrival_starts_the_stops_audio_when_nothing_plays(app, open_context):
    audio = add_audio_to_stop(app, "stadhuis", languages=("en",))
    stops = published_stops(app)
    lon, lat = stops[0]["geometry"]["coordinates"]
    context = open_context(**located(lon - 0.01, lat, **PHONE))
    page = open_app(context, f"/#/walk/{WALK}")
    wait_for_map(page, len(stops))
    page.check("#play-on-arrival")
    page.click("#start-walking")
    walker = Walker(context, page)
    walker.move(lon, lat)
    walker.move(lon, lat + 0.00001)
    page.wait_for_function("() => location.hash.endsWith('/stadhuis')")
    wait_until_playing_past(page, 0.2)
    assert player_state(page)["src"] == audio["en"]
    assert "Its audio is playing." in page.text_content("#arrival-text")


def test_the_player_resumes_where_it_stopped_after_the_app_was_closed(app, open_context):
    audio = add_audio_to_stop(app, "belfort", languages=("en",))
    context = open_context(**PHONE)
    page = open_app(context, f"/#/stop/{WALK}/belfort")
    page.click(".stop__listen")
    wait_until_playing_past(page, 1.0)
    page.evaluate("document.querySelector('#player-audio').pause()")
    stopped_at = player_state(page)["time"]
    page.close()

    page = open_app(context, f"/#/walk/{WALK}")
    page.wait_for_selector("#player:not([hidden])")
    assert page.text_content("#player-track") == "Belfry (Belfort)"
    page.wait_for_function(
        "(t) => Math.abs(document.querySelector('#player-audio').currentTime - t) < 0.3", arg=stopped_at
    )
    assert player_state(page)["src"] == audio["en"] and player_state(page)["paused"]
