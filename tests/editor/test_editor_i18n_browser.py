"""Every editor page and script in Chromium in Dutch and Japanese: no English interface text anywhere.

English UI text is told from content with the catalogs themselves: a phrase counts as English UI text
when the page's language translates it differently (see `english_ui_phrases`), so the walk's own texts,
slugs and e-mail addresses never count.
"""

import json
import re

import pytest

from ..test_guide_i18n_browser import english_ui_phrases, shown_text
from .browser_steps import open_signed_in

pytestmark = pytest.mark.browser

STOP = "/editor/walks/test-walk/stops/alpha"


def english_found(page, english):
    """Return each English UI phrase on the page, with the words around it."""
    # Addresses, e-mail addresses and the audit log's raw event details (JSON data, not interface text)
    # tell nothing.
    text = re.sub(r"https?://\S+|[\w.+-]+@[\w.-]+", " ", shown_text(page))
    for code in page.eval_on_selector_all("code", "nodes => nodes.map(n => n.textContent)"):
        text = text.replace(code, " ")
    found = []
    for phrase in english:
        # A single word counts only as a whole word ("public" is not in "publication").
        match = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)" if " " not in phrase else re.escape(phrase), text)
        if match:
            found.append(f"{phrase!r} in …{text[max(0, match.start() - 40) : match.end() + 40]!r}…")
    return sorted(found)


@pytest.mark.parametrize("language", ["nl", "ja"])
def test_every_editor_page_and_script_in_dutch_and_japanese_shows_no_english(
    editor_context, accounts, test_walk, language, tmp_path
):
    context = editor_context(locale={"nl": "nl-BE", "ja": "ja-JP"}[language])
    english = english_ui_phrases(language)
    problems, seen = [], []

    def check(page, where):
        assert page.get_attribute("html", "lang") == language, where
        found = english_found(page, english)
        assert not found, f"{language} {where}: English UI text {found}"
        seen.append(where)

    page = open_signed_in(context, accounts["admin"], "/editor/")
    page.on("pageerror", lambda error: problems.append(str(error)))
    check(page, "walks")
    for path, where in (
        ("/editor/walks/test-walk", "walk page"),
        ("/editor/walks/test-walk/history", "walk history"),
        (f"{STOP}/history", "stop history"),
        (f"{STOP}/preview", "preview"),
        ("/editor/walks/test-walk/unpublish", "withdraw question"),
        ("/editor/users", "accounts"),
        ("/editor/audit", "audit log"),
    ):
        page.goto(path)
        check(page, where)

    # The stop page and its scripts: completeness, map tools, media fields, sources, the draft keeper.
    page.goto(STOP)
    page.wait_for_selector("#stop-map .leaflet-marker-icon")
    check(page, "stop page")
    page.fill("#summary-ja", "")
    page.wait_for_function("() => document.querySelector('[data-completeness=ja] .incomplete')")
    page.click("#place-mode")
    page.wait_for_function("() => document.querySelector('#map-status').textContent !== ''")
    page.click("#add-source")
    check(page, "stop page after typing (completeness, map tools, a new source)")
    page.reload()  # the unsaved change is offered back by the draft keeper
    page.wait_for_selector("#restore-draft")
    check(page, "draft keeper")

    # A save: the status line; a stale save: the merge panel.
    page.click("#restore-draft")
    page.click("#save-button")
    page.wait_for_function("() => /\\d/.test(document.querySelector('#stop-form .save-status').textContent)")
    check(page, "saved")
    other = open_signed_in(editor_context(locale="en-GB"), accounts["editor"], STOP)
    other.fill("#summary-nl", "Samenvatting van de andere redacteur")
    other.click("#save-button")
    other.wait_for_function("() => /\\d/.test(document.querySelector('#stop-form .save-status').textContent)")
    page.fill("#summary-nl", "Mijn eigen samenvatting")
    page.click("#save-button")
    page.wait_for_selector("#stop-form .merge:not([hidden]) table")
    check(page, "merge panel")

    # The sign-in dialog, when the session has ended.
    page.evaluate("async () => { const m = await import('/editor/static/sign-in-dialog.js'); m.askToSignIn(); }")
    page.wait_for_selector("dialog.sign-in-dialog[open]")
    check(page, "sign-in dialog")

    # The import result (a file with problems) and the error page of a refused form.
    bad = tmp_path / "stops.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}]}))
    page.goto("/editor/walks/test-walk")
    page.set_input_files("#import-file", str(bad))
    page.click("#import-file ~ button[type=submit]")
    page.wait_for_selector("#import-problems")
    check(page, "import result")
    page.goto("/editor/walks/test-walk")
    page.fill("#copy-slug", "test-walk")  # taken: the domain refuses it with a page of its own
    page.click("#duplicate-walk")
    page.wait_for_selector("#error-message")
    check(page, "error page")
    assert not problems, problems
    assert len(seen) == 16  # every page and script state above was checked
