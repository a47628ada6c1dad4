"""Deleting a stop: soft, confirmed, a revision, If-Match like every save, public only after publishing."""

from sqlalchemy import select

from server.domain.models import AuditEvent, Revision, Stop, Walk
from server.domain.walks.lookup import stop_state

from .editor_helpers import post_form, write
from .test_editor_import import collection, feature, send

WALK_PAGE = "/editor/walks/test-walk"
STOP_API = "/editor/api/walks/test-walk/stops"


def stop_row(session, slug):
    session.expire_all()
    return session.scalar(select(Stop).join(Stop.walk).where(Walk.slug == "test-walk", Stop.slug == slug))


def live_order(session):
    session.expire_all()
    return [s.slug for s in session.scalar(select(Walk).where(Walk.slug == "test-walk")).stops]


def etag(client, slug):
    return client.get(f"{STOP_API}/{slug}").headers["ETag"]


def delete_by_form(client, slug, if_match):
    return post_form(
        client, f"{WALK_PAGE}/stops/{slug}/delete", {"if_match": if_match, "confirm": slug}, follow_redirects=True
    )


def public_slugs(client):
    return [f["id"] for f in client.get("/api/walks/test-walk/stops").get_json()["features"]]


def actions(session):
    session.expire_all()
    return [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_a_delete_without_confirmation_only_asks(signed_in, test_walk, session):
    editor = signed_in("editor")
    page = editor.get(f"{WALK_PAGE}/stops/beta/delete?if_match={etag(editor, 'beta')}")
    assert page.status_code == 200 and "Yes, delete beta" in page.get_data(as_text=True)
    unconfirmed = post_form(editor, f"{WALK_PAGE}/stops/beta/delete", {"if_match": etag(editor, "beta")})
    assert unconfirmed.status_code == 200 and "Yes, delete beta" in unconfirmed.get_data(as_text=True)
    assert stop_row(session, "beta").deleted_at is None


def test_deleted_stop_is_listed_under_deleted_and_restore_brings_back_exactly_what_was_there(
    signed_in, test_walk, session
):
    editor = signed_in("editor")
    before = stop_state(stop_row(session, "beta"))
    page = delete_by_form(editor, "beta", etag(editor, "beta")).get_data(as_text=True)
    assert live_order(session) == ["alpha", "gamma"]
    assert 'id="deleted-beta"' in page and "Deleted: beta" in page
    beta = stop_row(session, "beta")
    assert beta.deleted_at is not None and beta.revision == 2
    revisions = session.scalars(
        select(Revision).where(Revision.entity == "stop", Revision.entity_id == beta.id).order_by(Revision.number)
    ).all()
    assert [r.message for r in revisions] == ["test fixture", "deleted"] and revisions[-1].state["deleted"] is True
    while_deleted = editor.get(f"{WALK_PAGE}/stops/beta/history").get_data(as_text=True)
    assert 'id="history-stop-deleted"' in while_deleted and "Restore revision 1" not in while_deleted

    restored = post_form(
        editor, f"{WALK_PAGE}/stops/beta/undelete", {"if_match": f'"stop-{beta.id}-r2"'}, follow_redirects=True
    )
    assert "Restored: beta" in restored.get_data(as_text=True)
    assert live_order(session) == ["alpha", "beta", "gamma"], "back between the same neighbours"
    assert stop_state(stop_row(session, "beta")) == before
    assert actions(session)[-2:] == ["stop.delete", "stop.undelete"]
    history = editor.get(f"{WALK_PAGE}/stops/beta/history").get_data(as_text=True)
    assert "deleted" in history and "restored after deletion" in history
    assert 'id="history-stop-deleted"' not in history and "Restore revision 1" in history


def test_deleting_a_stop_a_colleague_just_changed_is_refused_with_412(signed_in, test_walk, session):
    els, jan = signed_in("editor"), signed_in("admin")
    seen = etag(els, "beta")
    assert write(jan, "PUT", f"{STOP_API}/beta", {"address": "Korenmarkt 2"}, seen).status_code == 200
    assert write(els, "DELETE", f"{STOP_API}/beta", etag=seen).status_code == 412
    page = delete_by_form(els, "beta", seen)
    html = page.get_data(as_text=True)
    assert page.status_code == 412 and 'id="delete-stale"' in html and "admin@kotoji.test saved this stop" in html
    assert stop_row(session, "beta").deleted_at is None and stop_row(session, "beta").address == "Korenmarkt 2"
    assert write(els, "DELETE", f"{STOP_API}/beta").status_code == 428
    fresh = etag(els, "beta")
    assert f'name="if_match" value="{fresh.replace(chr(34), "&#34;")}"' in html, (
        "confirming again names what is there now"
    )
    assert delete_by_form(els, "beta", fresh).status_code == 200 and stop_row(session, "beta").deleted_at is not None


def test_a_deleted_stop_cannot_be_saved_until_restored(signed_in, test_walk, session):
    editor = signed_in("editor")
    seen = etag(editor, "gamma")
    answer = write(editor, "DELETE", f"{STOP_API}/gamma", etag=seen)
    assert answer.status_code == 200
    save = write(editor, "PUT", f"{STOP_API}/gamma", {"address": "x"}, answer.headers["ETag"])
    assert save.status_code == 409 and "Restore it" in save.get_json()["message"]
    assert stop_row(session, "gamma").address == ""


def test_a_published_stop_leaves_the_public_documents_only_at_the_next_publication(signed_in, test_walk, session):
    editor, visitor = signed_in("editor"), signed_in("guide")
    assert "beta" in public_slugs(visitor)
    page = delete_by_form(editor, "beta", etag(editor, "beta")).get_data(as_text=True)
    assert "beta" in public_slugs(visitor), "never silently: only a publication changes what tourists see"
    assert 'id="publication-needed"' in page and "still public" in page
    published = post_form(editor, f"{WALK_PAGE}/publish", follow_redirects=True).get_data(as_text=True)
    assert public_slugs(visitor) == ["alpha"]
    assert 'id="publication-needed"' not in published and 'id="deleted-beta"' in published


def test_the_slug_stays_taken_until_an_admin_purges_the_stop(signed_in, test_walk, session):
    editor, admin = signed_in("editor"), signed_in("admin")
    delete_by_form(editor, "gamma", etag(editor, "gamma"))
    retry = post_form(editor, f"{WALK_PAGE}/stops/new", {"slug": "gamma", "name": "G", "lat": "51.05", "lon": "3.72"})
    assert retry.status_code == 422 and "deleted stop of this walk still holds" in retry.get_data(as_text=True)
    assert editor.get(f"{WALK_PAGE}/stops/gamma/purge").status_code == 403
    assert post_form(editor, f"{WALK_PAGE}/stops/gamma/purge", {"confirm": "gamma"}).status_code == 403
    mistyped = post_form(admin, f"{WALK_PAGE}/stops/gamma/purge", {"confirm": "gama"})
    assert mistyped.status_code == 422 and stop_row(session, "gamma") is not None
    gone = post_form(admin, f"{WALK_PAGE}/stops/gamma/purge", {"confirm": "gamma"}, follow_redirects=True)
    assert "Purged: gamma" in gone.get_data(as_text=True) and stop_row(session, "gamma") is None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "stop.purge")).one()
    assert event.details["last_state"]["slug"] == "gamma"
    again = post_form(editor, f"{WALK_PAGE}/stops/new", {"slug": "gamma", "name": "G", "lat": "51.05", "lon": "3.72"})
    assert again.status_code == 303
    assert live_order(session) == ["alpha", "beta", "gamma"]


def test_a_stop_that_is_not_deleted_cannot_be_purged(signed_in, test_walk, session):
    admin = signed_in("admin")
    page = post_form(admin, f"{WALK_PAGE}/stops/alpha/purge", {"confirm": "alpha"})
    assert page.status_code == 422 and stop_row(session, "alpha") is not None


def test_an_import_naming_a_deleted_stop_is_refused_with_a_message(signed_in, test_walk, session):
    editor = signed_in("editor")
    delete_by_form(editor, "gamma", etag(editor, "gamma"))
    answer = send(editor, collection(feature("gamma", 3.72, 51.05)))
    assert answer.status_code == 422 and "deleted stop of this walk still holds &#39;gamma&#39;" in answer.get_data(
        as_text=True
    )


def test_the_walk_list_counts_live_and_published_stops_without_loading_any(signed_in, test_walk, session, app):
    from sqlalchemy import event

    editor = signed_in("editor")
    delete_by_form(editor, "beta", etag(editor, "beta"))  # alpha published, gamma a draft are left
    loaded = []

    def count(target, context):
        loaded.append(target)

    event.listen(Stop, "load", count)
    try:
        page = editor.get("/editor/").get_data(as_text=True)
    finally:
        event.remove(Stop, "load", count)
    row = page[page.index('href="/editor/walks/test-walk"') :].split("</tr>")[0]
    assert "<td>2 (1)</td>" in row
    # a list of walks needs two numbers per walk: loading their stops would read every stop with its
    # texts (a 10,000-stop walk cost a worker 140 MB)
    assert loaded == []
