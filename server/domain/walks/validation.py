"""Checks every walk, stop and GeoJSON must pass, wherever it enters: the bundle check, editor saves, imports.

Each function takes plain data and a `where` prefix (file, feature) and returns problems as sentences
that name the field, so the three entry points report the same thing in the same words.
"""

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypedDict

import geojson
import opening_hours

from ..geometry import distance_m, distance_to_path_m, valid_position
from ..json_types import JSONObject
from ..messages import _

MAX_DECIMALS = 7  # 1 cm; more is noise from a converter, or a typo
ALTITUDE_M = (-500.0, 9000.0)
# Two path positions in a row farther apart than this are a swapped or mistyped vertex, not a street.
MAX_PATH_STEP_M = 1_000
# A position farther than this from the middle of the walk does not belong to it.
MAX_FROM_WALK_AREA_M = 25_000
SOURCE_FIELDS = ("title", "publisher", "url", "date")
SOURCE_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SOURCE_URL = re.compile(r"^https?://[^\s<>\"]+$")
LICENSES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0")
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


class OpeningDay(TypedDict):
    """One day of a week of opening hours, as staff read it."""

    day: str  # Mo, Tu, ...
    open: list[str]  # ["10:00-18:00"]
    unknown: bool  # some of the day's hours are marked unknown


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _decimals(value: float) -> int:
    try:
        exponent = Decimal(repr(value)).as_tuple().exponent
    except InvalidOperation:
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def position_problems(position: object, where: str) -> list[str]:
    """Return what is wrong with one [longitude, latitude(, altitude)] position."""
    if not (isinstance(position, list) and len(position) in (2, 3)):
        return [
            f"{where}: "
            + _(
                "must be [longitude, latitude] or [longitude, latitude, altitude] (got %(position)s)",
                position=repr(position)[:60],
            )
        ]
    if not all(_is_number(n) for n in position[:2]):
        return [
            f"{where}: " + _("longitude and latitude must be numbers (got %(position)s)", position=repr(position)[:60])
        ]
    problems: list[str] = []
    if not valid_position(*position[:2]):
        problems.append(
            f"{where}: " + _("[longitude, latitude] out of range (got %(position)s)", position=repr(position[:2]))
        )
    if len(position) == 3:
        altitude = position[2]
        if not _is_number(altitude):
            problems.append(
                f"{where}: " + _("altitude must be a number of metres (got %(altitude)s)", altitude=repr(altitude)[:30])
            )
        elif not ALTITUDE_M[0] <= altitude <= ALTITUDE_M[1]:
            low, high = ALTITUDE_M
            problems.append(
                f"{where}: "
                + _(
                    "altitude %(altitude)s m is absurd (expected %(low)s to %(high)s m)",
                    altitude=altitude,
                    low=format(low, "g"),
                    high=format(high, "g"),
                )
            )
    if any(_is_number(n) and _decimals(n) > MAX_DECIMALS for n in position):
        problems.append(
            f"{where}: "
            + _(
                "at most %(count)d decimals per coordinate (got %(position)s)",
                count=MAX_DECIMALS,
                position=repr(position)[:80],
            )
        )
    return problems


def usable_path(path: object) -> list[list[float]]:
    """Return the path's valid positions as [longitude, latitude] pairs (for distances, whatever else is wrong)."""
    if not isinstance(path, list):
        return []
    return [
        p[:2]
        for p in path
        if isinstance(p, list) and len(p) >= 2 and all(_is_number(n) for n in p[:2]) and valid_position(*p[:2])
    ]


def walk_centre(path: object) -> tuple[float, float] | None:
    """Return the median longitude and latitude of the valid path positions (robust to a few bad ones)."""
    good = usable_path(path)
    if not good:
        return None
    lons, lats = sorted(p[0] for p in good), sorted(p[1] for p in good)
    return lons[len(lons) // 2], lats[len(lats) // 2]


def path_problems(path: object, where: str) -> list[str]:
    """Return what is wrong with a path's LineString coordinates: bad positions, swapped or stray vertices."""
    if not isinstance(path, list) or len(path) < 2:
        return [f"{where}: " + _("the path needs at least two positions")]
    problems: list[str] = []
    valid: list[bool] = []
    for n, position in enumerate(path, start=1):
        found = position_problems(position, f"{where}: position {n}")
        problems += found
        valid.append(not found)
    centre = walk_centre(path)
    for n, position in enumerate(path, start=1):
        if not valid[n - 1]:
            continue
        here = tuple(position[:2])
        if centre and distance_m(here, centre) > MAX_FROM_WALK_AREA_M:
            problems.append(
                f"{where}: "
                + _(
                    "position %(n)d %(position)s lies %(km)s km from the rest of the walk: "
                    "are longitude and latitude swapped?",
                    n=n,
                    position=repr(position[:2]),
                    km=format(distance_m(here, centre) / 1000, ".0f"),
                )
            )
        elif n > 1 and valid[n - 2]:
            step = distance_m(tuple(path[n - 2][:2]), here)
            if step > MAX_PATH_STEP_M:
                problems.append(
                    f"{where}: "
                    + _(
                        "position %(n)d %(position)s is %(step)s m from position %(previous)d "
                        "(at most %(most)d m between vertices): a swapped or mistyped vertex?",
                        n=n,
                        position=repr(position[:2]),
                        step=format(step, ".0f"),
                        previous=n - 1,
                        most=MAX_PATH_STEP_M,
                    )
                )
    return problems


def _segments_cross(a: Sequence[float], b: Sequence[float], c: Sequence[float], d: Sequence[float]) -> bool:
    def orient(p: Sequence[float], q: Sequence[float], r: Sequence[float]) -> int:
        value = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return (value > 0) - (value < 0)

    return orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0


def ring_problems(ring: object, where: str) -> list[str]:
    """Return what is wrong with a polygon ring: too short, not closed, or crossing itself."""
    if not (isinstance(ring, list) and len(ring) >= 4):
        return [f"{where}: " + _("a polygon ring needs at least four positions")]
    problems: list[str] = []
    for n, position in enumerate(ring, start=1):
        problems += position_problems(position, f"{where}: position {n}")
    if problems:
        return problems
    if ring[0][:2] != ring[-1][:2]:
        return [f"{where}: " + _("the ring is not closed (its last position must repeat the first)")]
    edges = [(ring[i][:2], ring[i + 1][:2]) for i in range(len(ring) - 1)]
    for i, (a, b) in enumerate(edges):
        for j in range(i + 2, len(edges)):
            if i == 0 and j == len(edges) - 1:
                continue  # the first and last edges meet at the closing position
            if _segments_cross(a, b, *edges[j]):
                return [
                    f"{where}: "
                    + _("the ring crosses itself (edge %(edge)d crosses edge %(other)d)", edge=i + 1, other=j + 1)
                ]
    return problems


def _crs_members(data: object, trail: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        if "crs" in data:
            found.append(trail or "top level")
        for key in ("geometry", "features", "geometries"):
            value = data.get(key)
            items = value if isinstance(value, list) else [value]
            for n, item in enumerate(items, start=1):
                found += _crs_members(item, f"{trail}{key}[{n}] " if isinstance(value, list) else f"{trail}{key} ")
    return found


def geojson_problems(data: object, where: str) -> list[str]:
    """Return what makes `data` invalid RFC 7946 GeoJSON: structure (the `geojson` package), crs, polygons."""
    try:
        places = _crs_members(data)
    except RecursionError:
        return [f"{where}: " + _("nested too deeply to be GeoJSON")]
    problems = [
        f"{where}: "
        + _(
            "has a 'crs' member (%(place)s); RFC 7946 GeoJSON is always WGS84 longitude/latitude: "
            "remove it and reproject if needed",
            place=place.strip(),
        )
        for place in places
    ]
    try:
        parsed = geojson.loads(json.dumps(data))
        if not isinstance(parsed, geojson.base.GeoJSON):
            return problems + [f"{where}: " + _("not a GeoJSON object (a 'type' member is missing or unknown)")]
        if not parsed.is_valid:
            problems.append(f"{where}: " + _("not valid GeoJSON (%(error)s)", error=_first_error(parsed.errors())))
    except (TypeError, ValueError, AttributeError, IndexError, KeyError, RecursionError) as exc:  # odd input
        return problems + [f"{where}: " + _("not GeoJSON (%(error)s)", error=str(exc)[:200])]
    for n, polygon in enumerate(_polygons(data) if not problems else [], start=1):
        for r, ring in enumerate(polygon, start=1):
            problems += ring_problems(ring, f"{where}: polygon {n} ring {r}")
    return problems


def _first_error(errors: object) -> str:
    while isinstance(errors, (list, dict)) and errors:
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors)[:200] or "invalid"


def _polygons(data: object) -> list[list[object]]:
    if not isinstance(data, dict):
        return []
    kind = data.get("type")
    if kind == "Polygon" and isinstance(data.get("coordinates"), list):
        return [data["coordinates"]]
    if kind == "MultiPolygon" and isinstance(data.get("coordinates"), list):
        return [p for p in data["coordinates"] if isinstance(p, list)]
    found: list[list[object]] = []
    for key in ("geometry", "features", "geometries"):
        value = data.get(key)
        for item in value if isinstance(value, list) else [value]:
            found += _polygons(item)
    return found


def positions_problems(data: object, where: str) -> list[str]:
    """Return what is wrong with each position of every geometry in a GeoJSON object (decimals, altitude, range)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return problems
    kind, coordinates = data.get("type"), data.get("coordinates")
    if kind == "Point":
        problems += position_problems(coordinates, f"{where} geometry")
    elif kind in ("LineString", "MultiPoint") and isinstance(coordinates, list):
        for n, position in enumerate(coordinates, start=1):
            problems += position_problems(position, f"{where} position {n}")
    for key in ("geometry", "features", "geometries"):
        value = data.get(key)
        if isinstance(value, list):
            for n, item in enumerate(value, start=1):
                problems += positions_problems(item, f"{where} {key[:-1] if key != 'geometry' else key} {n}")
        elif isinstance(value, dict):
            problems += positions_problems(value, where)
    return problems


def opening_hours_problems(value: object, where: str) -> list[str]:
    """Return a problem when `value` is neither empty nor valid OpenStreetMap opening_hours syntax."""
    if value in ("", None):
        return []
    if not isinstance(value, str):
        return [f"{where}: " + _("must be text in OpenStreetMap opening_hours syntax")]
    try:
        opening_hours.OpeningHours(value)
    # opening_hours' stub omits ParserError, which the module exports (and raises for bad syntax).
    except (SyntaxError, ValueError, opening_hours.ParserError) as exc:  # type: ignore[attr-defined]
        reason = str(exc).strip().splitlines()[-1].lstrip("= ").strip() if str(exc).strip() else "cannot be parsed"
        refusal = _(
            "%(value)s is not OpenStreetMap opening_hours syntax (%(reason)s); "
            "e.g. 'Mo-Fr 09:00-17:00; Sa 10:00-16:00; PH off', or leave it empty",
            value=repr(value[:60]),
            reason=reason,
        )
        return [f"{where}: {refusal}"]
    return []


def opening_hours_week(value: str, monday: datetime) -> list[OpeningDay]:
    """Return the week from `monday` (a datetime) as [{"day": "Mo", "open": ["10:00-18:00"]}] for staff to read."""
    week: list[OpeningDay] = [{"day": day, "open": [], "unknown": False} for day in WEEKDAYS]
    if not value:
        return week
    expression = opening_hours.OpeningHours(value)
    for start, end, state, _comment in expression.intervals(monday, monday + timedelta(days=7)):
        kind = str(state).rsplit(".", 1)[-1].lower()
        if kind not in ("open", "unknown"):
            continue
        while start < end:
            day_end = min(end, (start + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0))
            entry = week[(start - monday).days]
            to = "24:00" if day_end.hour == 0 and day_end.minute == 0 else day_end.strftime("%H:%M")
            entry["open"].append(f"{start.strftime('%H:%M')}-{to}")
            entry["unknown"] = entry["unknown"] or kind == "unknown"
            start = day_end
    return week


def _hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def reading_problems(name: object, reading: object, where: str) -> list[str]:
    """Refuse a Japanese reading that only repeats katakana of the name in hiragana: a reading must add something."""
    if not (isinstance(name, str) and isinstance(reading, str) and reading.strip()):
        return []
    reading = unicodedata.normalize("NFKC", reading)
    if re.search(r"[\u4e00-\u9fff々]", reading):
        return [
            f"{where}: " + _("a reading is written in kana, not kanji (got %(reading)s)", reading=repr(reading[:40]))
        ]
    for run in re.findall(r"[ァ-ヶー]{2,}", name):
        if _hiragana(run) in reading:
            copied = _(
                "%(reading)s copies the katakana %(run)s of the name in hiragana; give readings "
                "only for kanji (or leave the reading empty)",
                reading=repr(reading[:40]),
                run=repr(run),
            )
            return [f"{where}: {copied}"]
    if not re.search(r"[\u4e00-\u9fff々]", name):
        return [f"{where}: " + _("the name has no kanji, so it needs no reading")]
    return []


def clean_sources(value: object, where: str) -> tuple[list[JSONObject], list[str]]:
    """Return the sources as [{title, publisher, url, date}] and the problems found in them."""
    if value is None:
        return [], []
    if not isinstance(value, list):
        return [], [f"{where}: " + _("must be a list of {title, publisher, url, date}")]
    clean: list[JSONObject] = []
    problems: list[str] = []
    for n, item in enumerate(value, start=1):
        entry = _clean_source(item, f"{where}[{n}]", problems)
        if entry:
            clean.append(entry)
    return clean, problems


def _clean_source(item: object, label: str, problems: list[str]) -> JSONObject | None:
    if not isinstance(item, dict):
        problems.append(f"{label}: " + _("must be an object with %(fields)s", fields=", ".join(SOURCE_FIELDS)))
        return None
    unknown = [str(k) for k in item if k not in SOURCE_FIELDS]
    if unknown:
        problems.append(f"{label}: " + _("unknown field(s) %(fields)s", fields=", ".join(unknown)[:80]))
    entry = {field: _source_text(item.get(field), f"{label}.{field}", problems) for field in SOURCE_FIELDS}
    if not any(entry.values()):
        return None  # an empty row left in the editor's list
    if not entry["title"]:
        problems.append(f"{label}.title: " + _("is required (what the source is called)"))
    if not entry["publisher"]:
        problems.append(f"{label}.publisher: " + _("is required (who published it)"))
    if entry["url"] and not SOURCE_URL.match(entry["url"]):
        problems.append(f"{label}.url: " + _("must be an http(s) address (got %(url)s)", url=repr(entry["url"][:60])))
    if entry["date"] and not SOURCE_DATE.match(entry["date"]):
        problems.append(
            f"{label}.date: " + _("must be YYYY, YYYY-MM or YYYY-MM-DD (got %(date)s)", date=repr(entry["date"][:20]))
        )
    return entry


def _source_text(text: object, label: str, problems: list[str]) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        problems.append(f"{label}: " + _("must be text"))
        return ""
    text = text.strip()
    if "<" in text or any(unicodedata.category(c) == "Cc" for c in text):
        problems.append(f"{label}: " + _("plain text only"))
    if len(text) > 500:
        problems.append(f"{label}: " + _("at most %(count)d characters", count=500))
    return text


def unreachable_radius_warning(
    coordinates: Sequence[float] | None, radius: object, path: object, where: str
) -> str | None:
    """Return a warning when no point of the path lies inside the stop's trigger circle."""
    if not (coordinates and path and isinstance(radius, (int, float))):
        return None
    path = usable_path(path)
    if not path:
        return None
    off = distance_to_path_m(tuple(coordinates[:2]), path)
    if off > radius:
        warning = _(
            "trigger_radius_m %(radius)s m cannot be reached from the path (nearest point %(distance)s m away): "
            "visitors following the path never trigger it; move the point or widen the radius",
            radius=radius,
            distance=format(off, ".0f"),
        )
        return f"{where}: {warning}"
    return None
