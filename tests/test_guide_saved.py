"""Saved tours: guides with an account keep tours with private notes; nobody else sees them."""

from urllib.parse import parse_qs, urlsplit

import pytest

from server.domain.accounts.users import create_user

PASSWORD = "correct horse battery staple"
WALK = "gent-kanazawa"


@pytest.fixture
def accounts(app):
    with app.extensions["db"].session() as session:
        for role in ("guide", "editor", "admin"):
            create_user(session, f"{role}@guide.test", PASSWORD, role)
        create_user(session, "other-guide@guide.test", PASSWORD, "guide")
        session.commit()


def signed_in(app, email):
    client = app.test_client()
    client.get("/editor/login")
    with client.session_transaction() as cookie:
        token = cookie["csrf"]
    response = client.post("/editor/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.data
    with client.session_transaction() as cookie:
        return client, cookie["csrf"]  # signing in starts a new session with a new token


@pytest.fixture
def stops(client):
    return [f["id"] for f in client.get(f"/api/walks/{WALK}/stops").get_json()["features"]][:3]


def save(client, token, stops, notes, method="POST", url="/guide/tours", **params):
    body = {"parameters": {"walk": WALK, "stops": ",".join(stops), "lang": "en", **params}, "notes": notes}
    return client.open(url, method=method, json=body, headers={"X-CSRF-Token": token})


def test_planning_needs_no_account_but_saving_does(client, stops):
    assert client.get("/guide/").status_code == 200
    assert client.get("/guide/tours").status_code == 302
    assert "/editor/login" in client.get("/guide/tours").headers["Location"]
    refused = client.post("/guide/tours", json={"parameters": {}})
    assert refused.status_code in (400, 401)  # no CSRF token, no session: refused either way


def test_a_guide_saves_a_tour_with_private_notes_and_opens_it_again(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    response = save(
        client,
        token,
        stops,
        {stops[0]: "Meet at the fountain", stops[1]: "  "},
        title="Class 5B",
        start="51.0359,3.7108",
        start_label="Station",
        pace="4",
    )
    assert response.status_code == 201, response.data
    saved = response.get_json()
    assert saved["notes"] == {stops[0]: "Meet at the fountain"}
    assert saved["parameters"]["title"] == "Class 5B" and saved["parameters"]["pace"] == "4"

    listing = client.get("/guide/tours").data.decode()
    assert "Class 5B" in listing
    opened = client.get(saved["url"])
    assert opened.status_code == 302
    query = parse_qs(urlsplit(opened.headers["Location"]).query)
    assert query["stops"] == [",".join(stops)] and query["saved"] == [str(saved["id"])]
    assert query["start_label"] == ["Station"]
    assert client.get(f"/guide/tours/{saved['id']}.json").get_json()["notes"] == saved["notes"]


def test_notes_print_only_on_the_owners_copy(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    saved = save(client, token, stops, {stops[0]: "Ask about the dragon"}).get_json()
    handout = f"/guide/handout?walk={WALK}&stops={','.join(stops)}&lang=en&saved={saved['id']}"
    assert "Ask about the dragon" in client.get(handout + "&notes=1").data.decode()
    assert "Ask about the dragon" not in client.get(handout).data.decode()
    other, _ = signed_in(app, "other-guide@guide.test")
    assert "Ask about the dragon" not in other.get(handout + "&notes=1").data.decode()
    assert "Ask about the dragon" not in app.test_client().get(handout + "&notes=1").data.decode()


def test_another_guide_cannot_read_change_or_delete_it(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    saved = save(client, token, stops, {stops[0]: "Only for me"}, title="Secret tour").get_json()
    other, other_token = signed_in(app, "other-guide@guide.test")
    assert other.get(f"/guide/tours/{saved['id']}.json").status_code == 404
    assert save(other, other_token, stops, {}, method="PUT", url=f"/guide/tours/{saved['id']}").status_code == 404
    assert other.post(f"/guide/tours/{saved['id']}/delete", data={"csrf_token": other_token}).status_code == 404
    assert "Secret tour" not in other.get("/guide/tours").data.decode()
    assert client.get(f"/guide/tours/{saved['id']}.json").status_code == 200


def test_editors_have_no_saved_tours_but_admins_do(app, accounts):
    editor, _ = signed_in(app, "editor@guide.test")
    assert editor.get("/guide/tours").status_code == 403
    admin, _ = signed_in(app, "admin@guide.test")
    assert admin.get("/guide/tours").status_code == 200


def test_update_and_delete(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    saved = save(client, token, stops, {stops[0]: "first"}).get_json()
    updated = save(
        client, token, stops[:2][::-1], {stops[1]: "second"}, method="PUT", url=f"/guide/tours/{saved['id']}"
    )
    assert updated.status_code == 200
    assert updated.get_json()["parameters"]["stops"] == f"{stops[1]},{stops[0]}"
    assert updated.get_json()["notes"] == {stops[1]: "second"}
    deleted = client.post(f"/guide/tours/{saved['id']}/delete", data={"csrf_token": token})
    assert deleted.status_code == 302
    assert client.get(f"/guide/tours/{saved['id']}.json").status_code == 404


def test_bad_saves_are_refused(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    assert save(client, token, stops, {"not-in-tour": "x"}).status_code == 422
    assert save(client, token, stops, {stops[0]: "x" * 2001}).status_code == 422
    assert save(client, token, ["nowhere"], {}).status_code == 422
    no_token = client.post("/guide/tours", json={"parameters": {"walk": WALK, "stops": stops[0]}})
    assert no_token.status_code == 400


def test_private_tours_and_notes_are_never_stored_by_a_cache(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    saved = save(client, token, stops, {stops[0]: "Ask about the dragon"}).get_json()
    plan = f"walk={WALK}&stops={','.join(stops)}&lang=en"
    private = [
        "/guide/tours",
        f"/guide/tours/{saved['id']}.json",
        f"/guide/tours/{saved['id']}",
        f"/guide/handout?{plan}&saved={saved['id']}&notes=1",
        "/guide/",
    ]
    for url in private:
        response = client.get(url)
        assert response.status_code in (200, 302), url  # opening a saved tour redirects to the planner
        assert response.headers["Cache-Control"] == "no-store", url
    updated = save(client, token, stops, {}, method="PUT", url=f"/guide/tours/{saved['id']}")
    assert updated.headers["Cache-Control"] == "no-store"
    # What anyone may see, asked anonymously, keeps its usual caching.
    anonymous = app.test_client()
    assert "no-store" not in anonymous.get(f"/guide/handout?{plan}").headers.get("Cache-Control", "")
    assert "no-store" not in anonymous.get(f"/guide/plan.json?{plan}").headers.get("Cache-Control", "")


@pytest.mark.parametrize("tour_id", ["99999999999", "2147483648", "0007", "１"])
def test_out_of_range_or_odd_ids_are_not_found_on_every_backend(app, accounts, stops, tour_id):
    client, token = signed_in(app, "guide@guide.test")
    assert client.get(f"/guide/tours/{tour_id}.json").status_code == 404
    assert client.get(f"/guide/tours/{tour_id}").status_code == 404
    assert save(client, token, stops, {}, method="PUT", url=f"/guide/tours/{tour_id}").status_code == 404
    assert client.post(f"/guide/tours/{tour_id}/delete", data={"csrf_token": token}).status_code == 404
    handout = client.get(f"/guide/handout?walk={WALK}&stops={','.join(stops)}&lang=en&saved={tour_id}&notes=1")
    assert handout.status_code == 200
    admin, admin_token = signed_in(app, "admin@guide.test")
    assert admin.post(f"/editor/users/{tour_id}", data={"csrf_token": admin_token, "role": "guide"}).status_code == 404


def unpublish(app, slug):
    from server.domain.models import Stop, Walk
    from server.domain.publishing.publish import publish_walk

    with app.extensions["db"].session() as session:
        stop = session.query(Stop).join(Stop.walk).filter(Walk.slug == WALK, Stop.slug == slug).one()
        stop.status = "draft"
        session.commit()
        publish_walk(session, WALK, None)
        session.commit()


def test_a_stop_unpublished_since_saving_is_named_and_keeps_its_note(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    saved = save(client, token, stops, {stops[1]: "Ask the porter for the key"}).get_json()
    unpublish(app, stops[1])
    page = client.get("/guide/tours").get_data(as_text=True)
    assert "No longer public since you saved it" in page and stops[1] in page
    again = client.get(f"/guide/tours/{saved['id']}.json").get_json()
    assert again["gone"] == [{"slug": stops[1], "note": "Ask the porter for the key"}]
    assert stops[1] not in again["parameters"]["stops"]
    opened = client.get(f"/guide/tours/{saved['id']}")
    assert stops[1] not in parse_qs(urlsplit(opened.headers["Location"]).query)["stops"][0]
    # Saving again with the stop kept keeps its note; saving without it removes both.
    kept_stops = [s for s in stops if s != stops[1]]
    url = f"/guide/tours/{saved['id']}"
    kept = client.put(
        url,
        json={
            "parameters": {"walk": WALK, "stops": ",".join(kept_stops)},
            "notes": {stops[1]: "Ask the porter for the key"},
            "keep": [stops[1]],
        },
        headers={"X-CSRF-Token": token},
    ).get_json()
    assert kept["gone"] == [{"slug": stops[1], "note": "Ask the porter for the key"}]
    dropped = client.put(
        url,
        json={"parameters": {"walk": WALK, "stops": ",".join(kept_stops)}, "notes": {}},
        headers={"X-CSRF-Token": token},
    ).get_json()
    assert dropped["gone"] == [] and dropped["notes"] == {}


def test_a_guide_duplicates_a_tour(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    saved = save(client, token, stops, {stops[0]: "Meet at the fountain"}, title="Delegation").get_json()
    client.post(f"/guide/tours/{saved['id']}/copy", data={"csrf_token": token})
    page = client.get("/guide/tours").get_data(as_text=True)
    assert "Delegation (copy)" in page and "Copied" in page
