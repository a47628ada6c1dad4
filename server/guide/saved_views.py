"""Saved tours (guide role): list, save, update, open and delete a guide's tours with private notes."""

from datetime import timezone
from urllib.parse import urlencode

from babel.dates import format_datetime
from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from werkzeug.exceptions import BadRequest

from ..auth import current_user
from ..db import get_session
from ..domain.messages import _
from ..domain.tours.saved import (
    delete_saved_tour, get_saved_tour, list_saved_tours, save_tour, saved_tour_parameters,
)
from ..domain.tours.planning import walk_stops
from ..domain.walks.time_zones import city_time_zone
from .blueprint import bp
from .tour_views import load_tour, public_document


@bp.get("/tours")
def saved_tours():
    """The signed-in guide's saved tours."""
    tours = list_saved_tours(get_session(), current_user().id)
    cities = {walk["slug"]: walk.get("city") for walk in (public_document("/api/walks") or {}).get("walks", [])}

    def saved_at(saved) -> str:
        """When the tour was saved, in the time zone of its walk's city (never bare UTC)."""
        zone = city_time_zone(cities.get(saved.walk_slug))
        moment = saved.updated_at if saved.updated_at.tzinfo else saved.updated_at.replace(tzinfo=timezone.utc)
        return format_datetime(moment, "medium", tzinfo=zone, locale=get_locale()) + f" ({zone.key})"

    return render_template("guide/saved_tours.html", tours=tours, user=current_user(), saved_at=saved_at,
                           query=lambda saved: urlencode(saved_tour_parameters(saved)))


def _tour_from_body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("parameters"), dict):
        raise BadRequest(_('Send JSON: {"parameters": {...the tour link\'s parameters...}, "notes": {...}}.'))
    parameters = {k: str(v) for k, v in body["parameters"].items() if isinstance(v, (str, int, float))}
    return load_tour(parameters), body.get("notes")


@bp.post("/tours", endpoint="save_tour")
def save_tour_view():
    tour, notes = _tour_from_body()
    session = get_session()
    saved = save_tour(session, current_user().id, tour, notes)
    session.commit()
    return jsonify(_saved_payload(saved)), 201


@bp.put("/tours/<int:tour_id>")
def update_tour(tour_id: int):
    tour, notes = _tour_from_body()
    session = get_session()
    saved = save_tour(session, current_user().id, tour, notes, tour_id=tour_id)
    session.commit()
    return jsonify(_saved_payload(saved))


@bp.get("/tours/<int:tour_id>.json")
def saved_tour(tour_id: int):
    """The saved tour with its private notes (its owner only)."""
    return jsonify(_saved_payload(get_saved_tour(get_session(), tour_id, current_user().id)))


@bp.get("/tours/<int:tour_id>")
def open_saved_tour(tour_id: int):
    """Open a saved tour in the planner, leaving out stops that are no longer published."""
    saved = get_saved_tour(get_session(), tour_id, current_user().id)
    parameters = saved_tour_parameters(saved)
    stops_document = public_document(f"/api/walks/{saved.walk_slug}/stops")
    published = {stop.slug for stop in walk_stops(stops_document)} if stops_document else set()
    parameters["stops"] = ",".join(s for s in saved.stops if s in published)
    return redirect(f"{url_for('guide.planner')}?{urlencode({**parameters, 'saved': saved.id})}")


@bp.post("/tours/<int:tour_id>/delete")
def delete_tour(tour_id: int):
    session = get_session()
    delete_saved_tour(session, tour_id, current_user().id)
    session.commit()
    if request.accept_mimetypes.best == "application/json":
        return "", 204
    return redirect(url_for("guide.saved_tours"))


def _saved_payload(saved) -> dict:
    return {"id": saved.id, "title": saved.title, "walk": saved.walk_slug, "parameters": saved_tour_parameters(saved),
            "notes": saved.notes, "url": url_for("guide.open_saved_tour", tour_id=saved.id),
            "updated_at": saved.updated_at.isoformat()}

