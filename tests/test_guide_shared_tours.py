"""A saved tour shared read-only with another guide: they open, print, export and duplicate it, never change it."""

import pytest

from server.domain.accounts.users import create_user
from server.domain.models import SavedTourShare

from .test_guide_saved import PASSWORD, WALK, accounts, save, signed_in, stops  # noqa: F401 (fixtures)


@pytest.fixture
def shared(app, accounts, stops):  # noqa: F811
    """guide@ saves "Delegation" with a note and shares it with other-guide@; returns both clients and the tour."""
    owner, owner_token = signed_in(app, "guide@guide.test")
    tour = save(owner, owner_token, stops, {stops[0]: "Key at the porter's lodge"}, title="Delegation").get_json()
    response = owner.post(
        f"/guide/tours/{tour['id']}/share", data={"csrf_token": owner_token, "email": "Other-Guide@guide.test "}
    )
    assert response.status_code == 303
    reader, reader_token = signed_in(app, "other-guide@guide.test")
    return {"owner": owner, "owner_token": owner_token, "reader": reader, "reader_token": reader_token, "tour": tour}


def test_the_reader_sees_the_tour_under_shared_with_me_and_opens_it_read_only(shared, stops):  # noqa: F811
    reader, tour = shared["reader"], shared["tour"]
    page = reader.get("/guide/tours").get_data(as_text=True)
    mine, theirs = page.split('id="shared-with-me"')
    assert "Delegation" not in mine and "Delegation" in theirs and "guide@guide.test" in theirs
    opened = reader.get(f"/guide/tours/{tour['id']}.json")
    assert opened.status_code == 200 and opened.headers["Cache-Control"] == "no-store"
    body = opened.get_json()
    assert body["read_only"] is True and body["owner"] == "guide@guide.test"
    assert body["notes"] == {stops[0]: "Key at the porter's lodge"}
    assert reader.get(f"/guide/tours/{tour['id']}").status_code == 302  # into the planner
    assert shared["owner"].get(f"/guide/tours/{tour['id']}.json").get_json()["read_only"] is False


def test_the_reader_prints_it_with_the_notes_and_exports_it(shared, stops):  # noqa: F811
    reader, tour = shared["reader"], shared["tour"]
    handout = f"/guide/handout?walk={WALK}&stops={','.join(stops)}&lang=en&saved={tour['id']}&notes=1"
    assert "Key at the porter" in reader.get(handout).get_data(as_text=True)
    page = reader.get("/guide/tours").get_data(as_text=True)
    assert "/guide/tour.gpx?" in page.split('id="shared-with-me"')[1]
    gpx = reader.get(f"/guide/tour.gpx?walk={WALK}&stops={','.join(stops)}&lang=en")
    assert gpx.status_code == 200 and b"<gpx" in gpx.data


def test_the_reader_cannot_change_delete_or_reshare_it(shared, stops):  # noqa: F811
    reader, token, tour = shared["reader"], shared["reader_token"], shared["tour"]
    changed = save(reader, token, stops[:1], {}, method="PUT", url=f"/guide/tours/{tour['id']}", title="Mine now")
    assert changed.status_code == 403 and "duplicate" in changed.get_json()["message"]
    assert reader.post(f"/guide/tours/{tour['id']}/delete", data={"csrf_token": token}).status_code == 403
    reshared = reader.post(f"/guide/tours/{tour['id']}/share", data={"csrf_token": token, "email": "admin@guide.test"})
    assert reshared.status_code == 403
    unshared = reader.post(f"/guide/tours/{tour['id']}/unshare", data={"csrf_token": token, "reader": "1"})
    assert unshared.status_code == 403
    kept = shared["owner"].get(f"/guide/tours/{tour['id']}.json").get_json()
    assert kept["title"] == "Delegation" and kept["parameters"]["stops"] == ",".join(stops)


def test_the_reader_duplicates_it_as_their_own_tour_which_they_may_change(shared, stops):  # noqa: F811
    reader, token, tour = shared["reader"], shared["reader_token"], shared["tour"]
    assert reader.post(f"/guide/tours/{tour['id']}/copy", data={"csrf_token": token}).status_code == 303
    page = reader.get("/guide/tours").get_data(as_text=True)
    mine = page.split('id="shared-with-me"')[0]
    assert "Delegation (copy)" in mine
    copy_id = int(mine.split('href="/guide/tours/')[1].split('"')[0])
    copy = reader.get(f"/guide/tours/{copy_id}.json").get_json()
    assert copy["read_only"] is False and copy["notes"] == {stops[0]: "Key at the porter's lodge"}
    changed = save(reader, token, stops[:1], {}, method="PUT", url=f"/guide/tours/{copy_id}", title="Our version")
    assert changed.status_code == 200
    assert shared["owner"].get(f"/guide/tours/{tour['id']}.json").get_json()["title"] == "Delegation"


def test_the_reader_sees_the_owners_later_changes(shared, stops):  # noqa: F811
    owner, token, tour = shared["owner"], shared["owner_token"], shared["tour"]
    save(owner, token, stops, {stops[1]: "New note"}, method="PUT", url=f"/guide/tours/{tour['id']}", title="Final")
    seen = shared["reader"].get(f"/guide/tours/{tour['id']}.json").get_json()
    assert seen["title"] == "Final" and seen["notes"] == {stops[1]: "New note"}


def test_the_owner_stops_sharing_and_the_reader_can_no_longer_read_it(app, shared, stops):  # noqa: F811
    owner, token, reader, tour = shared["owner"], shared["owner_token"], shared["reader"], shared["tour"]
    page = owner.get("/guide/tours").get_data(as_text=True)
    assert "other-guide@guide.test" in page and "Stop sharing" in page
    reader_id = int(page.split('name="reader" value="')[1].split('"')[0])
    assert (
        owner.post(f"/guide/tours/{tour['id']}/unshare", data={"csrf_token": token, "reader": reader_id}).status_code
        == 303
    )
    assert "other-guide@guide.test" not in owner.get("/guide/tours").get_data(as_text=True)
    assert reader.get(f"/guide/tours/{tour['id']}.json").status_code == 404
    assert reader.get(f"/guide/tours/{tour['id']}").status_code == 404
    assert (
        reader.post(f"/guide/tours/{tour['id']}/copy", data={"csrf_token": shared["reader_token"]}).status_code == 404
    )
    handout = f"/guide/handout?walk={WALK}&stops={','.join(stops)}&lang=en&saved={tour['id']}&notes=1"
    assert "Key at the porter" not in reader.get(handout).get_data(as_text=True)
    assert "Delegation" not in reader.get("/guide/tours").get_data(as_text=True).split('id="shared-with-me"')[1]


def test_no_one_else_reads_a_shared_tour(app, shared, stops):  # noqa: F811
    with app.extensions["db"].session() as session:
        create_user(session, "third-guide@guide.test", PASSWORD, "guide")
        session.commit()
    third, token = signed_in(app, "third-guide@guide.test")
    tour = shared["tour"]
    assert third.get(f"/guide/tours/{tour['id']}.json").status_code == 404
    assert third.get(f"/guide/tours/{tour['id']}").status_code == 404
    assert third.post(f"/guide/tours/{tour['id']}/copy", data={"csrf_token": token}).status_code == 404
    handout = f"/guide/handout?walk={WALK}&stops={','.join(stops)}&lang=en&saved={tour['id']}&notes=1"
    assert "Key at the porter" not in third.get(handout).get_data(as_text=True)
    assert "Delegation" not in third.get("/guide/tours").get_data(as_text=True)
    editor, _editor_token = signed_in(app, "editor@guide.test")
    assert editor.get(f"/guide/tours/{tour['id']}.json").status_code in (302, 403)


def test_sharing_is_refused_for_non_guides_myself_and_unknown_addresses_and_counts_once(app, shared):
    owner, token, tour = shared["owner"], shared["owner_token"], shared["tour"]
    for email in ("editor@guide.test", "guide@guide.test", "nobody@guide.test", ""):
        refused = owner.post(f"/guide/tours/{tour['id']}/share", data={"csrf_token": token, "email": email})
        assert refused.status_code == 422, email
    again = owner.post(
        f"/guide/tours/{tour['id']}/share", data={"csrf_token": token, "email": "other-guide@guide.test"}
    )
    assert again.status_code == 303
    with app.extensions["db"].session() as session:
        assert session.query(SavedTourShare).count() == 1
    assert (
        owner.post(f"/guide/tours/{tour['id']}/unshare", data={"csrf_token": token, "reader": "x"}).status_code == 422
    )
    no_token = owner.post(f"/guide/tours/{tour['id']}/share", data={"email": "admin@guide.test"})
    assert no_token.status_code in (400, 403)


def test_deleting_a_shared_tour_removes_its_shares(app, shared):
    owner, token, tour = shared["owner"], shared["owner_token"], shared["tour"]
    assert owner.post(f"/guide/tours/{tour['id']}/delete", data={"csrf_token": token}).status_code == 302
    with app.extensions["db"].session() as session:
        assert session.query(SavedTourShare).count() == 0
    assert shared["reader"].get(f"/guide/tours/{tour['id']}.json").status_code == 404
