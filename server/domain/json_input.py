"""Read JSON that comes from outside (request bodies, imported files, bundles) without trusting its shape.

Python's parser recurses once per level, so `[` repeated a thousand times would raise RecursionError
deep in a request; no document Kotoji takes is more than a dozen levels deep, so more is refused.
"""

import json
from typing import Any, NoReturn

from .errors import ValidationError

MAX_DEPTH = 20


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def nesting_depth(value: object) -> int:
    """Return how deeply lists and objects nest in `value` (a number or text is depth 0)."""
    depth, level = 0, [value]
    while True:
        containers = [item for item in level if isinstance(item, (list, dict))]
        if not containers:
            return depth
        depth += 1
        level = [child for item in containers for child in (item.values() if isinstance(item, dict) else item)]


def json_problem(raw: bytes | str, max_depth: int = MAX_DEPTH) -> tuple[object, str | None]:
    """Return (the parsed value, None), or (None, why it is not acceptable JSON)."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        value = json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        return None, "not valid JSON (not UTF-8 text)"
    except RecursionError:
        return None, f"not valid JSON (nested more than {max_depth} levels deep)"
    except ValueError as exc:  # JSONDecodeError is a ValueError, as is a refused NaN
        return None, f"not valid JSON ({str(exc)[:200]})"
    if nesting_depth(value) > max_depth:
        return None, f"not valid JSON (nested more than {max_depth} levels deep)"
    return value, None


def parse_json(raw: bytes | str, what: str, max_depth: int = MAX_DEPTH) -> object:
    """Return the JSON value in `raw`; raise ValidationError '<what>: not valid JSON (...)'."""
    value, problem = json_problem(raw, max_depth)
    if problem:
        raise ValidationError([f"{what}: {problem}"])
    return value


def parse_json_object(raw: bytes | str, what: str, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """Return the JSON object in `raw`; refuse anything else (a list, a text, a number) naming `what`."""
    value = parse_json(raw, what, max_depth)
    if not isinstance(value, dict):
        raise ValidationError([f"{what}: must be a JSON object {{...}}, not {_kind(value)}"])
    return value


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {list: "a list", str: "a text", bool: "true/false", int: "a number", float: "a number"}[type(value)]
