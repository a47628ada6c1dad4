"""Validate what an editor sends for a stop or a walk: every problem is found, each names its field.

Plain-text fields refuse markup; rich text refuses anything dangerous outright (rather than
quietly dropping it) and is stored sanitized by the allow-list.
"""

import math
import re
from collections.abc import Collection, Sequence

from sqlalchemy.orm import Session

from ..control_characters import character_problem
from ..errors import NotFound, ValidationError
from ..geometry import distance_m, valid_position
from ..json_types import JSONObject, Texts
from ..languages import LANGUAGES
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
        problems.append(f"{label}: must be text")
        return ""
    value = value.strip()
    bad_character = character_problem(value, label, one_line)
    if bad_character:
        problems.append(bad_character)
    elif MARKUP.search(value):
        problems.append(f"{label}: plain text only; remove the markup (< followed by a letter)")
    if len(value) > limit:
        problems.append(f"{label}: at most {limit} characters (got {len(value)})")
    return value


def _texts(value: object, label: str, limit: int, problems: list[str], one_line: bool = False) -> Texts:
    """Validate {lang: plain text}; blank texts are dropped so 'missing' means missing."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{label}: must be an object of texts per language")
        return {}
    clean: Texts = {}
    for lang, text in value.items():
        if lang not in LANGUAGES:
            problems.append(f"{label}: unknown language '{str(lang)[:10]}' (use {', '.join(LANGUAGES)})")
            continue
        text = _plain(text, f"{label} ({lang})", limit, problems, one_line)
        if text:
            clean[lang] = text
    return clean


def _rich_texts(value: object, label: str, problems: list[str]) -> Texts:
    if not isinstance(value, dict):
        problems.append(f"{label}: must be an object of texts per language")
        return {}
    clean: Texts = {}
    for lang, html in value.items():
        if lang not in LANGUAGES or not isinstance(html, str):
            problems.append(f"{label} ({str(lang)[:10]}): must be text in one of {', '.join(LANGUAGES)}")
            continue
        if len(html) > BODY_LIMIT:
            problems.append(f"{label} ({lang}): at most {BODY_LIMIT} characters")
            continue
        bad_character = character_problem(html, f"{label} ({lang})")
        if bad_character:
            problems.append(bad_character)
            continue
        if _dangerous_html(html):
            problems.append(
                f"{label} ({lang}): scripts, event handlers, embedded objects and "
                "javascript:/data: links are not allowed in a story"
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
            problems.append(f"{label}: must be a number (got {text[:30]!r})")
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        problems.append(f"{label}: must be a number")
        return None
    if not low <= value <= high:
        problems.append(f"{label}: must be between {low} and {high} (got {value})")
        return None
    return float(value)


def _media(
    session: Session, item: object, label: str, kinds: Collection[str], problems: list[str]
) -> JSONObject | None:
    name = item.get("media") if isinstance(item, dict) else None
    if not isinstance(item, dict) or not isinstance(name, str) or not MEDIA_NAME.match(name):
        problems.append(f"{label}: media must name an uploaded file")
        return None
    media = session.get(Media, name.split(".")[0])
    if media is None or media.extension != name.split(".")[1] or media.extension not in kinds:
        problems.append(f"{label}: {name} is not an uploaded {'image' if kinds == IMAGE_EXTENSIONS else 'audio'} file")
        return None
    file = item.get("file") or f"media/{name}"
    if not isinstance(file, str) or not MEDIA_FILE.match(file) or ".." in file:
        problems.append(f"{label}: file must be a plain name under media/ (got {str(file)[:60]!r})")
        return None
    return {"media": name, "file": file}


def _images(session: Session, value: object, problems: list[str]) -> list[JSONObject]:
    if not isinstance(value, list):
        problems.append("images: must be a list")
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
        problems.append("audio: must be an object per language")
        return {}
    audio: JSONObject = {}
    for lang, item in value.items():
        if lang not in LANGUAGES:
            problems.append(f"audio: unknown language '{str(lang)[:10]}'")
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
        problems.append("twin: must be '<walk>/<stop>' or empty")
        return None
    if parts[0] == walk.slug:
        problems.append("twin: a twin stands in the other city's walk, not this one")
        return None
    try:
        return get_stop(session, *parts)
    except NotFound:  # say it in the field's words
        problems.append(f"twin: there is no stop '{value}'")
        return None


def clean_stop_fields(session: Session, walk: Walk, data: object) -> JSONObject:
    """Return the validated fields of a stop from `data`; raise ValidationError listing every problem."""
    if not isinstance(data, dict):
        raise ValidationError(["the stop must be sent as a JSON object"])
    problems = [f"{key}: is not a field an editor can change" for key in data if key not in STOP_EDITABLE]
    clean: JSONObject = {}
    if "lat" in data or "lon" in data:
        lat = _number(data.get("lat"), "lat (latitude)", -90, 90, problems)
        lon = _number(data.get("lon"), "lon (longitude)", -180, 180, problems)
        if lat is not None and lon is not None and valid_position(lon, lat):
            if walk.path and distance_m((lon, lat), tuple(walk.path[0][:2])) > MAX_STOP_TO_WALK_M:
                problems.append(
                    f"lat/lon: the position lies more than {MAX_STOP_TO_WALK_M // 1000} km from the "
                    "walk's start: are latitude and longitude swapped?"
                )
            clean["lat"], clean["lon"] = round(lat, 7), round(lon, 7)
    if "position_confidence" in data:
        if data["position_confidence"] not in CONFIDENCES:
            problems.append(f"position_confidence: must be one of {', '.join(CONFIDENCES)}")
        clean["position_confidence"] = data["position_confidence"]
    if "trigger_radius_m" in data:
        radius = _number(data["trigger_radius_m"], "trigger_radius_m", *TRIGGER_RADIUS_M, problems)
        if radius is not None:
            if radius != int(radius):
                problems.append("trigger_radius_m: must be a whole number of metres")
            clean["trigger_radius_m"] = int(radius)
    for name in ("name", "name_reading", "summary", "accessibility"):
        if name in data:
            clean[name] = _texts(data[name], name, TEXT_LIMITS[name], problems, one_line=name in ONE_LINE)
    if "body" in data:
        clean["body"] = _rich_texts(data["body"], "body", problems)
    for name, limit in (("address", 300), ("opening_hours", 300), ("staff_note", 5000)):
        if name in data:
            clean[name] = _plain(data[name], name, limit, problems)
    if "status" in data:
        if data["status"] not in STATUSES:
            problems.append(f"status: must be one of {', '.join(STATUSES)}")
        clean["status"] = data["status"]
    if clean.get("opening_hours"):
        problems += opening_hours_problems(clean["opening_hours"], "opening_hours")
    if "name_reading" in clean:
        problems += reading_problems(
            (clean.get("name") or {}).get("ja"), clean["name_reading"].get("ja"), "name_reading (ja)"
        )
    if "sources" in data:
        clean["sources"], source_problems = clean_sources(data["sources"], "sources")
        problems += source_problems
    if "images" in data:
        clean["images"] = _images(session, data["images"], problems)
    if "audio" in data:
        clean["audio"] = _audio(session, data["audio"], problems)
    if "twin" in data:
        clean["twin"] = _twin(session, data["twin"], walk, problems)
    if problems:
        raise ValidationError(problems)
    return clean


def clean_walk_fields(data: object) -> JSONObject:
    """Return the validated editable fields of a walk; raise ValidationError listing every problem."""
    if not isinstance(data, dict):
        raise ValidationError(["the walk must be sent as a JSON object"])
    problems = [f"{key}: is not a field an editor can change here" for key in data if key not in WALK_EDITABLE]
    clean: JSONObject = {}
    for name in ("title", "intro"):
        if name in data:
            clean[name] = _texts(data[name], name, TEXT_LIMITS[name], problems, one_line=name in ONE_LINE)
    if "city" in data:
        clean["city"] = _plain(data["city"], "city", 120, problems, one_line=True)
        if not clean["city"]:
            problems.append("city: is required")
    if "country" in data:
        clean["country"] = _plain(data["country"], "country", 2, problems, one_line=True).upper()
    if "default_language" in data:
        clean["default_language"] = _one_of(data["default_language"], LANGUAGES, "default_language", problems)
    if "notes" in data:
        clean["notes"] = _plain(data["notes"], "notes", 20000, problems)
    if "license" in data:
        clean["license"] = _one_of(data["license"], LICENSES, "license", problems)
    if "attribution" in data:
        clean["attribution"] = _plain(data["attribution"], "attribution", 500, problems)
    if "path_accuracy" in data:
        clean["path_accuracy"] = _one_of(data["path_accuracy"], PATH_ACCURACIES, "path_accuracy", problems)
    if "languages" in data:
        chosen = data["languages"] if isinstance(data["languages"], list) else []
        clean["languages"] = [lang for lang in LANGUAGES if lang in chosen]
        if not clean["languages"] or len(clean["languages"]) != len(set(map(str, chosen))):
            problems.append(f"languages: choose one or more of {', '.join(LANGUAGES)}")
    if "sources" in data:
        sources = data["sources"]
        if not (isinstance(sources, list) and all(isinstance(s, str) for s in sources)):
            problems.append("sources: must be a list of texts")
        else:
            clean["sources"] = [
                _plain(s, f"sources[{n}]", 500, problems) for n, s in enumerate(sources, 1) if s.strip()
            ]
    if problems:
        raise ValidationError(problems)
    return clean


def _one_of(value: object, allowed: Sequence[str], field: str, problems: list[str]) -> object:
    """Return `value`, noting a problem unless it is one of `allowed`."""
    if value not in allowed:
        problems.append(f"{field}: must be one of {', '.join(allowed)}")
    return value
