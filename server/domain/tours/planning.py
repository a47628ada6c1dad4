"""Tours: a guide's ordered choice of a walk's published stops, with walking distances, times and legs.

A tour is stateless: it is read from a link's parameters and the walk's *public* documents (never the
database), so a tour can only ever show what is published, and the same link gives the same tour.
"""

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from itertools import pairwise
from math import ceil
from typing import TypeVar
from urllib.parse import quote, urlencode

from ..control_characters import character_problem
from ..errors import ValidationError
from ..geometry import valid_position
from ..json_types import JSONObject, Texts
from ..languages import LANGUAGES, pick_text
from ..messages import _
from ..walks.path import WalkingDistances
from .best_order import best_order

_N = TypeVar("_N", int, float)
_T = TypeVar("_T")

PACE_KMH = (4.5, 2.0, 7.0)  # default, slowest, fastest: 4.5 km/h is an unhurried group
STAY_MINUTES = (10, 0, 180)  # default, least, most time spent at each stop
MAX_STOPS = 60
MAX_LABEL = 80
MAX_TITLE = 120
MAX_WAYPOINTS = 10
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "$" would let a final line break through


@dataclass(frozen=True)
class TourStop:
    """A published stop as the tour needs it (read from the public stops document)."""

    slug: str
    walk_order: int
    lon: float
    lat: float
    name: JSONObject
    name_reading: JSONObject
    summary: JSONObject
    address: str
    opening_hours: str
    accessibility: JSONObject

    @property
    def position(self) -> tuple[float, float]:
        return (self.lon, self.lat)


@dataclass(frozen=True)
class EndPoint:
    """A start or end point that is not a stop, e.g. the station."""

    lon: float
    lat: float
    label: str

    @property
    def position(self) -> tuple[float, float]:
        return (self.lon, self.lat)


@dataclass(frozen=True)
class Waypoint:
    """A place of the guide's own (meeting point, lunch, toilets): after stop `after` ('' = before the first)."""

    label: str
    lon: float
    lat: float
    after: str = ""
    minutes: int = 0

    @property
    def position(self) -> tuple[float, float]:
        return (self.lon, self.lat)


@dataclass(frozen=True)
class Tour:
    walk: str
    walk_title: Texts
    languages: tuple[str, ...]
    language: str
    stops: tuple[TourStop, ...]
    path: tuple[tuple[float, ...], ...] = ()
    start: EndPoint | None = None
    end: EndPoint | None = None
    pace_kmh: float = PACE_KMH[0]
    stay_minutes: int = STAY_MINUTES[0]
    title: str = ""
    day: date | None = None
    start_time: time | None = None
    path_accuracy: str = "schematic"  # "schematic": the path is drawn by hand, so distances and times are estimates
    loop: bool = False  # the tour ends where it started (the end point is the start point)
    stays: tuple[tuple[str, int], ...] = ()  # minutes at particular stops, instead of stay_minutes
    waypoints: tuple[Waypoint, ...] = ()

    def stay_at(self, stop: TourStop) -> int:
        """Return the minutes the group spends at `stop`."""
        return dict(self.stays).get(stop.slug, self.stay_minutes)

    def name(self, stop: TourStop) -> str:
        return pick_text(stop.name, self.language)

    def display_title(self) -> str:
        return self.title or pick_text(self.walk_title, self.language)


@dataclass(frozen=True)
class Leg:
    """One walk between two places of the tour; `origin`/`destination` are stop indexes or 'start'/'end'."""

    origin: int | str
    destination: int | str
    distance_m: float
    minutes: float
    follows_path: bool
    coordinates: list[tuple[float, float]] = field(default_factory=list)  # (lon, lat) from origin to destination


@dataclass(frozen=True)
class TourPlan:
    tour: Tour
    legs: list[Leg]
    distance_m: float
    walking_minutes: int
    visit_minutes: int
    total_minutes: int
    arrivals: list[int]  # minutes after the start at which each stop is reached


def walk_stops(stops_document: JSONObject) -> list[TourStop]:
    """Return the published stops of a walk's public stops document, in walking order."""
    stops = []
    for order, feature in enumerate(stops_document.get("features", []), start=1):
        props = feature.get("properties", {})
        lon, lat = feature["geometry"]["coordinates"][:2]
        stops.append(
            TourStop(
                slug=feature["id"],
                walk_order=props.get("order", order),
                lon=lon,
                lat=lat,
                name=props.get("name") or {},
                name_reading=props.get("name_reading") or {},
                summary=props.get("summary") or {},
                address=props.get("address") or "",
                opening_hours=props.get("opening_hours") or "",
                accessibility=props.get("accessibility") or {},
            )
        )
    return stops


def parse_tour(
    walk_document: JSONObject, stops_document: JSONObject, params: Mapping[str, str], require_stops: bool = True
) -> Tour:
    """Return the tour a link's parameters describe, or raise ValidationError naming every problem."""
    slugs = stop_slugs(params)
    problems: list[str] = []
    by_slug = {stop.slug: stop for stop in walk_stops(stops_document)}
    languages = tuple(walk_document.get("languages") or LANGUAGES)
    language = params.get("lang") or walk_document.get("default_language") or languages[0]
    if language not in languages:
        problems.append(
            "lang: "
            + _(
                "this walk speaks %(languages)s, not '%(language)s'.",
                languages=", ".join(languages),
                language=language[:10],
            )
        )
    unknown = [s for s in slugs if s not in by_slug]
    if unknown:
        shown = ", ".join(f"'{s[:40]}'" for s in unknown[:5])
        problems.append("stops: " + _("this walk has no published stop %(stops)s.", stops=shown))
    duplicates = sorted(s for s, times in Counter(slugs).items() if times > 1)
    if duplicates:
        problems.append(
            "stops: " + _("each stop can be visited once (%(stops)s repeated).", stops=", ".join(duplicates[:5]))
        )
    if require_stops and not slugs:
        problems.append("stops: " + _("choose at least one stop."))
    start = _end_point(params, "start", problems)
    end = _end_point(params, "end", problems)
    pace = _number(params, "pace", PACE_KMH, float, "km/h", problems)
    stay = _number(params, "stay", STAY_MINUTES, int, _("minutes"), problems)
    stays = _stays(params, set(slugs), problems)
    waypoints = _waypoints(params, set(slugs), problems)
    title = (params.get("title") or "").strip()
    problem = character_problem(title, "title", one_line=True)
    if problem:
        problems.append(problem)
    elif len(title) > MAX_TITLE:
        problems.append("title: " + _("at most %(count)d characters.", count=MAX_TITLE))
    day = _parsed(params, "date", date.fromisoformat, _("a date such as 2026-05-14"), problems)
    start_time = _parsed(params, "time", time.fromisoformat, _("a time such as 09:30"), problems)
    loop = params.get("loop") == "1"
    if loop and start is None:
        problems.append("loop: " + _("a closed loop needs a start point."))
    elif loop and start is not None:
        end = replace(start)
    if problems:
        raise ValidationError(problems)
    return Tour(
        walk=walk_document["slug"],
        walk_title=walk_document.get("title") or {},
        languages=languages,
        language=language,
        stops=tuple(by_slug[s] for s in slugs),
        path=tuple(tuple(c) for c in (walk_document.get("path") or {}).get("coordinates", [])),
        start=start,
        end=end,
        pace_kmh=pace,
        stay_minutes=stay,
        title=title,
        day=day,
        start_time=start_time.replace(second=0, microsecond=0) if start_time else None,
        path_accuracy=walk_document.get("path_accuracy") or "schematic",
        loop=loop,
        stays=stays,
        waypoints=waypoints,
    )


def stop_slugs(params: Mapping[str, str]) -> list[str]:
    """Return the stops a link names, refusing more than MAX_STOPS before anything else looks at them."""
    parts = (params.get("stops") or "").split(",", 2 * MAX_STOPS)  # bounded work, however long the text
    slugs = [s.strip() for s in parts if s.strip()]
    if len(slugs) > MAX_STOPS or len(parts) > 2 * MAX_STOPS:
        raise ValidationError(["stops: " + _("a tour has at most %(count)d stops.", count=MAX_STOPS)])
    return slugs


def _waypoints(params: Mapping[str, str], slugs: set[str], problems: list[str]) -> tuple[Waypoint, ...]:
    """Read `name|lat, lon|after-stop|minutes;...`: the guide's own places between the stops."""
    found = []
    items = [item for item in (params.get("waypoints") or "").split(";") if item.strip()]
    if len(items) > MAX_WAYPOINTS:
        problems.append("waypoints: " + _("at most %(count)d waypoints.", count=MAX_WAYPOINTS))
        return ()
    for item in items:
        name, position_text, after, minutes_text = (item.split("|") + ["", "", "", ""])[:4]
        position = parse_position(position_text)
        minutes = int(minutes_text) if minutes_text.strip().isdigit() else 0
        name = name.strip()[:MAX_LABEL]
        if not name or position is None or not 0 <= minutes <= STAY_MINUTES[2]:
            problems.append("waypoints: " + _("give each waypoint a name and a position, e.g. Lunch|51.0545, 3.7215."))
            continue
        after = after.strip() if after.strip() in slugs else ""
        found.append(Waypoint(name, round(position[1], 6), round(position[0], 6), after, minutes))
    return tuple(found)


def _stays(params: Mapping[str, str], slugs: set[str], problems: list[str]) -> tuple[tuple[str, int], ...]:
    """Read per-stop minutes, `slug:minutes,slug:minutes`, for stops of the tour."""
    stays = []
    for item in (params.get("stays") or "").split(","):
        if not item.strip():
            continue
        slug, _sep, raw = item.partition(":")
        slug = slug.strip()
        minutes = int(raw) if raw.strip().isdigit() else -1
        if slug not in slugs:
            continue  # a stop taken out of the tour keeps no time of its own
        if not STAY_MINUTES[1] <= minutes <= STAY_MINUTES[2]:
            problems.append(
                "stays: " + _("'%(item)s' is not a stop of the tour with 0 to 180 minutes.", item=item.strip()[:60])
            )
            continue
        stays.append((slug, minutes))
    return tuple(stays)


def parse_position(raw: str) -> tuple[float, float] | None:
    """Return (lat, lon) from '51.0359, 3.7108', '51,0359 3,7108' or '51,0359; 3,7108', else None."""
    text = raw.strip()
    match = re.fullmatch(r"(-?\d{1,2}(?:[.,]\d+)?)\s*[;,\s]\s*(-?\d{1,3}(?:[.,]\d+)?)", text)
    if not match:
        return None
    lat, lon = (float(part.replace(",", ".")) for part in (match[1], match[2]))
    return (lat, lon) if valid_position(lon, lat) else None


def _end_point(params: Mapping[str, str], name: str, problems: list[str]) -> EndPoint | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    position = parse_position(raw)
    if position is None:
        problems.append(f"{name}: " + _("give a position as 'latitude, longitude', e.g. 51.0359, 3.7108."))
        return None
    label = (params.get(f"{name}_label") or "").strip()
    problem = character_problem(label, f"{name}_label", one_line=True)
    if problem:
        problems.append(problem)
    elif len(label) > MAX_LABEL:
        problems.append(f"{name}_label: " + _("at most %(count)d characters.", count=MAX_LABEL))
    return EndPoint(lon=round(position[1], 6), lat=round(position[0], 6), label=label[:MAX_LABEL])


def _number(
    params: Mapping[str, str],
    name: str,
    limits: tuple[_N, _N, _N],
    kind: Callable[[str], _N],
    unit: str,
    problems: list[str],
) -> _N:
    default, least, most = limits
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    value: _N | None
    try:
        value = kind(raw.replace(",", "."))
    except ValueError:
        value = None
    if value is None or not least <= value <= most:
        problems.append(
            f"{name}: "
            + _("a number from %(least)s to %(most)s %(unit)s.", least=f"{least:g}", most=f"{most:g}", unit=unit)
        )
        return default
    return value


def _parsed(
    params: Mapping[str, str], name: str, parse: Callable[[str], _T], example: str, problems: list[str]
) -> _T | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse(raw)
    except ValueError:
        problems.append(f"{name}: " + _("give %(example)s.", example=example))
        return None


def _places(tour: Tour, waypoints: bool = True) -> list[tuple[int | str, tuple[float, float]]]:
    """Return the tour's places in walking order; waypoints are keyed 'w0', 'w1'... as given."""
    places: list[tuple[int | str, tuple[float, float]]] = []
    if tour.start:
        places.append(("start", tour.start.position))
    shown = list(enumerate(tour.waypoints)) if waypoints else []
    places += [(f"w{n}", w.position) for n, w in shown if not w.after]
    for index, stop in enumerate(tour.stops):
        places.append((index, stop.position))
        places += [(f"w{n}", w.position) for n, w in shown if w.after == stop.slug]
    if tour.end:
        places.append(("end", tour.end.position))
    return places


def plan_tour(tour: Tour) -> TourPlan:
    """Return the tour's legs, total distance and times at the tour's pace and time per stop."""
    distances = WalkingDistances(tour.path)
    metres_per_minute = tour.pace_kmh * 1000 / 60
    places = _places(tour)
    legs = []
    for (origin, a), (destination, b) in pairwise(places):
        metres, coordinates, follows = distances.leg(a, b)
        legs.append(Leg(origin, destination, metres, metres / metres_per_minute, follows, coordinates))
    arrivals, clock = [], 0.0
    if tour.stops and not tour.start:
        arrivals.append(0)  # the tour begins at its first stop
        clock = tour.stay_at(tour.stops[0])
    for leg in legs:
        clock += leg.minutes
        if isinstance(leg.destination, int):
            arrivals.append(round(clock))
            clock += tour.stay_at(tour.stops[leg.destination])
        elif leg.destination.startswith("w"):
            clock += tour.waypoints[int(leg.destination[1:])].minutes
    total_metres = sum(leg.distance_m for leg in legs)
    walking = ceil(round(total_metres / metres_per_minute, 6))
    visits = sum(tour.stay_at(stop) for stop in tour.stops) + sum(w.minutes for w in tour.waypoints)
    return TourPlan(
        tour=tour,
        legs=legs,
        distance_m=total_metres,
        walking_minutes=walking,
        visit_minutes=visits,
        total_minutes=walking + visits,
        arrivals=arrivals,
    )


def reorder_tour(tour: Tour, first: str | None = None) -> Tour:
    """Return the tour with its stops in the best order, from the start point and/or the `first` stop."""
    if first is not None and first not in {s.slug for s in tour.stops}:
        raise ValidationError(["from: " + _("'%(stop)s' is not one of the tour's stops.", stop=first[:40])])
    places = _places(tour, waypoints=False)  # waypoints follow the stop they come after
    matrix = WalkingDistances(tour.path).matrix([position for _, position in places])
    node = {key: index for index, (key, _) in enumerate(places)}
    stop_nodes = [node[i] for i in range(len(tour.stops))]
    head = [node["start"]] if tour.start else []
    if first is not None:
        head.append(node[next(i for i, s in enumerate(tour.stops) if s.slug == first)])
    tail = [node["end"]] if tour.end else []
    movable = [n for n in stop_nodes if n not in head]
    order = best_order(matrix, movable, head, tail, current=movable)
    ordered = [n for n in head if n in stop_nodes] + order
    offset = 1 if tour.start else 0
    return replace(tour, stops=tuple(tour.stops[n - offset] for n in ordered))


# What the group's app shows of the guide's plan, besides the stops: the link carries these too.
LINK_DETAILS = ("title", "start", "start_label", "end", "end_label", "loop", "waypoints", "date", "time")


def tour_link(tour: Tour) -> str:
    """Return the PWA's link to the tour: /#/tour/<walk>/<stop>,<stop>,...?lang=<language>&title=...

    Besides the language it carries the guide's title, start and end points, date and start time.
    """
    slugs = ",".join(quote(stop.slug, safe="") for stop in tour.stops)
    parameters = tour_parameters(tour)
    details = {"lang": tour.language, **{name: parameters[name] for name in LINK_DETAILS if name in parameters}}
    return f"/#/tour/{quote(tour.walk, safe='')}/{slugs}?{urlencode(details, quote_via=quote)}"


def tour_parameters(tour: Tour) -> dict[str, str]:
    """Return the query parameters that describe the tour (defaults left out), in a stable order."""
    params = {"walk": tour.walk, "stops": ",".join(s.slug for s in tour.stops), "lang": tour.language}
    if tour.loop:
        params["loop"] = "1"
    for name, point in (("start", tour.start), ("end", None if tour.loop else tour.end)):
        if point:
            params[name] = f"{point.lat:.6f},{point.lon:.6f}"
            if point.label:
                params[f"{name}_label"] = point.label
    if tour.pace_kmh != PACE_KMH[0]:
        params["pace"] = f"{tour.pace_kmh:g}"
    if tour.stay_minutes != STAY_MINUTES[0]:
        params["stay"] = str(tour.stay_minutes)
    if tour.waypoints:
        params["waypoints"] = ";".join(
            f"{w.label}|{w.lat:.6f},{w.lon:.6f}|{w.after}|{w.minutes}" for w in tour.waypoints
        )
    in_tour = {stop.slug for stop in tour.stops}
    stays = [f"{slug}:{minutes}" for slug, minutes in tour.stays if slug in in_tour]
    if stays:
        params["stays"] = ",".join(stays)
    for name, value in (("title", tour.title), ("date", tour.day), ("time", tour.start_time)):
        if value:
            params[name] = value.strftime("%H:%M") if isinstance(value, time) else str(value)
    return params


def tour_query(tour: Tour) -> str:
    return urlencode(tour_parameters(tour))
