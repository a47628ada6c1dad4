"""Imports change only what the file says (B2): one language updates one language; undo in one step."""

import re

import pytest
from sqlalchemy import select

from server.domain.models import Stop

from .browser_steps import open_signed_in
from .editor_helpers import post_form
from .test_editor_import import collection, feature, send, walk_snapshot


def stop_row(session, slug):
    session.expire_all()
    return session.scalar(select(Stop).where(Stop.slug == slug))


def test_a_feature_with_one_language_updates_that_language_only(signed_in, test_walk, session):
    editor = signed_in("editor")
    response = send(editor, collection(feature("alpha", 3.7196, 51.0546, summary={"en": "New English summary"})))
    assert response.status_code == 200, response.data
    alpha = stop_row(session, "alpha")
    assert alpha.summary == {"nl": "Summary alpha nl", "en": "New English summary", "ja": "Summary alpha ja"}
    assert alpha.name == {lang: f"Name alpha {lang}" for lang in ("nl", "en", "ja")}  # absent: untouched
    text = response.get_data(as_text=True)
    assert re.search(r"<dt>.*alpha.*</dt>\s*<dd><ul>\s*<li>English summary</li>\s*</ul></dd>", text)


def test_only_an_explicit_empty_or_null_empties_and_the_result_page_says_so(signed_in, test_walk, session):
    editor = signed_in("editor")
    response = send(
        editor, collection(feature("alpha", 3.7196, 51.0546, summary={"ja": ""}, accessibility=None, address=""))
    )
    assert response.status_code == 200, response.data
    alpha = stop_row(session, "alpha")
    assert alpha.summary == {"nl": "Summary alpha nl", "en": "Summary alpha en"} and alpha.accessibility == {}
    text = response.get_data(as_text=True)
    assert "Japanese summary: emptied, because the file sets it empty" in text
    assert "Dutch accessibility notes: emptied" in text


def test_an_import_is_undone_in_one_step_and_only_if_nobody_edited_since(signed_in, test_walk, session):
    editor = signed_in("editor")
    before = walk_snapshot(session)[0]
    response = send(
        editor,
        collection(
            feature("alpha", 3.7197, 51.0547, name={"en": "Alpha!"}),
            feature("epsilon", 3.7220, 51.0552, name={"nl": "Epsilon"}),
        ),
    )
    undo_url = re.search(r'action="([^"]+/undo)"', response.get_data(as_text=True)).group(1)
    undone = post_form(editor, undo_url)
    assert undone.status_code == 303 and "import_undone" in undone.headers["Location"]
    assert walk_snapshot(session)[0] == before
    again = post_form(editor, undo_url)
    assert again.status_code == 422 and "already been undone" in again.get_data(as_text=True)
    # An import a colleague has edited since is not undone over their work.
    response = send(editor, collection(feature("beta", 3.7211, 51.0551, name={"en": "Beta!"})))
    undo_url = re.search(r'action="([^"]+/undo)"', response.get_data(as_text=True)).group(1)
    send(editor, collection(feature("beta", 3.7211, 51.0551, summary={"en": "Later edit"})))
    refused = post_form(editor, undo_url)
    assert refused.status_code == 422 and "beta: edited since the import" in refused.get_data(as_text=True)
    assert stop_row(session, "beta").summary["en"] == "Later edit"


@pytest.mark.browser
def test_the_reviews_english_only_import_keeps_dutch_and_japanese_in_the_browser(
    page_context, accounts, session, tmp_path
):
    kask = stop_row(session, "kask")
    before = dict(kask.summary)
    file = tmp_path / "stops-good.geojson"
    file.write_bytes(collection(feature("kask", kask.lon, kask.lat, summary={"en": "Updated English summary."})))
    page = open_signed_in(page_context, accounts["editor"], "/editor/walks/gent-kanazawa")
    page.set_input_files("#import-file", str(file))
    page.locator("#import-file").evaluate("input => input.form.requestSubmit()")
    page.wait_for_selector("#import-changes")
    assert page.inner_text("#import-changes").split() == ["kask", "English", "summary"]
    kask = stop_row(session, "kask")
    assert kask.summary == {**before, "en": "Updated English summary."}
    page.click("#undo-import")
    page.wait_for_selector("#import-undone")
    assert stop_row(session, "kask").summary == before
