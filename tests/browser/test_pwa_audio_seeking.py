"""A walker seeks in a story's audio with mobile data off: the service worker answers the player's ranges."""

import pytest

from .pwa_pages import PHONE, WALK, add_audio_to_stop, download_walk, open_app, published_stops, wait_for_map

pytestmark = pytest.mark.browser


def audio_state(page):
    return page.evaluate("""() => {
        const audio = document.querySelector('#player-audio');
        const seekable = audio.seekable.length ? audio.seekable.end(audio.seekable.length - 1) : 0;
        return { paused: audio.paused, time: audio.currentTime, duration: audio.duration, seekable };
    }""")


def ranged_fetch(page, url, header):
    return page.evaluate(
        """async ([url, header]) => {
            const response = await fetch(url, { headers: { Range: header } });
            const body = await response.arrayBuffer();
            return { status: response.status, bytes: body.byteLength,
                     range: response.headers.get('Content-Range'), stored: response.headers.get('ETag') };
        }""",
        [url, header],
    )


def test_a_downloaded_story_can_be_sought_in_with_the_server_stopped(app, live_server, open_context):
    audio = add_audio_to_stop(app, "belfort", seconds=20.0, languages=("nl",))["nl"]
    context = open_context(locale="nl", **PHONE)
    page = open_app(context, f"/#/walk/{WALK}")
    wait_for_map(page, len(published_stops(app)))
    download_walk(page)
    length = ranged_fetch(page, audio, "bytes=0-")["bytes"]

    live_server.stop()
    page.goto(f"/#/stop/{WALK}/belfort")
    page.wait_for_selector("#stop-view:not([hidden]) .stop__listen")
    page.wait_for_selector("#connection[data-state='offline']")

    # What the player asks for when it seeks: a range, answered from the walk's cache as the server would.
    part = ranged_fetch(page, audio, "bytes=1000-1999")
    assert part == {"status": 206, "bytes": 1000, "range": f"bytes 1000-1999/{length}", "stored": part["stored"]}
    assert ranged_fetch(page, audio, "bytes=-100")["range"] == f"bytes {length - 100}-{length - 1}/{length}"
    beyond = ranged_fetch(page, audio, f"bytes={length}-")
    assert beyond["status"] == 416 and beyond["range"] == f"bytes */{length}"

    page.click(".stop__listen")
    page.wait_for_function("() => !document.querySelector('#player-audio').paused", timeout=15000)
    # the whole story can be sought in, not only what has played
    page.wait_for_function(
        "() => { const s = document.querySelector('#player-audio').seekable; return s.length && s.end(0) > 19; }"
    )
    page.evaluate("document.querySelector('#player-audio').currentTime = 15")
    page.wait_for_function(
        "() => { const a = document.querySelector('#player-audio'); return !a.paused && a.currentTime > 15.3; }",
        timeout=15000,
    )
    assert audio_state(page)["time"] < 19
