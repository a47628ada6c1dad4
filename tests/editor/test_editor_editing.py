"""Editing stops and walks: validated saves, ETag/If-Match, revisions, history, restore, publishing."""

import json

from sqlalchemy import func, select

from server.domain.models import Revision, Stop, Walk
from server.domain.walks.lookup import stop_state

from .editor_helpers import post_form, write

STOP_API = "/editor/api/walks/test-walk/stops/alpha"


def load(client, url=STOP_API):
    response = client.get(url)
    assert response.status_code == 200, response.data
    return response.get_json(), response.headers["ETag"]


def stop_row(session, slug="alpha"):
    session.expire_all()
    return session.scalar(select(Stop).join(Stop.walk).where(Walk.slug == "test-walk", Stop.slug == slug))


def revision_count(session):
    return session.scalar(select(func.count()).select_from(Revision))


def test_get_gives_an_etag_and_a_save_without_if_match_gets_428(signed_in, test_walk, session):
    editor = signed_in("editor")
    data, etag = load(editor)
    assert etag == data["etag"] and etag.startswith('"stop-')
    before = revision_count(session)
    response = write(editor, "PUT", STOP_API, {"address": "Korenmarkt 1"})
    assert response.status_code == 428
    assert "If-Match" in response.get_json()["message"]
    assert revision_count(session) == before


def test_a_save_records_a_revision_with_author_and_a_new_etag(signed_in, test_walk, session):
    editor = signed_in("editor")
    _, etag = load(editor)
    response = write(editor, "PUT", STOP_API, {"address": "Korenmarkt 1", "message": "site visit"}, etag)
    assert response.status_code == 200, response.data
    assert response.headers["ETag"] != etag
    stop = stop_row(session)
    revision = session.scalar(
        select(Revision)
        .where(Revision.entity == "stop", Revision.entity_id == stop.id)
        .order_by(Revision.number.desc())
    )
    assert revision.number == stop.revision == 2
    assert revision.state["address"] == "Korenmarkt 1" and revision.message == "site visit"
    assert revision.author_id is not None
    # Saving the same again changes nothing and adds no revision.
    again = write(editor, "PUT", STOP_API, {"address": "Korenmarkt 1"}, response.headers["ETag"])
    assert again.status_code == 200 and again.headers["ETag"] == response.headers["ETag"]


def test_two_editors_save_the_same_stop_the_second_gets_412_and_both_versions_survive(signed_in, test_walk, session):
    first, second = signed_in("editor"), signed_in("admin")
    _, etag = load(first)
    _, same_etag = load(second)
    mine = {"name": {"nl": "Eerste versie", "en": "First version", "ja": "最初"}}
    theirs = {"name": {"nl": "Tweede versie", "en": "Second version", "ja": "二番目"}}
    assert write(first, "PUT", STOP_API, mine, etag).status_code == 200
    stale = write(second, "PUT", STOP_API, theirs, same_etag)
    assert stale.status_code == 412
    body = stale.get_json()
    assert body["current"]["name"]["en"] == "First version"
    assert body["yours"]["name"]["en"] == "Second version"
    assert body["current_etag"] == stale.headers["ETag"] != same_etag
    assert stop_row(session).name["en"] == "First version"
    # The second editor merges onto the current version and saves with its ETag.
    merged = write(second, "PUT", STOP_API, {"name": {**body["current"]["name"], "ja": "二番目"}}, body["current_etag"])
    assert merged.status_code == 200
    assert stop_row(session).name == {"nl": "Eerste versie", "en": "First version", "ja": "二番目"}


BAD_INPUT = [
    ({"name": {"en": "<script>alert(1)</script>"}}, "name (en): plain text only"),
    ({"summary": {"nl": '<img src=x onerror="alert(1)">'}}, "summary (nl): plain text only"),
    ({"body": {"en": "<p>Hi</p><script>alert(1)</script>"}}, "body (en)"),
    ({"body": {"en": '<p onclick="alert(1)">Hi</p>'}}, "body (en)"),
    ({"body": {"en": '<a href="javascript:alert(1)">x</a>'}}, "body (en)"),
    ({"body": {"en": "<svg><script>alert(1)</script></svg>"}}, "body (en)"),
    ({"lat": 91, "lon": 3.72}, "lat (latitude)"),
    ({"lat": 51.05, "lon": 181}, "lon (longitude)"),
    ({"lat": 3.7196, "lon": 51.0546}, "are latitude and longitude swapped"),
    ({"lat": "NaN", "lon": 3.7}, "lat (latitude)"),
    ({"trigger_radius_m": 5000}, "trigger_radius_m"),
    ({"status": "public"}, "status"),
    ({"images": [{"media": "../../etc/passwd"}]}, "images[1]"),
    ({"images": [{"media": "0" * 64 + ".jpg", "file": "../../evil.jpg"}]}, "images[1]"),
    ({"twin": "test-walk/beta"}, "twin"),
    ({"revision": 99}, "revision: is not a field"),
]


def test_bad_input_gets_a_clear_422_and_changes_nothing(signed_in, test_walk, session):
    editor = signed_in("editor")
    _, etag = load(editor)
    before, revisions = stop_state(stop_row(session)), revision_count(session)
    for payload, expected in BAD_INPUT:
        response = write(editor, "PUT", STOP_API, payload, etag)
        assert response.status_code == 422, (payload, response.data)
        assert expected in response.get_json()["message"], (expected, response.get_json())
    assert stop_state(stop_row(session)) == before
    assert revision_count(session) == revisions


def test_missing_csrf_token_is_refused_and_changes_nothing(signed_in, test_walk, session):
    editor = signed_in("editor")
    _, etag = load(editor)
    response = editor.put(STOP_API, json={"address": "nowhere"}, headers={"If-Match": etag})
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["message"]
    forged = editor.put(STOP_API, json={"address": "nowhere"}, headers={"If-Match": etag, "X-CSRF-Token": "forged"})
    assert forged.status_code == 400
    assert stop_row(session).address == ""


def test_allowed_rich_text_is_kept_and_sanitized(signed_in, test_walk, session):
    editor = signed_in("editor")
    _, etag = load(editor)
    html = '<p>The <strong>belfry</strong> and <a href="https://example.org/">more</a></p><ul><li>one</li></ul>'
    assert (
        write(editor, "PUT", STOP_API, {"body": {"en": html, "nl": "<p>x</p>", "ja": "<p>y</p>"}}, etag).status_code
        == 200
    )
    assert stop_row(session).body["en"] == html


def test_restore_reproduces_an_old_version_exactly_as_a_new_revision(signed_in, test_walk, session):
    editor = signed_in("editor")
    original = stop_state(stop_row(session))
    _, etag = load(editor)
    changed = {
        "name": {"nl": "Anders", "en": "Other", "ja": "他"},
        "lat": 51.0547,
        "lon": 3.7199,
        "body": {"en": "<p>New story</p>"},
        "position_confidence": "low",
    }
    etag = write(editor, "PUT", STOP_API, changed, etag).headers["ETag"]
    history = editor.get("/editor/walks/test-walk/stops/alpha/history").get_data(as_text=True)
    assert "<del>" in history and "<ins>" in history and "Other" in history
    response = post_form(editor, "/editor/walks/test-walk/stops/alpha/restore", {"revision": 1, "if_match": etag})
    assert response.status_code == 303
    stop = stop_row(session)
    assert stop.revision == 3
    assert stop_state(stop) == original
    last = session.scalar(
        select(Revision).where(Revision.entity == "stop", Revision.entity_id == stop.id, Revision.number == 3)
    )
    assert last.message == "restored revision 1"


def test_a_stale_restore_is_refused(signed_in, test_walk):
    editor = signed_in("editor")
    _, etag = load(editor)
    write(editor, "PUT", STOP_API, {"address": "x"}, etag)
    response = post_form(editor, "/editor/walks/test-walk/stops/alpha/restore", {"revision": 1, "if_match": etag})
    assert response.status_code == 412


def test_twins_stay_linked_both_ways(signed_in, test_walk, session):
    editor = signed_in("editor")
    other = session.scalar(select(Stop).join(Stop.walk).where(Walk.slug != "test-walk"))
    ref = f"{other.walk.slug}/{other.slug}"
    _, etag = load(editor)
    assert write(editor, "PUT", STOP_API, {"twin": ref}, etag).status_code == 200
    session.expire_all()
    assert stop_row(session).twin.slug == other.slug
    assert session.get(Stop, other.id).twin.slug == "alpha"


def test_creating_and_reordering_stops(signed_in, test_walk, session):
    editor = signed_in("editor")
    response = post_form(
        editor,
        "/editor/walks/test-walk/stops/new",
        {"slug": "delta", "name": "Delta", "lat": "51.0551", "lon": "3.7218"},
    )
    assert response.status_code == 303
    assert stop_row(session, "delta").status == "draft" and stop_row(session, "delta").position == 4
    walk, etag = load(editor, "/editor/api/walks/test-walk")
    order = ["delta", "alpha", "beta", "gamma"]
    assert write(editor, "PUT", "/editor/api/walks/test-walk/order", {"order": order}, etag).status_code == 200
    session.expire_all()
    assert [s.slug for s in session.scalar(select(Walk).where(Walk.slug == "test-walk")).stops] == order
    stale = write(editor, "PUT", "/editor/api/walks/test-walk/order", {"order": order[::-1]}, etag)
    assert stale.status_code == 412
    bad = post_form(
        editor, "/editor/walks/test-walk/stops/new", {"slug": "Bad Slug!", "name": "x", "lat": "1", "lon": "2"}
    )
    assert bad.status_code == 422


def test_publishing_bumps_the_version_and_the_public_etag(signed_in, test_walk, client, session):
    editor = signed_in("editor")
    public = client.get("/api/walks/test-walk/stops")
    _, etag = load(editor)
    write(editor, "PUT", STOP_API, {"name": {"nl": "Nieuw", "en": "New name", "ja": "新しい名前"}}, etag)
    assert "New name" not in client.get("/api/walks/test-walk/stops").get_data(as_text=True), "not before publishing"
    response = post_form(editor, "/editor/walks/test-walk/publish")
    assert response.status_code == 303
    after = client.get("/api/walks/test-walk/stops")
    assert after.headers["ETag"] != public.headers["ETag"]
    assert "新しい名前" in after.get_data(as_text=True)
    manifest = json.loads(client.get("/api/walks/test-walk/offline").data)
    assert manifest["version"] == 2


def test_publishing_refuses_incomplete_stops_and_says_what_is_missing(signed_in, test_walk, client, session):
    editor = signed_in("editor")
    _, etag = load(editor, "/editor/api/walks/test-walk/stops/gamma")
    write(editor, "PUT", "/editor/api/walks/test-walk/stops/gamma", {"status": "published"}, etag)
    response = post_form(editor, "/editor/walks/test-walk/publish")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "stop &#39;gamma&#39;: name is missing in ja" in text
    assert json.loads(client.get("/api/walks/test-walk/offline").data)["version"] == 1


def test_drafts_and_staff_notes_never_reach_any_public_response(signed_in, test_walk, client, app):
    editor = signed_in("editor")
    _, etag = load(editor, "/editor/api/walks/test-walk/stops/gamma")
    write(
        editor,
        "PUT",
        "/editor/api/walks/test-walk/stops/gamma",
        {"name": {"nl": "Geheim ontwerp", "en": "Secret draft"}, "staff_note": "do not publish"},
        etag,
    )
    assert post_form(editor, "/editor/walks/test-walk/publish").status_code == 303
    urls = [
        "/api/walks",
        "/api/walks/test-walk",
        "/api/walks/test-walk/stops",
        "/api/walks/test-walk/path",
        "/api/walks/test-walk/gpx",
        "/api/walks/test-walk/gpx?lang=ja",
        "/api/walks/test-walk/offline",
        "/ogc/collections",
        "/ogc/collections/test-walk/items",
        "/ogc/collections/test-walk/items/alpha",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        if url.endswith(("/stops", "/items", "/alpha")) or "/gpx" in url:
            assert "alpha" in body or "Name alpha" in body, url  # the published stop is there, the draft is not
        for secret in ("Secret draft", "Geheim ontwerp", "gamma", "do not publish", "secret note about"):
            assert secret not in body, (url, secret)
    assert client.get("/ogc/collections/test-walk/items/gamma").status_code == 404


def test_walk_texts_save_with_if_match_like_stops(signed_in, test_walk, session):
    editor = signed_in("editor")
    data, etag = load(editor, "/editor/api/walks/test-walk")
    assert data["walk"]["title"]["ja"] == "テキスト"
    change = {"title": {"nl": "Proefwandeling", "en": "Trial walk", "ja": "試しの散歩"}, "notes": "check the ja title"}
    assert write(editor, "PUT", "/editor/api/walks/test-walk", change).status_code == 428
    saved = write(editor, "PUT", "/editor/api/walks/test-walk", change, etag)
    assert saved.status_code == 200
    stale = write(editor, "PUT", "/editor/api/walks/test-walk", {"city": "Kanazawa"}, etag)
    assert stale.status_code == 412 and stale.get_json()["current"]["title"]["en"] == "Trial walk"
    bad = write(editor, "PUT", "/editor/api/walks/test-walk", {"title": {"en": "<b>x</b>"}}, saved.headers["ETag"])
    assert bad.status_code == 422
    session.expire_all()
    walk = session.scalar(select(Walk).where(Walk.slug == "test-walk"))
    assert walk.title["ja"] == "試しの散歩" and walk.city == "Gent" and walk.revision == 2
