"""Sources, Japanese readings as <ruby>, the approximate route and the texts' licence, as a visitor sees them."""

import pytest

from .pwa_pages import WALK, open_app

pytestmark = pytest.mark.browser


def test_a_japanese_stop_page_shows_readings_as_ruby_and_sources_collapsed(app, open_context):
    page = open_app(open_context(locale="ja-JP"), f"/#/stop/{WALK}/ransho-tuin")
    page.wait_for_selector("#stop-view:not([hidden])")
    assert page.get_attribute("html", "lang") == "ja"
    assert page.text_content("#stop-title ruby rt") == "らんしょうのにわ"
    assert page.evaluate("() => document.querySelector('#stop-title ruby').firstChild.textContent") == "濫觴の庭"
    assert "（ゲント大学文学・哲学部の中庭）" in page.text_content("#stop-title")
    readings = page.locator(".stop__story ruby rt").all_text_contents()
    assert "らんしょう" in readings and "さかずき" in readings
    sources = page.locator("details.stop__sources")
    assert sources.get_attribute("open") is None, "collapsed until the visitor opens it"
    assert page.text_content("details.stop__sources summary") == "出典"
    assert not page.locator("details.stop__sources li >> nth=0").is_visible()
    page.click("details.stop__sources summary")
    link = page.locator("details.stop__sources a[href='http://www.southandeastasia.ugent.be/Ransho_tuin']")
    assert link.is_visible() and "Universiteit Gent" in page.text_content("details.stop__sources li >> nth=0")


def test_the_walk_screen_says_the_route_is_approximate_and_credits_texts_and_map(app, open_context):
    page = open_app(open_context(locale="en-GB"), f"/#/walk/{WALK}")
    page.wait_for_selector("#walk-view:not([hidden])")
    assert page.locator("#route-note").is_visible()
    assert "Approximate route" in page.text_content("#route-note")
    licence = page.text_content("#walk-licence")
    assert "CC BY 4.0" in licence and "OpenStreetMap" in licence and "ODbL" in licence
