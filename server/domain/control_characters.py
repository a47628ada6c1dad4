"""Characters no text Kotoji stores may hold, and the sentence that says which one a text holds.

C0 control characters are invalid in XML (every GPS app refuses the GPX), PostgreSQL refuses NUL in
text, a lone surrogate cannot be encoded at all, and U+FFFE/U+FFFF are not characters. Tab, line
feed and carriage return stay allowed in texts that have lines; a one-line text refuses them too.
"""

import re

from .languages import LANGUAGES
from .messages import _

_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_IN_LINE = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text: str, one_line: bool = False) -> str | None:
    """Return the first character of `text` that may not be stored, or None."""
    match = (_NOT_IN_LINE if one_line else _NOT_IN_TEXT).search(text)
    return match[0] if match else None


def describe(character: str) -> str:
    """Name the kind of character, e.g. 'a control character (U+0001)'."""
    code = ord(character)
    if character in "\n\r":
        kind = _("a line break")
    elif 0xD800 <= code <= 0xDFFF:
        kind = _("a lone surrogate")
    elif code in (0xFFFE, 0xFFFF):
        kind = _("a non-character")
    else:
        kind = _("a control character")
    return f"{kind} (U+{code:04X})"


def character_problem(text: str, label: str, one_line: bool = False) -> str | None:
    """Return '<label>: contains ... (U+XXXX)' when `text` holds a character that may not be stored."""
    character = forbidden_character(text, one_line)
    if character is None:
        return None
    if one_line and character in "\t\n\r":
        return f"{label}: " + _("contains %(character)s; this text is a single line", character=describe(character))
    return f"{label}: " + _("contains %(character)s; remove it", character=describe(character))


def nested_character_problems(value: object, label: str = "") -> list[str]:
    """Name every text inside `value` (objects and lists, as stored or read from a file) that holds one."""
    if isinstance(value, str):
        problem = character_problem(value, label or "text")
        return [problem] if problem else []
    if isinstance(value, dict):
        items = [
            (f"{label} ({key})" if key in LANGUAGES else f"{label}.{key}" if label else str(key), item)
            for key, item in value.items()
        ]
    elif isinstance(value, list):
        items = [(f"{label}[{n}]", item) for n, item in enumerate(value, start=1)]
    else:
        return []
    return [problem for item_label, item in items for problem in nested_character_problems(item, item_label)]
