"""The languages Kotoji speaks and how a text falls back from one to another."""

from collections.abc import Mapping, Sequence

LANGUAGES = ("nl", "en", "ja")

# A missing text falls back field by field: a Japanese reader gets English before Dutch.
FALLBACK = {"ja": ("ja", "en", "nl"), "en": ("en", "nl", "ja"), "nl": ("nl", "en", "ja")}


def pick_text(texts: Mapping[str, str] | None, language: str) -> str:
    """Return the text in `language`, or the first fallback that has one, or ''."""
    texts = texts or {}
    for candidate in FALLBACK.get(language, LANGUAGES):
        if texts.get(candidate):
            return texts[candidate]
    return ""


def missing_languages(texts: Mapping[str, object] | None, languages: Sequence[str] = LANGUAGES) -> list[str]:
    """Return the languages in which `texts` has no (non-blank) text."""
    texts = texts if isinstance(texts, dict) else {}
    return [lang for lang in languages if not str(texts.get(lang) or "").strip()]


def ruby_parts(name: str, reading: str) -> tuple[str, str]:
    """Split a Japanese name into the part its reading belongs to and the rest.

    A reading covers the name up to a full-width parenthesis: 徽軫灯籠（シタデル公園） reads ことじとうろう
    over 徽軫灯籠 only, so <ruby> places the kana over the right characters.
    """
    if not reading:
        return "", name
    base, bracket, rest = name.partition("（")
    return base, bracket + rest
