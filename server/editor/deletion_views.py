"""Deleting, restoring and purging a stop: confirmation pages and plain forms, and the JSON DELETE."""

from flask import jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..auth import for_roles, signed_in_user
from ..db import get_session
from ..domain.editing.deletion import delete_stop, purge_stop, restore_deleted_stop
from ..domain.editing.saves import StaleEdit, commit_save, etag_of
from ..domain.models import Stop
from ..domain.walks.lookup import get_stop
from .blueprint import bp


def _stop_name(stop: Stop) -> str:
    return stop.name.get("en") or stop.name.get(stop.walk.default_language) or stop.slug


def _confirmation(stop: Stop, if_match: str | None, stale: StaleEdit | None = None) -> str:
    return render_template(
        "editor/delete_stop.html",
        walk=stop.walk,
        stop=stop,
        name=_stop_name(stop),
        if_match=if_match or etag_of(stop),
        stale=stale,
    )


@bp.route("/walks/<walk>/stops/<stop>/delete", methods=["GET", "POST"])
def delete_stop_form(walk: str, stop: str) -> ResponseReturnValue:
    """Delete only after a confirmation page; the If-Match of the page it came from travels with it."""
    session = get_session()
    item = get_stop(session, walk, stop)
    if_match = request.values.get("if_match") or etag_of(item)
    if request.method == "GET" or request.form.get("confirm") != item.slug:
        return _confirmation(item, if_match)
    try:
        delete_stop(session, item, if_match, signed_in_user().id)
        commit_save(session, item)
    except StaleEdit as exc:  # a colleague saved it meanwhile: ask again about the version there is now
        session.rollback()
        return _confirmation(get_stop(session, walk, stop), None, exc), 412
    return redirect(url_for("editor.walk_page", walk=walk, deleted=item.slug, _anchor="deleted-heading"), 303)


@bp.post("/walks/<walk>/stops/<stop>/undelete")
def undelete_stop_form(walk: str, stop: str) -> ResponseReturnValue:
    session = get_session()
    item = get_stop(session, walk, stop)
    restore_deleted_stop(session, item, request.form.get("if_match"), signed_in_user().id)
    commit_save(session, item)
    return redirect(url_for("editor.walk_page", walk=walk, undeleted=item.slug, _anchor=f"stop-{item.slug}"), 303)


@bp.route("/walks/<walk>/stops/<stop>/purge", methods=["GET", "POST"])
@for_roles("admin")
def purge_stop_form(walk: str, stop: str) -> ResponseReturnValue:
    """Remove a deleted stop for good, after the admin types its slug."""
    session = get_session()
    item = get_stop(session, walk, stop)
    typed = request.form.get("confirm", "")
    if request.method == "GET" or typed != item.slug:
        mistyped = request.method == "POST"
        return render_template(
            "editor/purge_stop.html", walk=item.walk, stop=item, name=_stop_name(item), typed=typed, mistyped=mistyped
        ), (422 if mistyped else 200)
    purge_stop(session, item, signed_in_user().id)
    session.commit()
    return redirect(url_for("editor.walk_page", walk=walk, purged=stop, _anchor="deleted-heading"), 303)


@bp.delete("/api/walks/<walk>/stops/<stop>")
def stop_delete_json(walk: str, stop: str) -> ResponseReturnValue:
    session = get_session()
    item = get_stop(session, walk, stop)
    delete_stop(session, item, request.headers.get("If-Match"), signed_in_user().id)
    commit_save(session, item)
    response = jsonify({"deleted": item.slug, "revision": item.revision, "etag": etag_of(item)})
    response.headers["ETag"] = etag_of(item)
    return response


@bp.post("/api/walks/<walk>/stops/<stop>/restore")
def stop_undelete_json(walk: str, stop: str) -> ResponseReturnValue:
    session = get_session()
    item = get_stop(session, walk, stop)
    restore_deleted_stop(session, item, request.headers.get("If-Match"), signed_in_user().id)
    commit_save(session, item)
    response = jsonify({"restored": item.slug, "revision": item.revision, "etag": etag_of(item)})
    response.headers["ETag"] = etag_of(item)
    return response
