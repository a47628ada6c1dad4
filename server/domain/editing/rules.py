"""Validate what an editor sends for a stop or a walk: every problem is found, each names its field.

Plain-text fields refuse markup; rich text refuses anything dangerous outright (rather than
quietly dropping it) and is stored sanitized by the allow-list.
"""

import math
import re
from collections.abc import Callable, Collection, Sequence

from sqlalchemy.orm import Session

from ..control_characters import character_problem
from ..errors import NotFound, ValidationError
from ..geometry import distance_m, valid_position
from ..json_types import JSONObject, Texts
from ..languages import LANGUAGES
from ..messages import _
from ..models import CONFIDENCES, PATH_ACCURACIES, STATUSES, Media, Stop, Walk
from ..walks.bundles import MAX_STOP_TO_WALK_M, SLUG, TRIGGER_RADIUS_M
from ..walks.lookup import get_stop
from ..walks.validation import LICENSES, clean_sources, opening_hours_problems, reading_problems
from .rich_text import sanitize_html

TEXT_LIMITS = {
    "name": 200,
    "name_reading": 200,
    "summary": 1000,
    "accessibility": 1000,
    "title": 200,
    "intro": 3000,
    "alt": 500,
    "transcript": 20000,
}
BODY_LIMIT = 50_000
# Checks one field's value, appends what is wrong with it to the problems, and returns the value to store.
Cleaner = Callable[[object, list[str]], object]
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")
# Refused outright so the editor hears about it; only tags and what is inside them are looked at, so a
# story may say "Key data: ..." or "an onion = a vegetable". nh3 still removes whatever this misses.
DANGEROUS_TAG = re.compile(
    r"<\s*+(?:/\s*+)?(script|style|iframe|frame|object|embed|svg|math|form|input|button|img|link|meta|base|textarea)\b",
    re.IGNORECASE,
)
TAG = re.compile(r"<[^>]*>?")
DANGEROUS_IN_TAG = re.compile(r"\son[a-z]+\s*=|(javascript|vbscript|data)\s*:", re.IGNORECASE)
MEDIA_NAME = re.compile(r"^[0-9a-f]{64}\.[a-z0-9]{2,4}$")
MEDIA_FILE = re.compile(r"^media/[a-z0-9][a-z0-9._-]{0,100}\.[a-z0-9]{2,4}$")
IMAGE_EXTENSIONS = {"jpg", "png", "webp"}
AUDIO_EXTENSIONS = {"mp3", "ogg", "wav", "m4a"}
STOP_EDITABLE = (
    "lat",
    "lon",
    "position_confidence",
    "trigger_radius_m",
    "name",
    "name_reading",
    "summary",
    "body",
    "address",
    "opening_hours",
    "accessibility",
    "images",
    "audio",
    "status",
    "staff_note",
    "twin",
    "sources",
)
WALK_EDITABLE = (
    "city",
    "country",
    "default_language",
    "languages",
    "title",
    "intro",
    "notes",
    "sources",
    "license",
    "attribution",
    "path_accuracy",
)
# Texts shown as one line refuse tabs and line breaks as well (so do city, country, alt and credit).
ONE_LINE = {"name", "name_reading", "title"}


def _plain(value: object, label: str, limit: int, problems: list[str], one_line: bool = False) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{label}: " + _("must be text"))
        return ""
    value = value.strip()
    bad_character = character_problem(value, label, one_line)
    if bad_character:
        problems.append(bad_character)
    elif MARKUP.search(value):
        problems.append(f"{label}: " + _("plain text only; remove the markup (< followed by a letter)"))
    if len(value) > limit:
        problems.append(f"{label}: " + _("at most %(limit)d characters (got %(count)d)", limit=limit, count=len(value)))
    return value


def _texts(value: object, label: str, limit: int, problems: list[str], one_line: bool = False) -> Texts:
    """Validate {lang: plain text}; blank texts are dropped so 'missing' means missing."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{label}: " + _("must be an object of texts per language"))
        return {}
    clean: Texts = {}
    for lang, text in value.items():
        if lang not in LANGUAGES:
            problems.append(
                f"{label}: "
                + _(
                    "unknown language '%(language)s' (use %(languages)s)",
                    language=str(lang)[:10],
                    languages=", ".join(LANGUAGES),
                )
            )
            continue
        text = _plain(text, f"{label} ({lang})", limit, problems, one_line)
        if text:
            clean[lang] = text
    return clean


def _rich_texts(value: object, label: str, problems: list[str]) -> Texts:
    if not isinstance(value, dict):
        problems.append(f"{label}: " + _("must be an object of texts per language"))
        return {}
    clean: Texts = {}
    for lang, html in value.items():
        if lang not in LANGUAGES or not isinstance(html, str):
            problems.append(
                f"{label} ({str(lang)[:10]}): "
                + _("must be text in one of %(languages)s", languages=", ".join(LANGUAGES))
            )
            continue
        if len(html) > BODY_LIMIT:
            problems.append(f"{label} ({lang}): " + _("at most %(count)d characters", count=BODY_LIMIT))
            continue
        bad_character = character_problem(html, f"{label} ({lang})")
        if bad_character:
            problems.append(bad_character)
            continue
        if _dangerous_html(html):
            problems.append(
                f"{label} ({lang}): "
                + _("scripts, event handlers, embedded objects and javascript:/data: links are not allowed in a story")
            )
            continue
        html = sanitize_html(html)
        if re.sub(r"<[^>]*>|&nbsp;|\s", "", html):
            clean[lang] = html
    return clean


def _dangerous_html(html: str) -> bool:
    """True when a tag in `html` is one a story may not hold, or carries an event handler or a script link."""
    return bool(DANGEROUS_TAG.search(html)) or any(DANGEROUS_IN_TAG.search(tag) for tag in TAG.findall(html))


def _number(value: object, label: str, low: float, high: float, problems: list[str]) -> float | None:
    if isinstance(value, str):
        text = value
        try:
            value = float(text.strip().replace(",", "."))
        except ValueError:
            problems.append(f"{label}: " + _("must be a number (got %(value)s)", value=repr(text[:30])))
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        problems.append(f"{label}: " + _("must be a number"))
        return None
    if not low <= value <= high:
        problems.append(
            f"{label}: " + _("must be between %(low)s and %(high)s (got %(value)s)", low=low, high=high, value=value)
        )
        return None
    return float(value)


def _media(
    session: Session, item: object, label: str, kinds: Collection[str], problems: list[str]
) -> JSONObject | None:
    name = item.get("media") if isinstance(item, dict) else None
    if not isinstance(item, dict) or not isinstance(name, str) or not MEDIA_NAME.match(name):
        problems.append(f"{label}: " + _("media must name an uploaded file"))
        return None
    media = session.get(Media, name.split(".")[0])
    if media is None or media.extension != name.split(".")[1] or media.extension not in kinds:
        if kinds == IMAGE_EXTENSIONS:
            problems.append(f"{label}: " + _("%(file)s is not an uploaded image file", file=name))
        else:
            problems.append(f"{label}: " + _("%(file)s is not an uploaded audio file", file=name))
        return None
    file = item.get("file") or f"media/{name}"
    if not isinstance(file, str) or not MEDIA_FILE.match(file) or ".." in file:
        problems.append(
            f"{label}: " + _("file must be a plain name under media/ (got %(file)s)", file=repr(str(file)[:60]))
        )
        return None
    return {"media": name, "file": file}


def _images(session: Session, value: object, problems: list[str]) -> list[JSONObject]:
    if not isinstance(value, list):
        problems.append("images: " + _("must be a list"))
        return []
    images: list[JSONObject] = []
    for n, item in enumerate(value, start=1):
        entry = _media(session, item, f"images[{n}]", IMAGE_EXTENSIONS, problems)
        if entry:
            entry["alt"] = _texts(item.get("alt"), f"images[{n}] alt", TEXT_LIMITS["alt"], problems, one_line=True)
            entry["credit"] = _plain(item.get("credit"), f"images[{n}] credit", 300, problems, one_line=True)
            images.append(entry)
    return images


def _audio(session: Session, value: object, problems: list[str]) -> JSONObject:
    if not isinstance(value, dict):
        problems.append("audio: " + _("must be an object per language"))
        return {}
    audio: JSONObject = {}
    for lang, item in value.items():
        if lang not in LANGUAGES:
            problems.append("audio: " + _("unknown language '%(language)s'", language=str(lang)[:10]))
            continue
        entry = _media(session, item, f"audio ({lang})", AUDIO_EXTENSIONS, problems)
        if entry:
            entry["transcript"] = _plain(
                item.get("transcript"), f"audio ({lang}) transcript", TEXT_LIMITS["transcript"], problems
            )
            audio[lang] = entry
    return audio


def _twin(session: Session, value: object, walk: Walk, problems: list[str]) -> Stop | None:
    if value in (None, ""):
        return None
    parts = value.split("/") if isinstance(value, str) else []
    if len(parts) != 2 or not all(SLUG.match(p) for p in parts):
        problems.append("twin: " + _("must be '<walk>/<stop>' or empty"))
        return None
    if parts[0] == walk.slug:
        problems.append("twin: " + _("a twin stands in the other city's walk, not this one"))
        return None
    try:
        return get_stop(session, *parts)
    except NotFound:  # say it in the field's words
        problems.append("twin: " + _("there is no stop '%(stop)s'", stop=value))
        return None


def clean_stop_fields(session: Session, walk: Walk, data: object) -> JSONObject:
    """Return the validated fields of a stop from `data`; raise ValidationError listing every problem."""
    if not isinstance(data, dict):
        raise ValidationError([_("the stop must be sent as a JSON object")])
    problems = [f"{key}: " + _("is not a field an editor can change") for key in data if key not in STOP_EDITABLE]
    clean: JSONObject = _position(data, walk, problems) if "lat" in data or "lon" in data else {}
    texts, media = _stop_text_cleaners(), _stop_linked_cleaners(session, walk)
    clean |= {name: cleaner(data[name], problems) for name, cleaner in texts.items() if name in data}
    if clean.get("opening_hours"):
        problems += opening_hours_problems(clean["opening_hours"], "opening_hours")
    if "name_reading" in clean:
        problems += reading_problems(
            (clean.get("name") or {}).get("ja"), clean["name_reading"].get("ja"), "name_reading (ja)"
        )
    clean |= {name: cleaner(data[name], problems) for name, cleaner in media.items() if name in data}
    if problems:
        raise ValidationError(problems)
    return clean


def _position(data: JSONObject, walk: Walk, problems: list[str]) -> JSONObject:
    lat = _number(data.get("lat"), "lat (latitude)", -90, 90, problems)
    lon = _number(data.get("lon"), "lon (longitude)", -180, 180, problems)
    if lat is None or lon is None or not valid_position(lon, lat):
        return {}
    if walk.path and distance_m((lon, lat), tuple(walk.path[0][:2])) > MAX_STOP_TO_WALK_M:
        far = _(
            "the position lies more than %(km)d km from the walk's start: are latitude and longitude swapped?",
            km=MAX_STOP_TO_WALK_M // 1000,
        )
        problems.append(f"lat/lon: {far}")
    return {"lat": round(lat, 7), "lon": round(lon, 7)}


def _trigger_radius(value: object, problems: list[str]) -> int | None:
    radius = _number(value, "trigger_radius_m", *TRIGGER_RADIUS_M, problems)
    if radius is not None and radius != int(radius):
        problems.append("trigger_radius_m: " + _("must be a whole number of metres"))
    return None if radius is None else int(radius)


def _stop_text_cleaners() -> dict[str, Cleaner]:
    """The stop's own fields, in the order their problems are listed: field → cleaner(value, problems)."""

    def texts(name: str) -> Cleaner:
        return lambda value, problems: _texts(value, name, TEXT_LIMITS[name], problems, one_line=name in ONE_LINE)

    def plain(name: str, limit: int) -> Cleaner:
        return lambda value, problems: _plain(value, name, limit, problems)

    return {
        "position_confidence": lambda value, problems: _one_of(value, CONFIDENCES, "position_confidence", problems),
        "trigger_radius_m": _trigger_radius,
        **{name: texts(name) for name in ("name", "name_reading", "summary", "accessibility")},
        "body": lambda value, problems: _rich_texts(value, "body", problems),
        **{
            name: plain(name, limit) for name, limit in (("address", 300), ("opening_hours", 300), ("staff_note", 5000))
        },
        "status": lambda value, problems: _one_of(value, STATUSES, "status", problems),
    }


def _stop_linked_cleaners(session: Session, walk: Walk) -> dict[str, Cleaner]:
    """The fields that point elsewhere (sources, uploaded media, the twin stop): field → cleaner(value, problems)."""

    def sources(value: object, problems: list[str]) -> list[JSONObject]:
        cleaned, source_problems = clean_sources(value, "sources")
        problems += source_problems
        return cleaned

    return {
        "sources": sources,
        "images": lambda value, problems: _images(session, value, problems),
        "audio": lambda value, problems: _audio(session, value, problems),
        "twin": lambda value, problems: _twin(session, value, walk, problems),
    }


def clean_walk_fields(data: object) -> JSONObject:
    """Return the validated editable fields of a walk; raise ValidationError listing every problem."""
    if not isinstance(data, dict):
        raise ValidationError([_("the walk must be sent as a JSON object")])
    problems = [f"{key}: " + _("is not a field an editor can change here") for key in data if key not in WALK_EDITABLE]
    clean: JSONObject = {name: cleaner(data[name], problems) for name, cleaner in WALK_CLEANERS.items() if name in data}
    if problems:
        raise ValidationError(problems)
    return clean


def _walk_texts(name: str) -> Cleaner:
    return lambda value, problems: _texts(value, name, TEXT_LIMITS[name], problems, one_line=name in ONE_LINE)


def _city(value: object, problems: list[str]) -> str:
    city = _plain(value, "city", 120, problems, one_line=True)
    if not city:
        problems.append("city: " + _("is required"))
    return city


def _walk_languages(value: object, problems: list[str]) -> list[str]:
    chosen = value if isinstance(value, list) else []
    languages = [lang for lang in LANGUAGES if lang in chosen]
    if not languages or len(languages) != len(set(map(str, chosen))):
        problems.append("languages: " + _("choose one or more of %(values)s", values=", ".join(LANGUAGES)))
    return languages


def _walk_sources(value: object, problems: list[str]) -> list[str] | None:
    if not (isinstance(value, list) and all(isinstance(s, str) for s in value)):
        problems.append("sources: " + _("must be a list of texts"))
        return None
    return [_plain(s, f"sources[{n}]", 500, problems) for n, s in enumerate(value, 1) if s.strip()]


# A walk's editable fields, in the order their problems are listed: field → cleaner(value, problems).
WALK_CLEANERS: dict[str, Cleaner] = {
    "title": _walk_texts("title"),
    "intro": _walk_texts("intro"),
    "city": _city,
    "country": lambda value, problems: _plain(value, "country", 2, problems, one_line=True).upper(),
    "default_language": lambda value, problems: _one_of(value, LANGUAGES, "default_language", problems),
    "notes": lambda value, problems: _plain(value, "notes", 20000, problems),
    "license": lambda value, problems: _one_of(value, LICENSES, "license", problems),
    "attribution": lambda value, problems: _plain(value, "attribution", 500, problems),
    "path_accuracy": lambda value, problems: _one_of(value, PATH_ACCURACIES, "path_accuracy", problems),
    "languages": _walk_languages,
    "sources": _walk_sources,
}


def _one_of(value: object, allowed: Sequence[str], field: str, problems: list[str]) -> object:
    """Return `value`, noting a problem unless it is one of `allowed`."""
    if value not in allowed:
        problems.append(f"{field}: " + _("must be one of %(values)s", values=", ".join(allowed)))
    return value
