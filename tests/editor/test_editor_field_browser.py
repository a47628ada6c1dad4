"""Field work on a phone (item 10) and the audio slot (item 11, B11), in Chromium."""

import io

import pytest
from PIL import Image

from .browser_steps import open_signed_in

pytestmark = pytest.mark.browser
STOP_PAGE = "/editor/walks/gent-kanazawa/stops/belfort"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def test_a_jpeg_chosen_for_the_audio_slot_is_refused_by_its_own_name(editor_context, accounts, tmp_path):
    picture = tmp_path / "lantern.jpg"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    picture.write_bytes(out.getvalue())
    page = open_signed_in(editor_context(), accounts["editor"], STOP_PAGE)
    page.set_input_files("#audio-upload-ja", str(picture))
    page.wait_for_selector(".save-status:has-text('Upload refused')")
    status = page.inner_text(".save-status")
    assert "lantern.jpg is an image, not audio" in status and ".jpg is not an uploaded" not in status
    assert page.get_attribute("fieldset[data-audio=ja]", "data-media") is None


@pytest.mark.parametrize("path", ["/editor/walks/gent-kanazawa", STOP_PAGE])
def test_editor_pages_fit_a_390_pixel_phone_and_the_save_bar_covers_nothing(editor_context, accounts, path):
    page = open_signed_in(editor_context(**PHONE), accounts["editor"], path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if path == STOP_PAGE:
        page.locator("#address").scroll_into_view_if_needed()
        field = page.locator("#address").bounding_box()
        bar = page.locator(".save-bar").bounding_box()
        assert bar["y"] >= field["y"] + field["height"] or bar["y"] + bar["height"] <= field["y"]
        assert page.evaluate("getComputedStyle(document.querySelector('.save-bar')).position") == "static"
