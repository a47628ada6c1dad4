"""The sister-city link offline, and downloads the walker can trust: both walks, sizes, bytes, checks."""

import itertools

import pytest

from .pwa_pages import (
    PHONE,
    WALK,
    add_audio_to_stop,
    download_walk,
    open_app,
    published_stops,
    wait_for_map,
)

pytestmark = pytest.mark.browser
TWIN_WALK = "kanazawa-gent"


def open_lantern_twin(page):
    page.goto(f"/#/stop/{WALK}/kotoji-lantaarn")
    page.wait_for_selector("#stop-view:not([hidden]) .stop__section a[href^='#/stop/kanazawa-gent/']")
    link = page.locator(".stop__section a[href^='#/stop/kanazawa-gent/']")
    link.scroll_into_view_if_needed()
    return link


def test_downloading_a_walk_offers_its_twin_walk_and_the_twin_link_then_works_offline(app, live_server, open_context):
    page = open_app(open_context(**PHONE), f"/#/walk/{WALK}")
    wait_for_map(page, len(published_stops(app)))
    page.wait_for_selector("#download-twin:not([hidden])")
    offer = page.text_content("#download-twin")
    assert "Kanazawa" in offer and "KB" in offer  # the twin walk's size, before anything is fetched
    assert page.is_checked("#download-twin-too")
    download_walk(page)
    page.wait_for_selector("#download-twin-status:not([hidden])")
    assert "Kanazawa" in page.text_content("#download-twin-status")

    live_server.stop()
    page.reload()
    page.wait_for_selector("#walk-view:not([hidden])")
    open_lantern_twin(page).click()
    page.wait_for_function("() => location.hash.startsWith('#/stop/kanazawa-gent/')")
    page.wait_for_function("() => document.querySelector('#stop-title').textContent.includes('Kenroku')")


@pytest.mark.parametrize("lang", ["nl", "ja"])
def test_a_twin_that_is_not_on_the_phone_says_so_where_it_was_tapped(app, live_server, open_context, lang):
    page = open_app(open_context(locale=lang, **PHONE), f"/#/walk/{WALK}")
    wait_for_map(page, len(published_stops(app)))
    page.wait_for_selector("#download-twin:not([hidden])")
    page.uncheck("#download-twin-too")
    download_walk(page)
    link = open_lantern_twin(page)
    # online: the note says the twin is not on the phone and offers to download it
    page.wait_for_selector(".stop__twin-download")
    city = {"nl": "Kanazawa", "ja": "金沢"}[lang]
    assert city in page.text_content(".stop__twin-download")

    live_server.stop()
    page.reload()
    link = open_lantern_twin(page)
    link.click()
    alert = page.wait_for_selector(".stop__twin-note [role='alert']")
    assert city in alert.text_content()
    assert {"nl": "niet op deze telefoon", "ja": "端末に保存されておらず"}[lang] in alert.text_content()
    assert page.evaluate("location.hash") == f"#/stop/{WALK}/kotoji-lantaarn"
    box = alert.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # where the walker is looking, not at the top


def test_the_progress_bar_moves_with_the_bytes_of_a_large_file(app, open_context):
    add_audio_to_stop(app, "belfort", seconds=240)  # one 3.8 MB file
    page = open_app(open_context(), "/#/")
    steps = page.evaluate(
        """async (walk) => {
        const { downloadWalk, fetchLatestManifest } = await import('/js/walk-download.js');
        const manifest = await fetchLatestManifest(walk);
        const seen = [];
        await downloadWalk(manifest, (done, total) => seen.push([done, total]));
        return { seen, largest: Math.max(...manifest.urls.map((entry) => entry.bytes)) };
    }""",
        WALK,
    )
    largest, steps = steps["largest"], steps["seen"]
    total = steps[-1][1]
    done = [0] + [received for received, _ in steps]
    # the bar moves while the large file arrives, not in one jump when it is complete (how big the pieces are
    # depends on the browser and the machine's load, so the test asks for moves smaller than the file, not a count)
    assert max(after - before for before, after in itertools.pairwise(done)) < largest, steps[:5]
    assert done == sorted(done)
    assert steps[-1][0] == total


def test_available_offline_only_when_every_file_is_still_on_the_phone(app, open_context):
    add_audio_to_stop(app, "belfort", seconds=2)
    page = open_app(open_context(), f"/#/walk/{WALK}")
    page.wait_for_selector("#download-twin:not([hidden])")
    page.uncheck("#download-twin-too")
    download_walk(page)
    page.evaluate("""async () => {
        for (const name of await caches.keys()) {
            if (!name.startsWith('kotoji-walk-gent-kanazawa-')) continue;
            const cache = await caches.open(name);
            for (const request of await cache.keys()) if (request.url.includes('/media/')) await cache.delete(request);
        }
    }""")
    page.reload()
    page.wait_for_selector("#download-status[data-state='absent']")
    assert "Available offline" not in page.text_content("#download-status")
