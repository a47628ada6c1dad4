"""Three-way merge after a stale save: the version both editors started from decides who changed what.

A field (or one language of a text field) changed on one side only is taken from that side without a
question; only a field both sides changed differently is a conflict, and a conflict has no default.
"""

from collections.abc import Iterable
from typing import Any

from ..languages import LANGUAGES
from ..messages import N_, _

Unit = tuple[str, str | None]

# Texts per language are merged language by language; latitude and longitude travel together.
PER_LANGUAGE = {"name", "name_reading", "summary", "body", "accessibility", "audio", "title", "intro"}
RICH = {"body"}
FIELD_WORDS = {
    "name": N_("name"),
    "name_reading": N_("reading"),
    "summary": N_("summary"),
    "body": N_("story"),
    "accessibility": N_("accessibility notes"),
    "audio": N_("audio"),
    "title": N_("title"),
    "intro": N_("introduction"),
    "position": N_("position"),
    "position_confidence": N_("position confidence"),
    "trigger_radius_m": N_("trigger radius"),
    "address": N_("address"),
    "opening_hours": N_("opening hours"),
    "images": N_("images"),
    "status": N_("status"),
    "staff_note": N_("staff note"),
    "twin": N_("twin stop"),
    "city": N_("city"),
    "country": N_("country"),
    "default_language": N_("default language"),
    "notes": N_("notes"),
    "sources": N_("sources"),
}
LANGUAGE_WORDS = {"nl": N_("Dutch"), "en": N_("English"), "ja": N_("Japanese")}


def field_label(field: str, lang: str | None = None) -> str:
    """Name a field in words: ('body', 'nl') -> 'Dutch story'."""
    words = _(FIELD_WORDS[field]) if field in FIELD_WORDS else field.replace("_", " ")
    if lang:
        language = _(LANGUAGE_WORDS[lang]) if lang in LANGUAGE_WORDS else lang
        return _("%(language)s %(field)s", language=language, field=words)
    return words[:1].upper() + words[1:]


def _units(state: dict[str, Any], fields: Iterable[str]) -> dict[Unit, Any]:
    """Split a state into mergeable units: {(field, lang or None): value}."""
    units: dict[Unit, Any] = {}
    for field in fields:
        if field == "position":
            if "lat" in state or "lon" in state:
                units[("position", None)] = [state.get("lat"), state.get("lon")]
        elif field not in state:
            continue
        elif field in PER_LANGUAGE:
            value = state[field] or {}
            for lang in LANGUAGES:
                units[(field, lang)] = value.get(lang)
        else:
            units[(field, None)] = state[field]
    return units


def _blank(value: Any) -> Any:
    return None if value in ("", {}, []) else value


def _set(body: dict[str, Any], key: Unit, value: Any) -> None:
    field, lang = key
    if field == "position":
        body["lat"], body["lon"] = value
    elif lang is None:
        body[field] = value
    else:
        texts = dict(body.get(field) or {})
        if _blank(value) is None:
            texts.pop(lang, None)
        else:
            texts[lang] = value
        body[field] = texts


def merge_states(
    base: dict[str, Any] | None, current: dict[str, Any], yours: dict[str, Any], fields: Iterable[str]
) -> dict[str, Any]:
    """Merge `yours` into `current` over the fields an editor can change.

    `yours` holds only what the editor sent (a field not sent is a field not changed). Returns
    {"merged": a body to save over `current`, "conflicts": [...], "theirs": [labels], "mine": [labels]}.
    Without `base` (its revision is unknown) every difference is a conflict.
    """
    fields = list(dict.fromkeys("position" if f in ("lat", "lon") else f for f in fields))
    merged = {f: current[f] for f in fields if f in current and f != "position"}
    if "position" in fields:
        merged["lat"], merged["lon"] = current.get("lat"), current.get("lon")
    base_units = _units(base or {}, fields) if base is not None else None
    current_units, your_units = _units(current, fields), _units(yours, fields)
    conflicts: list[dict[str, Any]] = []
    theirs_taken: list[str] = []
    mine_taken: list[str] = []
    for key, mine in your_units.items():
        theirs = current_units.get(key)
        if _blank(mine) == _blank(theirs):
            continue
        label = field_label(*key)
        old = base_units.get(key) if base_units is not None else object()
        if base_units is not None and _blank(mine) == _blank(old):
            theirs_taken.append(label)  # only they changed it: keep theirs
        elif base_units is not None and _blank(theirs) == _blank(old):
            mine_taken.append(label)  # only you changed it: keep yours
            _set(merged, key, mine)
        else:
            conflicts.append(
                {
                    "field": key[0],
                    "lang": key[1],
                    "label": label,
                    "rich": key[0] in RICH,
                    "base": None if base_units is None else old,
                    "mine": mine,
                    "theirs": theirs,
                }
            )
    for key, theirs in current_units.items():  # fields the editor did not send at all stay theirs
        if key not in your_units and base_units is not None and _blank(theirs) != _blank(base_units.get(key)):
            theirs_taken.append(field_label(*key))
    return {"merged": merged, "conflicts": conflicts, "theirs": theirs_taken, "mine": mine_taken}


def overlay_languages(stored: dict[str, Any], sent: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """Lay texts per language from a file over the stored ones: a language the file leaves out is kept.

    Only an explicit empty string or null for a language (or null for the whole field) empties it.
    """
    result = dict(sent)
    for field in fields:
        if field not in PER_LANGUAGE or field not in sent:
            continue
        value = sent[field]
        if value is None:
            result[field] = {}
        elif isinstance(value, dict):
            texts = dict(stored.get(field) or {})
            for lang, text in value.items():
                if text is None or text == "":
                    texts.pop(lang, None)
                else:
                    texts[lang] = text
            result[field] = texts
    return result


def changed_fields(before: dict[str, Any], after: dict[str, Any], fields: Iterable[str]) -> list[dict[str, Any]]:
    """Name every field (and language) that differs between two states: [{"label", "emptied"}]."""
    fields = list(dict.fromkeys("position" if f in ("lat", "lon") else f for f in fields))
    old, new = _units(before, fields), _units(after, fields)
    return [
        {"label": field_label(*key), "emptied": _blank(old.get(key)) is not None and _blank(value) is None}
        for key, value in new.items()
        if _blank(old.get(key)) != _blank(value)
    ]
