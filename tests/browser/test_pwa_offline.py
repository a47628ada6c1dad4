"""Install the app, download the walk, take the server away: everything still works on the phone."""

import json

import pytest

from .pwa_pages import WALK, add_media_to_stop, download_walk, open_app, wait_for_map

pytestmark = pytest.mark.browser


def published_stops(app):
    document = app.extensions["published_documents"].get(f"/api/walks/{WALK}/stops")
    return json.loads(document.body)["features"]


def test_downloaded_walk_works_with_the_server_stopped(app, live_server, open_context):
    media = add_media_to_stop(app, "belfort")
    stops = published_stops(app)
    context = open_context()
    page = open_app(context, f"/#/walk/{WALK}")
    wait_for_map(page, len(stops))
    assert page.text_content("#download-status").startswith("Not on this phone yet")
    download_walk(page)
    assert "Available offline" in page.text_content("#download-status")

    live_server.stop()
    page.reload()
    wait_for_map(page, len(stops))
    assert page.locator("#map path.leaflet-interactive, #map svg path").count() >= 2  # the path and its casing
    page.wait_for_selector("#connection[data-state='offline']")
    assert "Offline" in page.text_content("#connection")
    # The status is written once the app has looked through its caches, not with the map.
    page.wait_for_selector("#download-status[data-state='available']")
    assert "Available offline" in page.text_content("#download-status")

    for feature in stops:
        page.goto(f"/#/stop/{WALK}/{feature['id']}")
        page.wait_for_function(
            "(name) => document.querySelector('#stop-title')?.textContent === name",
            arg=feature["properties"]["name"]["en"],
        )
        assert page.locator(".stop__story p").count() >= 1

    page.goto(f"/#/stop/{WALK}/belfort")
    image = page.locator(".stop__figure img")
    assert image.get_attribute("src") == media["image"]
    assert image.get_attribute("alt") == "A red square"
    assert page.wait_for_function("(img) => img.complete && img.naturalWidth === 8", arg=image.element_handle())
    page.click(".stop__listen")  # into the app's one player, from the copy on the phone
    duration = page.evaluate("""() => new Promise((resolve, reject) => {
        const audio = document.querySelector('#player-audio');
        if (audio.duration) return resolve(audio.duration);
        audio.addEventListener('durationchange', () => resolve(audio.duration), { once: true });
        audio.addEventListener('error', () => reject(new Error('audio failed: ' + audio.error.code)), { once: true });
    })""")
    assert page.get_attribute("#player-audio", "data-track") == media["audio"]
    assert duration == pytest.approx(0.5, abs=0.05)
    assert page.text_content(".stop__transcript p") == "A short tone for the test."

    page.goto("/#/")  # the list of walks came down with the walk
    page.wait_for_selector("#walk-cards li")


def test_the_app_is_installable(app, open_context):
    context = open_context()
    page = open_app(context, "/")
    cdp = context.new_cdp_session(page)
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # Playwright's contexts are incognito profiles, where no app installs: that one is about the test
    assert [e for e in errors if e != "in-incognito"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and not manifest["errors"]


def test_an_evicted_download_is_reported_and_a_removed_one_is_gone(app, open_context):
    page = open_app(open_context(), f"/#/walk/{WALK}")
    download_walk(page)
    # what Safari does to a site's storage after seven days without a visit
    page.evaluate(
        "async () => { for (const name of await caches.keys())"
        " if (name.startsWith('kotoji-walk-')) await caches.delete(name); }"
    )
    page.reload()
    page.wait_for_selector("#download-status[data-state='absent']")
    assert "removed the offline copy" in page.text_content("#download-status")
    download_walk(page)
    page.click("#remove-download")  # asks first: a tap by mistake costs nothing
    assert page.is_visible("#remove-confirm") and "Remove the offline copy" in page.text_content("#remove-confirm")
    page.click("#remove-no")
    assert page.get_attribute("#download-status", "data-state") == "available"
    page.click("#remove-download")
    page.click("#remove-yes")
    page.wait_for_selector("#download-status[data-state='absent']")
    assert page.text_content("#download-status").startswith("Not on this phone yet")
    assert (
        page.evaluate(f"async () => (await caches.keys()).filter((name) => name.startsWith('kotoji-walk-{WALK}-'))")
        == []
    )
