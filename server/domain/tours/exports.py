"""What a guide takes away from a tour: a GPX 1.1 file for GPS apps and a QR code of the tour's link."""

import io
from xml.sax.saxutils import escape

import gpxpy.gpx
import segno

from ..languages import pick_text
from .planning import TourPlan


def render_tour_gpx(plan: TourPlan, link: str, labels: dict[str, str]) -> str:
    """Return the tour as GPX 1.1: waypoints in tour order, a route through them, and the walk's
    path as a track wherever a leg follows it."""
    tour = plan.tour
    language = tour.language
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Kotoji"
    gpx.name = tour.display_title()
    gpx.description = labels["summary"]
    gpx.link, gpx.link_text = escape(link), labels["link"]  # gpxpy writes the href as it is: & must be &amp;
    route = gpxpy.gpx.GPXRoute(name=tour.display_title())
    places = []
    if tour.start:
        places.append((tour.start.lat, tour.start.lon, tour.start.label or labels["start"], "", "", "start"))
    for number, stop in enumerate(tour.stops, start=1):
        reading = stop.name_reading.get("ja", "") if language == "ja" else ""
        places.append(
            (
                stop.lat,
                stop.lon,
                f"{number}. {pick_text(stop.name, language)}",
                reading,
                pick_text(stop.summary, language),
                "stop",
            )
        )
    for waypoint in tour.waypoints:
        places.append((waypoint.lat, waypoint.lon, waypoint.label, "", "", "waypoint"))
    if tour.end:
        places.append((tour.end.lat, tour.end.lon, tour.end.label or labels["end"], "", "", "end"))
    for lat, lon, name, comment, description, kind in places:
        gpx.waypoints.append(
            gpxpy.gpx.GPXWaypoint(
                latitude=lat,
                longitude=lon,
                name=name,
                comment=comment or None,
                description=description or None,
                type=kind,
            )
        )
        route.points.append(gpxpy.gpx.GPXRoutePoint(latitude=lat, longitude=lon, name=name))
    gpx.routes.append(route)
    if plan.legs:
        gpx.tracks.append(_tour_track(plan, labels))
    return gpx.to_xml(version="1.1")


def _tour_track(plan: TourPlan, labels: dict[str, str]) -> gpxpy.gpx.GPXTrack:
    """Return the whole tour as one track: along the walk's path on every leg it covers, straight
    elsewhere, with the straight legs named in its <desc> (a GPS app cannot tell them apart)."""

    def place(key: int | str) -> str:
        if isinstance(key, int):
            return str(key + 1)
        if key.startswith("w") and key[1:].isdigit():
            return plan.tour.waypoints[int(key[1:])].label
        return labels.get(key, key)

    points: list[gpxpy.gpx.GPXTrackPoint] = []
    for leg in plan.legs:
        for lon, lat in leg.coordinates[1 if points else 0 :]:
            points.append(gpxpy.gpx.GPXTrackPoint(latitude=lat, longitude=lon))
    straight = [f"{place(leg.origin)} → {place(leg.destination)}" for leg in plan.legs if not leg.follows_path]
    track = gpxpy.gpx.GPXTrack(
        name=labels["track"], description=f"{labels['straight']} {', '.join(straight)}" if straight else None
    )
    track.segments.append(gpxpy.gpx.GPXTrackSegment(points))
    return track


def render_qr_svg(link: str, title: str) -> bytes:
    """Return a QR code of `link` as an SVG image (error correction M survives a crumpled handout)."""
    code = segno.make(link, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=4,
        border=4,
        dark="#000",
        light="#fff",
        title=title,
        xmldecl=True,
        svgclass="qr-code",
        lineclass=None,
    )
    return out.getvalue()
