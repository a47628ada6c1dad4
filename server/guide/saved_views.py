"""Saved tours (guide role): list, save, update, open, copy, share read-only and delete a guide's tours."""

from datetime import UTC
from urllib.parse import urlencode

from babel.dates import format_datetime
from flask import flash, get_flashed_messages, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from ..auth import signed_in_user
from ..db import get_session
from ..domain.errors import ValidationError
from ..domain.json_types import JSONObject
from ..domain.messages import _
from ..domain.models import SavedTour, User
from ..domain.tours.planning import Tour, walk_stops
from ..domain.tours.saved import (
    delete_saved_tour,
    duplicate_saved_tour,
    list_saved_tours,
    save_tour,
    saved_tour_parameters,
)
from ..domain.tours.sharing import readable_saved_tour, readers_of, share_saved_tour, stop_sharing, tours_shared_with
from ..domain.walks.time_zones import city_time_zone
from ..json_body import json_body
from ..routing import parse_id
from .blueprint import bp
from .tour_views import load_tour, public_document


def published_stops(walk_slug: str) -> set[str]:
    """Return the slugs of the walk's stops that are public now."""
    document = public_document(f"/api/walks/{walk_slug}/stops")
    return {stop.slug for stop in walk_stops(document)} if document else set()


@bp.get("/tours")
def saved_tours() -> ResponseReturnValue:
    """The signed-in guide's saved tours, and the tours other guides share with them read-only."""
    session, me = get_session(), signed_in_user()
    tours = list_saved_tours(session, me.id)
    shared = tours_shared_with(session, me.id)
    cities = {walk["slug"]: walk.get("city") for walk in (public_document("/api/walks") or {}).get("walks", [])}
    walks = {saved.walk_slug for saved in tours} | {saved.walk_slug for saved, _owner in shared}
    published = {slug: published_stops(slug) for slug in walks}

    def saved_at(saved: SavedTour) -> str:
        """When the tour was saved, in the time zone of its walk's city (never bare UTC)."""
        zone = city_time_zone(cities.get(saved.walk_slug))
        moment = saved.updated_at if saved.updated_at.tzinfo else saved.updated_at.replace(tzinfo=UTC)
        return format_datetime(moment, "medium", tzinfo=zone, locale=get_locale()) + f" ({zone.key})"

    return render_template(
        "guide/saved_tours.html",
        tours=tours,
        shared=shared,
        readers=readers_of(session, [saved.id for saved in tours]),
        user=me,
        saved_at=saved_at,
        gone=lambda saved: [s for s in saved.stops if s not in published[saved.walk_slug]],
        query=lambda saved: urlencode(saved_tour_parameters(saved, published[saved.walk_slug])),
        done=get_flashed_messages(),
    )


def _tour_from_body() -> tuple[Tour, object, object]:
    """Return the tour, its notes and the stops to keep, as the JSON body sent them (checked later)."""
    body = json_body("the tour")
    if not isinstance(body.get("parameters"), dict):
        raise ValidationError([_('Send JSON: {"parameters": {...the tour link\'s parameters...}, "notes": {...}}.')])
    parameters = {k: str(v) for k, v in body["parameters"].items() if isinstance(v, (str, int, float))}
    return load_tour(parameters), body.get("notes"), body.get("keep")


@bp.post("/tours", endpoint="save_tour")
def save_tour_view() -> ResponseReturnValue:
    tour, notes, _keep = _tour_from_body()
    session = get_session()
    saved = save_tour(session, signed_in_user().id, tour, notes)
    session.commit()
    return jsonify(_saved_payload(saved)), 201


@bp.put("/tours/<int:tour_id>")
def update_tour(tour_id: int) -> ResponseReturnValue:
    tour, notes, keep = _tour_from_body()
    session = get_session()
    saved = save_tour(session, signed_in_user().id, tour, notes, tour_id=tour_id, keep=keep)
    session.commit()
    return jsonify(_saved_payload(saved))


@bp.get("/tours/<int:tour_id>.json")
def saved_tour(tour_id: int) -> ResponseReturnValue:
    """The saved tour with its private notes (its owner, and the guides it is shared with, read-only)."""
    return jsonify(_saved_payload(readable_saved_tour(get_session(), tour_id, signed_in_user().id)))


@bp.get("/tours/<int:tour_id>")
def open_saved_tour(tour_id: int) -> ResponseReturnValue:
    """Open a saved tour in the planner; stops no longer published are listed there, not silently dropped."""
    saved = readable_saved_tour(get_session(), tour_id, signed_in_user().id)
    parameters = saved_tour_parameters(saved, published_stops(saved.walk_slug))
    return redirect(f"{url_for('guide.planner')}?{urlencode({**parameters, 'saved': saved.id})}")


@bp.post("/tours/<int:tour_id>/copy")
def copy_tour(tour_id: int) -> ResponseReturnValue:
    """Duplicate a tour as my own: one of mine (e.g. for another day) or one shared with me (to adapt it)."""
    session = get_session()
    copy = duplicate_saved_tour(session, tour_id, signed_in_user().id, title_suffix=_(" (copy)"))
    session.commit()
    flash(_("Copied: “%(title)s”.", title=copy.title or copy.walk_slug))
    return redirect(url_for("guide.saved_tours"), 303)


@bp.post("/tours/<int:tour_id>/share")
def share_tour(tour_id: int) -> ResponseReturnValue:
    """Share my tour read-only with another guide: they open, print, export and duplicate it; I keep changing it."""
    session = get_session()
    reader = share_saved_tour(session, tour_id, signed_in_user().id, request.form.get("email", ""))
    session.commit()
    flash(_("Shared read-only with %(email)s.", email=reader.email))
    return redirect(url_for("guide.saved_tours"), 303)


@bp.post("/tours/<int:tour_id>/unshare")
def unshare_tour(tour_id: int) -> ResponseReturnValue:
    """Stop sharing my tour with one guide: from now on they cannot open it."""
    reader_id = parse_id(request.form.get("reader", ""))
    if reader_id is None:
        raise ValidationError(["reader: " + _("choose the guide to stop sharing with.")])
    session = get_session()
    stop_sharing(session, tour_id, signed_in_user().id, reader_id)
    session.commit()
    flash(_("Stopped sharing."))
    return redirect(url_for("guide.saved_tours"), 303)


@bp.post("/tours/<int:tour_id>/delete")
def delete_tour(tour_id: int) -> ResponseReturnValue:
    session = get_session()
    delete_saved_tour(session, tour_id, signed_in_user().id)
    session.commit()
    if request.accept_mimetypes.best == "application/json":
        return "", 204
    return redirect(url_for("guide.saved_tours"))


def _saved_payload(saved: SavedTour) -> JSONObject:
    """The saved tour as its owner or a reader sees it; `read_only` tells the planner which."""
    published = published_stops(saved.walk_slug)
    mine = saved.owner_id == signed_in_user().id
    # Never missing for a tour that exists: deleting an account deletes its tours (ON DELETE CASCADE).
    owner = None if mine else get_session().get(User, saved.owner_id)
    gone = [{"slug": slug, "note": saved.notes.get(slug, "")} for slug in saved.stops if slug not in published]
    return {
        "id": saved.id,
        "title": saved.title,
        "walk": saved.walk_slug,
        "parameters": saved_tour_parameters(saved, published),
        "gone": gone,
        "notes": saved.notes,
        "url": url_for("guide.open_saved_tour", tour_id=saved.id),
        "updated_at": saved.updated_at.isoformat(),
        "read_only": not mine,
        "owner": owner.email if owner else None,
    }
