"""Three-way merge: the version both editors started from decides what each changed (B1, B12)."""

from server.domain.editing.merging import field_label, merge_states
from server.domain.editing.rules import STOP_EDITABLE

from .editor_helpers import write

STOP_API = "/editor/api/walks/test-walk/stops/alpha"
BASE = {
    "lat": 51.0,
    "lon": 3.7,
    "name": {"nl": "Stadhuis", "en": "City Hall"},
    "summary": {"ja": "市庁舎"},
    "body": {"nl": "<p>Een</p>"},
    "address": "Botermarkt 1",
    "twin": None,
}


def test_a_field_changed_on_one_side_only_is_taken_from_that_side_without_a_question():
    theirs = {**BASE, "name": {"nl": "Stadhuis (Els)", "en": "City Hall"}, "body": {"nl": "<p>Een</p><p>Twee</p>"}}
    mine = {**BASE, "summary": {"ja": "市庁舎です。"}}
    result = merge_states(BASE, theirs, mine, STOP_EDITABLE)
    assert result["conflicts"] == []
    assert result["merged"]["name"]["nl"] == "Stadhuis (Els)"
    assert result["merged"]["body"]["nl"] == "<p>Een</p><p>Twee</p>"
    assert result["merged"]["summary"]["ja"] == "市庁舎です。"
    assert result["theirs"] == ["Dutch name", "Dutch story"] and result["mine"] == ["Japanese summary"]


def test_only_a_field_both_changed_differently_is_a_conflict_named_in_words():
    theirs = {**BASE, "body": {"nl": "<p>Els</p>"}, "address": "Same"}
    mine = {**BASE, "body": {"nl": "<p>Jan</p>"}, "address": "Same"}
    result = merge_states(BASE, theirs, mine, STOP_EDITABLE)
    assert [(c["label"], c["base"], c["mine"], c["theirs"], c["rich"]) for c in result["conflicts"]] == [
        ("Dutch story", "<p>Een</p>", "<p>Jan</p>", "<p>Els</p>", True)
    ]


def test_a_field_the_editor_did_not_send_is_never_emptied_by_the_merge():
    theirs = {**BASE, "address": "Nieuw adres"}
    result = merge_states(BASE, theirs, {"summary": {"ja": "新"}}, STOP_EDITABLE)
    assert result["merged"]["address"] == "Nieuw adres" and result["merged"]["name"] == BASE["name"]
    assert result["merged"]["summary"] == {"ja": "新"}


def test_without_the_starting_version_every_difference_is_asked():
    result = merge_states(None, {**BASE, "address": "A"}, {**BASE, "address": "B"}, STOP_EDITABLE)
    assert [c["label"] for c in result["conflicts"]] == ["Address"]
    assert field_label("body", "ja") == "Japanese story"


def test_a_stale_save_answers_with_the_merge_who_saved_and_when(signed_in, test_walk):
    first, second = signed_in("editor"), signed_in("admin")
    etag = first.get(STOP_API).headers["ETag"]
    assert (
        write(
            first, "PUT", STOP_API, {"name": {"nl": "Els", "en": "Name alpha en", "ja": "Name alpha ja"}}, etag
        ).status_code
        == 200
    )
    stale = write(
        second,
        "PUT",
        STOP_API,
        {"name": {"nl": "Name alpha nl", "en": "Name alpha en", "ja": "Name alpha ja"}, "address": "Korenmarkt 1"},
        etag,
    )
    assert stale.status_code == 412
    body = stale.get_json()
    assert body["saved_by"] == "editor@kotoji.test" and body["saved_at"]
    assert body["base"]["name"]["nl"] == "Name alpha nl"
    assert body["merge"]["conflicts"] == []
    assert body["merge"]["merged"]["name"]["nl"] == "Els" and body["merge"]["merged"]["address"] == "Korenmarkt 1"
    saved = write(second, "PUT", STOP_API, body["merge"]["merged"], body["current_etag"])
    assert saved.status_code == 200
    assert saved.get_json()["stop"]["name"]["nl"] == "Els" and saved.get_json()["stop"]["address"] == "Korenmarkt 1"


def test_walk_texts_saved_after_a_reorder_merge_without_a_conflict(signed_in, test_walk):
    editor, colleague = signed_in("editor"), signed_in("admin")
    etag = editor.get("/editor/api/walks/test-walk").headers["ETag"]
    assert (
        write(
            colleague, "PUT", "/editor/api/walks/test-walk/order", {"order": ["beta", "alpha", "gamma"]}, etag
        ).status_code
        == 200
    )
    title = {"title": {"nl": "Nieuw", "en": "Text", "ja": "テキスト"}}
    stale = write(editor, "PUT", "/editor/api/walks/test-walk", title, etag)
    assert stale.status_code == 412 and stale.get_json()["merge"]["conflicts"] == []
    assert stale.get_json()["merge"]["mine"] == ["Dutch title"]


def test_a_stale_restore_from_a_plain_form_answers_in_the_editors_layout(signed_in, test_walk):
    editor = signed_in("editor")
    etag = editor.get(STOP_API).headers["ETag"]
    assert write(editor, "PUT", STOP_API, {"address": "Korenmarkt 2"}, etag).status_code == 200
    response = editor.post(
        "/editor/walks/test-walk/stops/alpha/restore",
        data={"csrf_token": _csrf(editor), "revision": "1", "if_match": etag},
        headers={"Accept": "text/html", "Referer": "http://localhost/editor/walks/test-walk/stops/alpha/history"},
    )
    assert response.status_code == 412
    text = response.get_data(as_text=True)
    assert 'class="site-header"' in text and "Someone else saved this stop meanwhile" in text
    assert 'href="/editor/walks/test-walk/stops/alpha/history"' in text


def _csrf(client):
    from .editor_helpers import csrf_of

    return csrf_of(client)
