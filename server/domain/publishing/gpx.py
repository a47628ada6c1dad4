"""GPX 1.1 of a walk: a waypoint per published stop and a track for the walking path."""

import gpxpy.gpx

from ..languages import pick_text
from ..models import Walk
from .documents import public_stops


def render_gpx(walk: Walk, language: str) -> str:
    """Return the walk as a GPX 1.1 document with texts in `language` (falling back per field)."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Kotoji"
    gpx.name = pick_text(walk.title, language)
    gpx.description = pick_text(walk.intro, language)
    for order, stop in enumerate(public_stops(walk), start=1):
        gpx.waypoints.append(
            gpxpy.gpx.GPXWaypoint(
                latitude=stop.lat,
                longitude=stop.lon,
                name=f"{order}. {pick_text(stop.name, language)}",
                description=pick_text(stop.summary, language),
                type="stop",
            )
        )
    track = gpxpy.gpx.GPXTrack(name=pick_text(walk.title, language))
    segment = gpxpy.gpx.GPXTrackSegment(
        [gpxpy.gpx.GPXTrackPoint(latitude=lat, longitude=lon) for lon, lat, *_ in walk.path]
    )
    track.segments.append(segment)
    gpx.tracks.append(track)
    return gpx.to_xml(version="1.1")
