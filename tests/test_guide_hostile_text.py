"""Texts that enter through the guide tools: tour titles, labels and notes with control characters are
refused (never a 500 on PostgreSQL), bodies that are not JSON objects get a 422, and the GPX stays XML."""

from urllib.parse import quote

import gpxpy
import pytest

from server.domain.accounts.users import create_user

PASSWORD = "correct horse battery staple"
WALK = "gent-kanazawa"


@pytest.fixture
def guide(app):
    with app.extensions["db"].session() as session:
        create_user(session, "guide@guide.test", PASSWORD, "guide")
        session.commit()
    client = app.test_client()
    client.get("/editor/login")
    with client.session_transaction() as cookie:
        token = cookie["csrf"]
    assert (
        client.post(
            "/editor/login", data={"email": "guide@guide.test", "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 303
    )
    with client.session_transaction() as cookie:
        return client, cookie["csrf"]


@pytest.fixture
def stops(client):
    return [f["id"] for f in client.get(f"/api/walks/{WALK}/stops").get_json()["features"]][:2]


def query(stops, **params):
    params = {"walk": WALK, "stops": ",".join(stops), "lang": "en", "start": "51.0359,3.7108", **params}
    return "&".join(f"{name}={quote(value, safe='')}" for name, value in params.items())


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("title", "Class\x015B", "title: contains a control character (U+0001)"),
        ("title", "Class\x00", "title: contains a control character (U+0000)"),
        ("title", "Class\n5B", "title: contains a line break (U+000A)"),
        ("start_label", "Sta\x0btion", "start_label: contains a control character (U+000B)"),
        ("end_label", "\ufffe", "end_label: contains a non-character (U+FFFE)"),
    ],
)
def test_tour_links_with_control_characters_are_refused_naming_the_parameter(client, stops, name, value, expected):
    params = {name: value, **({"end": "51.0545,3.7195"} if name == "end_label" else {})}
    for route in ("plan.json", "tour.gpx", "handout", "qr.svg"):
        response = client.get(f"/guide/{route}?{query(stops, **params)}")
        assert 400 <= response.status_code < 500, (route, response.status_code)
        assert expected in response.get_data(as_text=True), (route, response.data[:300])


def test_tour_gpx_stays_well_formed_for_hostile_but_allowed_titles(client, stops):
    title = '<Klas> & "5B" ]]> \u202e {{7*7}} \U0001f3ee'
    response = client.get("/guide/tour.gpx?" + query(stops, title=title, start_label="Station <b> & \u26e9"))
    assert response.status_code == 200
    gpx = gpxpy.parse(response.get_data(as_text=True))
    assert gpx.name == title and gpx.waypoints[0].name == "Station <b> & \u26e9"


@pytest.mark.parametrize(
    "title, notes",
    [
        ("Tour\x00", {}),
        ("Tour", {"NOTE": "meet\x00here"}),
        ("Tour", {"NOTE": "a\ud800"}),
        ("Tour", {"NOTE": "\x1b[31m"}),
    ],
)
def test_saved_tours_with_control_characters_are_refused(guide, stops, title, notes):
    client, token = guide
    notes = {stops[0] if slug == "NOTE" else slug: note for slug, note in notes.items()}
    body = {"parameters": {"walk": WALK, "stops": ",".join(stops), "lang": "en", "title": title}, "notes": notes}
    response = client.post("/guide/tours", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 422, response.data
    assert "contains a" in response.get_json()["message"]
    assert client.get("/guide/tours").status_code == 200


@pytest.mark.parametrize(
    "body, expected",
    [
        ("[" * 1000 + "]" * 1000, "nested more than"),
        ("[]", "must be a JSON object"),
        ('"x"', "must be a JSON object"),
        ("{not json", "not valid JSON"),
        ('{"parameters": []}', "parameters"),
    ],
)
def test_saved_tour_bodies_that_are_not_objects_get_422(guide, body, expected):
    client, token = guide
    response = client.post(
        "/guide/tours", data=body, headers={"X-CSRF-Token": token, "Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.data[:300]
    assert expected in response.get_json()["message"]
