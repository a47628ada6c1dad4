"""A stop's photos full screen: caption and credit, keyboard and swipe."""

import pytest

from server.domain.editing.saves import etag_of, save_stop
from server.domain.media import store_media
from server.domain.publishing.publish import publish_walk
from server.domain.walks.lookup import get_stop

from .pwa_pages import WALK, open_app, tiny_png

pytestmark = pytest.mark.browser


def add_two_photos(app):
    with app.extensions["db"].session() as session:
        red, blue = (
            store_media(session, tiny_png((200, 40, 30), 64), "image"),
            store_media(session, tiny_png((30, 40, 200), 64), "image"),
        )
        session.flush()
        stop = get_stop(session, WALK, "belfort")
        save_stop(
            session,
            stop,
            {
                "images": [
                    {
                        "media": f"{red.sha256}.png",
                        "credit": "Photo A. Maker",
                        "alt": {"en": "The belfry at dusk", "ja": "夕暮れの鐘楼"},
                    },
                    {
                        "media": f"{blue.sha256}.png",
                        "credit": "B. Archive",
                        "alt": {"en": "The dragon on top", "ja": "頂上の竜"},
                    },
                ]
            },
            etag_of(stop),
            None,
            "test photos",
        )
        publish_walk(session, WALK, None)
        session.commit()
        return [f"/media/{red.sha256}.png", f"/media/{blue.sha256}.png"]


def test_photos_open_full_screen_with_caption_credit_keyboard_and_swipe(app, open_context):
    urls = add_two_photos(app)
    page = open_app(open_context(viewport={"width": 390, "height": 844}, has_touch=True), f"/#/stop/{WALK}/belfort")
    page.wait_for_selector("#stop-view:not([hidden]) .stop__photo")
    page.click(".stop__photo >> nth=0")
    page.wait_for_selector("#gallery[open]")
    box = page.locator("#gallery-image").bounding_box()
    assert box["width"] >= 370  # full screen, not the inline size
    assert page.get_attribute("#gallery-image", "src") == urls[0]
    assert page.text_content("#gallery-caption") == "The belfry at dusk"
    assert page.text_content("#gallery-credit") == "Photo: Photo A. Maker"
    assert page.text_content("#gallery-counter") == "Photo 1 of 2"
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("#gallery-image", "src") == urls[1]
    assert page.text_content("#gallery-credit") == "Photo: B. Archive"
    # a swipe to the right goes back
    page.mouse.move(100, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(300, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert page.get_attribute("#gallery-image", "src") == urls[0]
    page.keyboard.press("Escape")
    page.wait_for_selector("#gallery:not([open])", state="attached")
    assert page.evaluate("document.activeElement.classList.contains('stop__photo')")
