"""The one reader of JSON request bodies for the editor and the guide tools.

The body is parsed once (the 412 answer reuses it); anything but a JSON object of modest depth is
refused with a 422 that says what was wrong, before any view sees it.
"""

from flask import g, request

from .domain.errors import ValidationError
from .domain.json_input import parse_json_object
from .domain.json_types import JSONObject


def json_body(what: str = "the request body") -> JSONObject:
    """Return the request's JSON object; raise ValidationError (422) naming the problem."""
    if "json_body" not in g:
        g.json_body = None
        if not request.is_json:
            raise ValidationError([f"{what}: send JSON (Content-Type: application/json)"])
        g.json_body = parse_json_object(request.get_data(cache=True), what)
    if g.json_body is None:
        raise ValidationError([f"{what}: not a JSON object"])
    body: JSONObject = g.json_body
    return body


def json_body_if_any() -> JSONObject | None:
    """Return the JSON object body already read (or readable) without raising, else None."""
    try:
        return json_body()
    except ValidationError:
        return None
