"""URL numbers: one spelling per number, and never more than the database can hold.

Werkzeug's own `int` converter takes `/15/000123`, `/15/0123` and non-ASCII digits as 123: every
spelling would be a new URL to cache (server/immutable_responses.py) for the same answer. And an id
beyond PostgreSQL's INTEGER is a database error (a 500) where SQLite simply finds nothing.
Replacing `int` for the whole app makes all of those a plain 404, before any view runs.
"""

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column


def parse_id(text: str | None) -> int | None:
    """Return the number `text` spells as Python writes it (ASCII digits, no leading zero) up to MAX_ID."""
    if not text or len(text) > 10 or not text.isascii() or not text.isdigit() or text != str(int(text)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class CanonicalInteger(IntegerConverter):
    """`<int:...>` for the whole app: any other spelling of a number is a 404, whatever the method."""

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            # NotFound, not ValidationError: that would let the catch-all GET route answer 405 to a PUT.
            raise NotFound(
                "There is no such page or file: numbers in URLs are written without leading "
                f"zeros and are at most {MAX_ID}."
            )
        return number


def init_app(app: Flask) -> None:
    """Use the canonical converter for `<int:...>` in every route registered after this."""
    app.url_map.converters["int"] = CanonicalInteger
