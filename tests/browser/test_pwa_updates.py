"""Updates reach phones: a new walk version is offered and downloaded; a new app version waits for "Update"."""

import shutil
from pathlib import Path

import pytest

from .pwa_pages import (
    WALK,
    download_walk,
    open_app,
    rename_stop_and_publish,
    wait_for_map,
    walk_version,
)

pytestmark = pytest.mark.browser
PWA_DIR = Path(__file__).resolve().parents[2] / "pwa"


def test_new_walk_version_reaches_a_phone_that_had_the_old_one(app, live_server, open_context):
    old_version = walk_version(app)
    page = open_app(open_context(), f"/#/walk/{WALK}")
    wait_for_map(page, 6)
    download_walk(page)
    assert f"version {old_version})" in page.text_content("#download-status")

    new_version = rename_stop_and_publish(app, "belfort", {"en": "Belfry and its dragon"})
    page.reload()
    page.wait_for_selector("#download-status[data-state='update']")
    assert "newer version of this walk" in page.text_content("#download-status")
    assert page.text_content("#download-walk").startswith("Update download")
    download_walk(page)
    assert f"version {new_version})" in page.text_content("#download-status")

    live_server.stop()
    page.goto(f"/#/stop/{WALK}/belfort")
    page.reload()
    page.wait_for_function("() => document.querySelector('#stop-title')?.textContent === 'Belfry and its dragon'")
    page.goto(f"/#/walk/{WALK}")
    page.wait_for_selector("#download-status[data-state='available']")
    assert f"version {new_version})" in page.text_content("#download-status")


def test_new_app_version_waits_until_the_walker_taps_update(app, open_context, tmp_path):
    pwa = tmp_path / "pwa"
    shutil.copytree(PWA_DIR, pwa)
    app.config["PWA_DIR"] = str(pwa)
    app.extensions.pop("app_shell", None)
    page = open_app(open_context(), "/#/")
    page.wait_for_selector("#home-view:not([hidden])")
    assert page.text_content("#home-title") == "Heritage walks"
    old_version = page.evaluate("() => caches.keys()")

    messages = pwa / "js" / "i18n" / "en.js"
    messages.write_text(
        messages.read_text().replace('"home.title": "Heritage walks"', '"home.title": "Heritage walks, renewed"')
    )
    page.reload()  # the browser checks /sw.js on navigation: its shell version changed
    page.wait_for_selector("#update-banner:not([hidden])", timeout=15000)
    assert page.text_content("#update-banner p") == "A new version of the app is ready."
    assert page.text_content("#home-title") == "Heritage walks"  # still the running version

    page.click("#update-app")
    page.wait_for_function("() => document.querySelector('#home-title').textContent === 'Heritage walks, renewed'")
    assert page.is_hidden("#update-banner")
    shells = [name for name in page.evaluate("() => caches.keys()") if name.startswith("kotoji-shell-")]
    assert len(shells) == 1 and shells[0] not in old_version
