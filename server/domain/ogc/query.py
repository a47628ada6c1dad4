"""Read the query parameters of OGC API – Features requests, refusing anything unknown or malformed.

Every refusal is a `DomainError` (400) whose message says what was wrong and what would be right,
so a GIS user who mistyped a parameter learns it instead of silently getting every feature.
"""

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from ..errors import DomainError
from ..languages import LANGUAGES

FORMATS = ("json", "html")
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000

COMMON_PARAMETERS = frozenset({"f", "lang"})
ITEMS_PARAMETERS = COMMON_PARAMETERS | {"limit", "offset", "bbox", "datetime"}
# The parameters each kind of OGC resource accepts (the OpenAPI description is checked against this).
ACCEPTED_PARAMETERS = {
    "landing": COMMON_PARAMETERS,
    "conformance": COMMON_PARAMETERS,
    "api": COMMON_PARAMETERS,
    "collections": COMMON_PARAMETERS,
    "collection": COMMON_PARAMETERS,
    "items": ITEMS_PARAMETERS,
    "item": COMMON_PARAMETERS,
}

_INTEGER = re.compile(r"^[0-9]{1,9}$")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    """What a request asked for, already checked."""

    format: str | None = None  # None: let the Accept header decide
    lang: str | None = None  # None: let the Accept-Language header decide
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (2D)
    datetime: str | None = None  # checked, kept for links: stops have no time, so it filters nothing


def parse_query(kind: str, args: dict[str, list[str]]) -> Query:
    """Return the checked parameters of a request for a `kind` resource, or raise a 400."""
    accepted = ACCEPTED_PARAMETERS[kind]
    for name, values in args.items():
        if name not in accepted:
            raise DomainError(
                f"Unknown query parameter '{name[:40]}'. This resource accepts: {', '.join(sorted(accepted))}."
            )
        if len(values) > 1:
            raise DomainError(f"The query parameter '{name}' is given more than once.")
    one = {name: values[0] for name, values in args.items()}
    query: _QueryFields = {"format": _format(one.get("f")), "lang": _lang(one.get("lang"))}
    if kind == "items":
        query["limit"] = _integer("limit", one.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT)
        query["offset"] = _integer("offset", one.get("offset"), 0, 0, MAX_OFFSET)
        query["bbox"] = parse_bbox(one["bbox"]) if "bbox" in one else None
        if "datetime" in one:
            check_datetime(one["datetime"])
            query["datetime"] = one["datetime"]
    return Query(**query)


class _QueryFields(TypedDict, total=False):
    format: str | None
    lang: str | None
    limit: int
    offset: int
    bbox: tuple[float, float, float, float] | None
    datetime: str | None


def _format(value: str | None) -> str | None:
    if value is None:
        return None
    if value not in FORMATS:
        raise DomainError(f"f must be one of: {', '.join(FORMATS)} (got '{value[:20]}').")
    return value


def _lang(value: str | None) -> str | None:
    if value is None:
        return None
    if value not in LANGUAGES:
        raise DomainError(f"lang must be one of: {', '.join(LANGUAGES)} (got '{value[:20]}').")
    return value


def _integer(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    if not _INTEGER.match(value) or not low <= int(value) <= high:
        raise DomainError(f"{name} must be a whole number from {low} to {high} (got '{value[:20]}').")
    return int(value)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Return (west, south, east, north) from 'w,s,e,n' or 'w,s,zmin,e,n,zmax' in CRS84 degrees."""
    parts = text.split(",")
    if len(parts) not in (4, 6):
        raise DomainError(
            "bbox must be four numbers west,south,east,north (or six with heights), "
            f"in degrees of longitude and latitude (got {len(parts)} values)."
        )
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise DomainError("bbox must contain only numbers, e.g. bbox=3.70,51.04,3.74,51.06.") from None
    if not all(math.isfinite(n) for n in numbers):
        raise DomainError("bbox must contain finite numbers.")
    west, south, east, north = numbers if len(numbers) == 4 else (numbers[0], numbers[1], numbers[3], numbers[4])
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise DomainError(
            "bbox is outside the world: longitudes go from -180 to 180, latitudes from -90 to 90, "
            "in the order west,south,east,north."
        )
    if south > north:
        raise DomainError("bbox south is above north: the order is west,south,east,north.")
    return west, south, east, north


def check_datetime(text: str) -> None:
    """Refuse a datetime parameter that is neither an RFC 3339 instant nor an interval."""
    parts = text.split("/")
    open_ends = [part for part in parts if part in ("", "..")]
    if len(parts) > 2 or len(open_ends) == len(parts):
        raise DomainError("datetime must be an RFC 3339 date-time or an interval such as 2024-01-01T00:00:00Z/..")
    for part in parts:
        if part in open_ends:
            continue
        if not _RFC3339.match(part) or not _valid_instant(part):
            raise DomainError(f"datetime '{part[:40]}' is not an RFC 3339 date or date-time.")


def _valid_instant(text: str) -> bool:
    try:
        datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def bbox_contains(bbox: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    """Tell whether a point lies in the box (a box whose west is east of its east crosses 180°)."""
    west, south, east, north = bbox
    if not south <= lat <= north:
        return False
    if west <= east:
        return west <= lon <= east
    return lon >= west or lon <= east
