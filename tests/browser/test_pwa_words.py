"""Words a walker reads: plurals, city names in their language, and a read-aloud that says why it cannot."""

import pytest

from .pwa_pages import WALK, open_app

pytestmark = pytest.mark.browser
NO_VOICE = {"nl": "geen stem voor het Nederlands", "ja": "日本語の音声が入っていない"}


@pytest.mark.parametrize("lang", ["nl", "ja"])
def test_read_aloud_without_an_installed_voice_says_so(app, open_context, lang):
    page = open_app(open_context(locale=lang), f"/#/stop/{WALK}/belfort")
    page.wait_for_selector("#stop-view:not([hidden])")
    page.evaluate("() => { speechSynthesis.getVoices = () => []; }")  # a phone without that voice
    page.click(".stop .button-row button >> nth=0")
    page.wait_for_function("() => document.querySelector('.stop__feedback').textContent !== ''")
    assert NO_VOICE[lang] in page.text_content(".stop__feedback")
    assert page.get_attribute(".stop .button-row button >> nth=0", "aria-pressed") == "false"


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "1 of the tour's stops is no longer published"),
        ("nl", "1 halte van de rondleiding is niet meer gepubliceerd"),
    ],
)
def test_counts_use_the_languages_plural_forms(app, open_context, lang, expected):
    page = open_app(open_context(), f"/#/tour/{WALK}/belfort,gone?lang={lang}")
    page.wait_for_selector("#tour-note:not([hidden])")
    note = page.text_content("#tour-note")
    assert expected in note
    assert {"en": "1 stop.", "nl": "1 halte."}[lang] in note


@pytest.mark.parametrize("lang, gent, kanazawa", [("ja", "ゲント", "金沢"), ("en", "Ghent", "Kanazawa")])
def test_city_names_are_given_in_the_readers_language(app, open_context, lang, gent, kanazawa):
    page = open_app(open_context(locale=lang), "/#/")
    page.wait_for_selector("#walk-cards li")
    cards = page.eval_on_selector_all("#walk-cards .walk-card__facts", "nodes => nodes.map(n => n.textContent)")
    assert any(card.startswith(gent) for card in cards) and any(card.startswith(kanazawa) for card in cards)
    page.goto(f"/#/stop/{WALK}/kotoji-lantaarn")
    page.wait_for_selector("#stop-view:not([hidden])")
    assert page.text_content(".stop__section a[href^='#/stop/kanazawa-gent/']").endswith(f"({kanazawa})")
