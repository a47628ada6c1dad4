"""The whole history of a walk (item 6): texts, order, path, stops, publications, imports; Japanese diffs."""

import pytest
from sqlalchemy import select

from server.domain.editing.history import diff_states
from server.domain.models import AuditEvent, Walk

from .browser_steps import open_signed_in
from .editor_helpers import post_form, write

WALK_API = "/editor/api/walks/test-walk"


def test_a_japanese_sentence_added_shows_as_that_sentence_and_stories_show_as_text():
    before = {"body": {"ja": "<p>ゲント市庁舎は1518年から建てられました。</p>"}}
    after = {"body": {"ja": "<p>ゲント市庁舎は1518年から建てられました。</p><p>今も使われています。</p>"}}
    [change] = diff_states(before, after)
    assert change["segments"] == [
        ("same", "ゲント市庁舎は1518年から建てられました。"),
        ("added", "\n今も使われています。"),
    ]
    assert "<p>" not in change["before"] + change["after"]


def test_every_kind_of_change_is_in_the_walks_history_with_who_and_restore(signed_in, test_walk, session):
    editor = signed_in("editor")
    etag = editor.get(WALK_API).headers["ETag"]
    saved = write(editor, "PUT", WALK_API, {"title": {"nl": "Proef", "en": "Trial", "ja": "試し"}}, etag)
    post_form(editor, "/editor/walks/test-walk/move", {"stop": "beta", "direction": "up"})
    stop_etag = editor.get(f"{WALK_API}/stops/gamma").headers["ETag"]
    write(editor, "PUT", f"{WALK_API}/stops/gamma", {"address": "Korenmarkt 3"}, stop_etag)
    post_form(editor, "/editor/walks/test-walk/unpublish", {"confirm": "test-walk"})
    page = editor.get("/editor/walks/test-walk/history").get_data(as_text=True)
    for expected in (
        "stops reordered: beta, alpha, gamma",
        "Stop gamma, revision 2",
        "Withdrawn from the public",
        "<ins>試し</ins>",
        "editor@kotoji.test",
    ):
        assert expected in page, expected
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"walk.edit", "walk.reorder", "stop.save", "walk.unpublish"} <= actions
    current = editor.get(WALK_API).headers["ETag"]
    restored = post_form(editor, "/editor/walks/test-walk/restore", {"revision": "1", "if_match": current})
    assert restored.status_code == 303
    session.expire_all()
    walk = session.scalar(select(Walk).where(Walk.slug == "test-walk"))
    assert walk.title["en"] == "Text" and saved.status_code == 200


@pytest.mark.browser
def test_the_walk_history_page_in_the_browser_restores_an_imported_path(page_context, accounts, session, tmp_path):
    walk = session.scalar(select(Walk).where(Walk.slug == "gent-kanazawa"))
    original = list(walk.path)
    line = tmp_path / "detour.geojson"
    line.write_text(
        '{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", '
        '"coordinates": [[3.72, 51.05], [3.721, 51.051], [3.722, 51.052]]}}'
    )
    page = open_signed_in(page_context, accounts["editor"], "/editor/walks/gent-kanazawa")
    page.set_input_files("#import-file", str(line))
    page.locator("#import-file").evaluate("input => input.form.requestSubmit()")
    page.wait_for_selector("text=Imported.")
    page.goto("/editor/walks/gent-kanazawa")
    page.click("#walk-history-link")
    page.wait_for_selector("#walk-history")
    assert "path imported from GeoJSON" in page.inner_text("#walk-history")
    assert "File imported" in page.inner_text("#walk-history")
    page.locator("li.history-walk form button").first.click()
    page.wait_for_selector("text=Restored walk revision")
    session.expire_all()
    assert session.scalar(select(Walk).where(Walk.slug == "gent-kanazawa")).path == original
