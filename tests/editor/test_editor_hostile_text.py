"""Texts that enter through the editor: control characters, NUL and non-characters are refused, naming
field and character, and the published GPX stays well-formed XML."""

import gpxpy
import pytest
from sqlalchemy import func, select

from server.domain.models import Revision, Stop, User, Walk
from server.domain.walks.lookup import stop_state, walk_state

from .editor_helpers import PASSWORD, post_form, sign_in, write

STOP_API = "/editor/api/walks/test-walk/stops/alpha"
WALK_API = "/editor/api/walks/test-walk"


def etag_of(client, url=STOP_API):
    return client.get(url).headers["ETag"]


def snapshot(session):
    session.expire_all()
    walk = session.scalar(select(Walk).where(Walk.slug == "test-walk"))
    return (
        walk_state(walk),
        [stop_state(s) for s in walk.stops],
        session.scalar(select(func.count()).select_from(Revision)),
    )


STOP_TEXTS = [
    ({"name": {"en": "Belfort \x01"}}, "name (en): contains a control character (U+0001)"),
    ({"name": {"nl": "Belfort\nGent"}}, "name (nl): contains a line break (U+000A)"),
    ({"summary": {"ja": "a\x1bb"}}, "summary (ja): contains a control character (U+001B)"),
    ({"accessibility": {"en": "a\ufffeb"}}, "accessibility (en): contains a non-character (U+FFFE)"),
    ({"address": "Street 1\x00"}, "address: contains a control character (U+0000)"),
    ({"opening_hours": "9\x0b-17"}, "opening_hours: contains a control character (U+000B)"),
    ({"staff_note": "\uffff"}, "staff_note: contains a non-character (U+FFFF)"),
    ({"name_reading": {"ja": "\ud800"}}, "name_reading (ja): contains a lone surrogate (U+D800)"),
    ({"body": {"en": "<p>Story\x00</p>"}}, "body (en): contains a control character (U+0000)"),
    ({"body": {"en": "<p>Story\x08</p>"}}, "body (en): contains a control character (U+0008)"),
    ({"address": "ok", "message": "site visit\x00"}, "message: contains a control character (U+0000)"),
]


@pytest.mark.parametrize("payload, expected", STOP_TEXTS)
def test_control_characters_in_a_stop_are_refused_naming_field_and_character(
    signed_in, test_walk, session, payload, expected
):
    editor = signed_in("editor")
    before = snapshot(session)
    response = write(editor, "PUT", STOP_API, payload, etag_of(editor))
    assert response.status_code == 422, response.data
    assert expected in response.get_json()["message"]
    assert snapshot(session) == before


def test_control_characters_in_a_walk_are_refused_naming_field_and_character(signed_in, test_walk, session):
    editor = signed_in("editor")
    before = snapshot(session)
    for payload, expected in (
        ({"title": {"en": "Walk\x01"}}, "title (en): contains a control character (U+0001)"),
        ({"intro": {"nl": "\x00"}}, "intro (nl): contains a control character (U+0000)"),
        ({"city": "Gent\x7f\x00"}, "city: contains a control character (U+0000)"),
        ({"notes": "a\x1fb"}, "notes: contains a control character (U+001F)"),
        ({"sources": ["https://x.org/\x00"]}, "sources[1]: contains a control character"),
    ):
        response = write(editor, "PUT", WALK_API, payload, etag_of(editor, WALK_API))
        assert response.status_code == 422, (payload, response.data)
        assert expected in response.get_json()["message"]
    assert snapshot(session) == before


def test_line_breaks_and_tabs_stay_allowed_where_a_text_has_lines(signed_in, test_walk, session):
    editor = signed_in("editor")
    texts = {"summary": {"en": "One\nTwo\tthree"}, "staff_note": "call\r\nfirst", "address": "Korenmarkt 1\n9000 Gent"}
    response = write(editor, "PUT", STOP_API, texts, etag_of(editor))
    assert response.status_code == 200, response.data
    stop = response.get_json()["stop"]
    assert stop["summary"]["en"] == "One\nTwo\tthree" and stop["staff_note"] == "call\r\nfirst"


def test_published_gpx_stays_well_formed_xml_after_hostile_but_allowed_texts(signed_in, test_walk, client):
    editor = signed_in("editor")
    name = 'Belfort & <"ja"> ]]> \u202e \U0001f3ee {{7*7}}'
    texts = {"name": {"nl": "Belfort", "en": name, "ja": "鐘楼"}, "summary": {"nl": "x", "en": "a\tb\nc", "ja": "x"}}
    response = write(editor, "PUT", STOP_API, texts, etag_of(editor))
    assert response.status_code == 200, response.data
    refused = write(editor, "PUT", STOP_API, {"name": {"en": "Belfort \x01\x0b\x1b"}}, response.headers["ETag"])
    assert refused.status_code == 422
    assert post_form(editor, "/editor/walks/test-walk/publish").status_code == 303
    gpx = gpxpy.parse(client.get("/api/walks/test-walk/gpx?lang=en").get_data(as_text=True))
    assert gpx.waypoints[0].name == f"1. {name}"


def test_login_with_control_characters_is_refused_and_counts_no_failure(client, accounts, session):
    for email, password in (
        ("editor@kotoji.test\x00", PASSWORD),
        ("a\x00@x.org", PASSWORD),
        ("editor@kotoji.test", PASSWORD + "\x00"),
    ):
        response = sign_in(client, email, password)
        assert response.status_code == 422, (email, response.status_code)
        text = response.get_data(as_text=True)
        assert "contains a control character (U+0000)" in text
    assert sign_in(client, "editor@kotoji.test").status_code == 303


def test_accounts_with_control_characters_cannot_be_created(signed_in, session):
    admin = signed_in("admin")
    for email, password in (("new\x00@kotoji.test", PASSWORD), ("new@kotoji.test", PASSWORD + "\x01")):
        response = post_form(admin, "/editor/users", {"email": email, "password": password, "role": "guide"})
        assert response.status_code == 422, response.data
    assert session.scalar(select(func.count()).select_from(User).where(User.email.like("new%"))) == 0


def test_publishing_refuses_texts_saved_before_control_characters_were_refused(signed_in, test_walk, client, session):
    stop = session.scalar(select(Stop).join(Stop.walk).where(Walk.slug == "test-walk", Stop.slug == "alpha"))
    stop.name = {**stop.name, "en": "Belfort \x01"}  # as a database written before the rule holds it
    session.commit()
    response = post_form(signed_in("editor"), "/editor/walks/test-walk/publish")
    assert response.status_code == 422
    assert "stop &#39;alpha&#39;: name (en): contains a control character (U+0001)" in response.get_data(as_text=True)
    gpxpy.parse(client.get("/api/walks/test-walk/gpx?lang=en").get_data(as_text=True))
