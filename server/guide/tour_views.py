"""Tour planner, plan JSON, handout, standalone map, GPX and QR: all read the tour from the query string."""

import re
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from flask import Response, current_app, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale

from ..auth import current_user, public
from ..config import PROJECT_ROOT
from ..db import get_session
from ..domain.errors import DomainError, NotFound
from ..domain.json_types import JSONObject
from ..domain.languages import pick_text
from ..domain.messages import _
from ..domain.tours.exports import render_qr_svg, render_tour_gpx
from ..domain.tours.planning import (
    SLUG,
    EndPoint,
    Tour,
    TourPlan,
    parse_tour,
    plan_tour,
    reorder_tour,
    tour_link,
    tour_query,
    walk_stops,
)
from ..domain.tours.sharing import readable_saved_tour
from ..public_url import absolute_url
from ..published import published_json
from ..routing import parse_id
from .blueprint import bp

if TYPE_CHECKING:  # the map module is imported on first use (see _tour_map)
    from ..domain.tours.map import MapAssets

from .handout import clock_time, export_labels, handout_header, handout_stops, map_labels, stop_names

# Leaflet from our own server (the web blueprint's /vendor route serves the npm package).
LEAFLET_JS = "/vendor/leaflet/dist/leaflet.js"
LEAFLET_CSS = "/vendor/leaflet/dist/leaflet.css"
# The PWA's basemap hook: draws the walk's own vector tiles (or says there are none).
BASEMAP_MODULE = "/js/basemap-layer.js"


def public_document(url: str) -> JSONObject | None:
    """Return a published document's JSON, or None: tours only ever see what is published."""
    return published_json()(url)


def load_tour(params: Mapping[str, str], require_stops: bool = True) -> Tour:
    walk = params.get("walk") or ""
    walk_document = public_document(f"/api/walks/{walk}") if SLUG.match(walk) else None
    stops_document = public_document(f"/api/walks/{walk}/stops") if walk_document else None
    if walk_document is None or stops_document is None:
        raise NotFound(
            _("There is no published walk called '%(walk)s'.", walk=walk[:80]) if walk else _("Choose a walk first.")
        )
    return parse_tour(walk_document, stops_document, params, require_stops=require_stops)


def absolute_link(tour: Tour) -> str:
    return absolute_url(tour_link(tour))


def _tour_map() -> ModuleType:
    """Import the map module on first use: folium and numpy cost ~23 MB in every worker otherwise."""
    from ..domain.tours import map as tour_map

    return tour_map


def map_assets() -> "MapAssets":
    assets: MapAssets = _tour_map().MapAssets(
        LEAFLET_JS,
        LEAFLET_CSS,
        url_for("guide.static", filename="tour-map.css"),
        basemap_script=url_for("guide.static", filename="tour-basemap.js"),
        basemap_module=BASEMAP_MODULE,
    )
    return assets


@bp.get("/")
@public
def planner() -> ResponseReturnValue:
    """The tour planner page; its state lives in the query string, so any planner URL can be shared."""
    walks = (public_document("/api/walks") or {}).get("walks", [])
    return render_template(
        "guide/planner.html",
        walks=walks,
        user=current_user(),
        leaflet_css=LEAFLET_CSS,
        leaflet_js=LEAFLET_JS,
        basemap_module=BASEMAP_MODULE,
    )


@bp.get("/plan.json")
@public
def plan_json() -> ResponseReturnValue:
    """Return the tour's stops, legs, distance and times, plus its share link and export URLs."""
    return jsonify(plan_payload(plan_tour(load_tour(request.args, require_stops=False))))


@bp.get("/best-order.json")
@public
def best_order_json() -> ResponseReturnValue:
    """Return the plan with the stops in the best order from the start point and/or the `from` stop."""
    tour = load_tour(request.args, require_stops=False)
    return jsonify(plan_payload(plan_tour(reorder_tour(tour, request.args.get("from") or None))))


def plan_payload(plan: TourPlan) -> JSONObject:
    tour = plan.tour
    every_stop = [
        {"slug": s.slug, "order": s.walk_order, "coordinates": [s.lon, s.lat], **stop_names(s, tour.language)}
        # {}: the walk was withdrawn since the tour was read, so it has no stops to show
        for s in walk_stops(public_document(f"/api/walks/{tour.walk}/stops") or {})
    ]
    query = tour_query(tour)
    return {
        "walk": {
            "slug": tour.walk,
            "title": pick_text(tour.walk_title, tour.language),
            "languages": list(tour.languages),
            "path": [list(c[:2]) for c in tour.path],
        },
        "language": tour.language,
        "walk_stops": every_stop,
        "stops": [
            {
                "slug": s.slug,
                "number": n,
                **stop_names(s, tour.language),
                "summary": pick_text(s.summary, tour.language),
                "coordinates": [s.lon, s.lat],
                "arrival_minutes": plan.arrivals[n - 1],
                "arrival_clock": clock_time(tour, plan.arrivals[n - 1]),
                "stay_minutes": tour.stay_at(s),
            }
            for n, s in enumerate(tour.stops, start=1)
        ],
        "start": _point(tour.start),
        "end": _point(tour.end),
        "waypoints": [
            {"label": w.label, "coordinates": [w.lon, w.lat], "after": w.after, "minutes": w.minutes}
            for w in tour.waypoints
        ],
        "legs": [
            {
                "from": leg.origin,
                "to": leg.destination,
                "distance_m": round(leg.distance_m),
                "minutes": round(leg.minutes, 1),
                "follows_path": leg.follows_path,
                "coordinates": [[round(lon, 6), round(lat, 6)] for lon, lat in leg.coordinates],
            }
            for leg in plan.legs
        ],
        "distance_m": round(plan.distance_m),
        "walking_minutes": plan.walking_minutes,
        "visit_minutes": plan.visit_minutes,
        "total_minutes": plan.total_minutes,
        "pace_kmh": tour.pace_kmh,
        "stay_minutes": tour.stay_minutes,
        "query": query,
        "path_accuracy": tour.path_accuracy,
        "end_clock": clock_time(tour, plan.total_minutes) if tour.stops else "",
        "loop": tour.loop,
        "link": absolute_link(tour) if tour.stops else "",
        "urls": {
            name: f"{url_for(endpoint)}?{query}"
            for name, endpoint in (
                ("planner", "guide.planner"),
                ("handout", "guide.handout"),
                ("map", "guide.tour_map"),
                ("gpx", "guide.tour_gpx"),
                ("qr", "guide.tour_qr"),
            )
        },
    }


def _point(point: EndPoint | None) -> JSONObject | None:
    return {"coordinates": [point.lon, point.lat], "label": point.label} if point else None


@bp.get("/handout")
@public
def handout() -> ResponseReturnValue:
    """The printable A4 handout: title, map, QR code and every stop."""
    plan = plan_tour(load_tour(request.args))
    with force_locale(plan.tour.language):  # the handout is for the group: in the tour's language
        return _render_handout(plan)


def _render_handout(plan: TourPlan) -> str:
    map_html, _script = _tour_map().map_parts(plan, map_assets(), map_labels(plan.tour))
    query = tour_query(plan.tour)
    return render_template(
        "guide/handout.html",
        plan=plan,
        tour=plan.tour,
        header=handout_header(plan),
        stops=handout_stops(plan),
        link=absolute_link(plan.tour),
        map_html=map_html,
        map_script=f"{url_for('guide.handout_map_script')}?{query}",
        qr=f"{url_for('guide.tour_qr')}?{query}",
        leaflet_js=LEAFLET_JS,
        leaflet_css=LEAFLET_CSS,
        planner=f"{url_for('guide.planner')}?{query}",
        notes=notes_for_handout(request.args.get("saved")) if request.args.get("notes") == "1" else {},
    )


@bp.get("/handout-map.js")
@public
def handout_map_script() -> ResponseReturnValue:
    """The handout map's script, served as a file so the handout keeps the site's strict CSP."""
    plan = plan_tour(load_tour(request.args))
    with force_locale(plan.tour.language):
        _html, script = _tour_map().map_parts(plan, map_assets(), map_labels(plan.tour))
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/map")
@public
def tour_map() -> ResponseReturnValue:
    """The tour's map as a page of its own (?download=1 saves it as a file)."""
    plan = plan_tour(load_tour(request.args))
    with force_locale(plan.tour.language):
        html, csp = _tour_map().standalone_map(plan, map_assets(), map_labels(plan.tour), plan.tour.display_title())
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = csp
    if request.args.get("download") == "1":
        # A file opened from the Downloads folder, maybe offline: everything it loads goes inside it.
        response.set_data(_tour_map().self_contained(html, _map_sources()))
        response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(plan.tour)}-map.html"'
    return response


def _map_sources() -> dict[str, str]:
    """Return the text of every file the standalone map loads from our server."""
    vendor_dir = Path(current_app.config.get("VENDOR_DIR") or PROJECT_ROOT / "node_modules")
    assert bp.static_folder is not None  # the guide blueprint is built with its static folder
    static = Path(bp.static_folder)
    return {
        LEAFLET_JS: (vendor_dir / "leaflet" / "dist" / "leaflet.js").read_text(encoding="utf-8"),
        LEAFLET_CSS: (vendor_dir / "leaflet" / "dist" / "leaflet.css").read_text(encoding="utf-8"),
        url_for("guide.static", filename="tour-map.css"): (static / "tour-map.css").read_text(encoding="utf-8"),
    }


@bp.get("/tour.gpx")
@public
def tour_gpx() -> ResponseReturnValue:
    """The tour as GPX 1.1, for GPS apps."""
    plan = plan_tour(load_tour(request.args))
    with force_locale(plan.tour.language):
        body = render_tour_gpx(plan, absolute_link(plan.tour), export_labels(plan))
    response = Response(body, mimetype="application/gpx+xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(plan.tour)}.gpx"'
    return response


@bp.get("/qr.svg")
@public
def tour_qr() -> ResponseReturnValue:
    """A QR code (SVG) of the tour's link, for the group's phones."""
    tour = load_tour(request.args)
    with force_locale(tour.language):
        label = _("Open this tour in Kotoji")
    response = Response(render_qr_svg(absolute_link(tour), label), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _file_name(tour: Tour) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", f"{tour.walk}-tour".lower()).strip("-")


def notes_for_handout(tour_id_text: str | None) -> dict[str, str]:
    """Return a saved tour's notes for the printed copy of its owner or a guide it is shared with, else nothing."""
    user, tour_id = current_user(), parse_id(tour_id_text)
    if user is None or user.role not in ("guide", "admin") or tour_id is None:
        return {}
    try:
        return dict(readable_saved_tour(get_session(), tour_id, user.id).notes)
    except DomainError:
        return {}
