"""GPX 1.1 of a walk: a waypoint per published stop and a track for the walking path."""

import gpxpy.gpx
import gpxpy.gpxfield

from ..languages import pick_text
from ..models import Stop, Walk
from .documents import public_stops

VERSION = "1.1"
# A waypoint no stop can be: JSON-escaped texts never hold a NUL, so this splits the document in two.
_GAP = gpxpy.gpx.GPXWaypoint(latitude=0, longitude=0, name="\x00kotoji-waypoints\x00")


class GpxWriter:
    """A walk's GPX in `language` as pieces: `head`, then `waypoint(stop, order)` per stop, then `tail`.

    The pieces are cut out of what gpxpy writes (with one stand-in waypoint where the stops go) and
    each waypoint is written by the same gpxpy code, so their concatenation is gpxpy's own document
    while no more than one stop's waypoint exists at a time.
    """

    def __init__(self, walk: Walk, language: str) -> None:
        self.language = language
        gpx = gpxpy.gpx.GPX()
        gpx.creator = "Kotoji"
        gpx.name = pick_text(walk.title, language)
        gpx.description = pick_text(walk.intro, language)
        gpx.waypoints.append(_GAP)
        track = gpxpy.gpx.GPXTrack(name=pick_text(walk.title, language))
        segment = gpxpy.gpx.GPXTrackSegment(
            [gpxpy.gpx.GPXTrackPoint(latitude=lat, longitude=lon) for lon, lat, *_ in walk.path]
        )
        track.segments.append(segment)
        gpx.tracks.append(track)
        whole = gpx.to_xml(version=VERSION)
        self._nsmap = gpx.nsmap
        head, gap, tail = whole.partition(self._xml(_GAP))
        assert gap, "gpxpy wrote the stand-in waypoint differently on its own"
        self.head, self.tail = head.encode(), tail.encode()

    def waypoint(self, stop: Stop, order: int) -> bytes:
        """Return the `<wpt>` of one stop, as it stands in the whole document."""
        return self._xml(
            gpxpy.gpx.GPXWaypoint(
                latitude=stop.lat,
                longitude=stop.lon,
                name=f"{order}. {pick_text(stop.name, self.language)}",
                description=pick_text(stop.summary, self.language),
                type="stop",
            )
        ).encode()

    def _xml(self, waypoint: gpxpy.gpx.GPXWaypoint) -> str:
        # What GPX.to_xml writes for each of its waypoints (gpxfield's list field, two spaces in).
        return gpxpy.gpxfield.gpx_fields_to_xml(waypoint, "wpt", VERSION, nsmap=self._nsmap, indent="  ")


def render_gpx(walk: Walk, language: str) -> str:
    """Return the walk as a GPX 1.1 document with texts in `language` (falling back per field)."""
    writer = GpxWriter(walk, language)
    waypoints = [writer.waypoint(stop, order) for order, stop in enumerate(public_stops(walk), start=1)]
    return b"".join([writer.head, *waypoints, writer.tail]).decode()
