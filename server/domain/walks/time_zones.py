"""The time zone of each walk's city: people read times in the city they walk in, never in UTC."""

from zoneinfo import ZoneInfo

CITY_TIME_ZONES = {"gent": "Europe/Brussels", "ghent": "Europe/Brussels", "kanazawa": "Asia/Tokyo"}
DEFAULT_TIME_ZONE = "Europe/Brussels"  # Kotoji's home: the heritage department of Ghent


def city_time_zone(city: str | None) -> ZoneInfo:
    """Return the time zone of `city` (Ghent's when the city is unknown)."""
    return ZoneInfo(CITY_TIME_ZONES.get((city or "").strip().lower(), DEFAULT_TIME_ZONE))
