"""Answer OGC items (JSON) from prepared bytes before Flask: the GIS tools' hottest URLs.

Only what can be answered right away is answered here: a GET/HEAD of a published walk's items or of
one of its stops, with a valid query, for a client that wants JSON. Everything else (HTML pages,
mistakes, unknown walks) goes on to Flask, which gives the same answers it always gave.
"""

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import parse_qsl
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_accept_header

from ..domain.errors import DomainError
from ..domain.languages import LANGUAGES
from ..domain.ogc.query import Query, parse_query
from ..security import API_HEADERS, CORS_HEADERS
from .answers import accepts_gzip, etag_matches
from .ogc_answers import OgcItems

ITEMS_URL = re.compile(r"^/ogc/collections/(?P<walk>[^/]+)/items(?:/(?P<stop>[^/]+))?$")
VARY = "Accept-Encoding, Accept, Accept-Language"  # as send_bytes writes it
BaseUrl = Callable[
    [WSGIEnvironment], "str | None"
]  # environ -> the origin for links, None when Flask must judge the host


class OgcItemsMiddleware:
    """WSGI layer answering JSON items and items/<stop> from `OgcItems`."""

    def __init__(self, app: WSGIApplication, items: OgcItems, base_url: BaseUrl, max_age: int) -> None:
        self.app = app
        self.items = items
        self.base_url = base_url
        self.cache_control = f"public, max-age={max_age}"  # as the OGC blueprint's answers

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/ogc/collections/") or environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        match = ITEMS_URL.match(path)
        query = match and read_query("item" if match["stop"] else "items", environ.get("QUERY_STRING", ""))
        if not query or match is None or wants_html(query.format, environ.get("HTTP_ACCEPT", "")):
            return self.app(environ, start_response)
        base_url = self.base_url(environ)
        try:
            found = base_url and self.items.find(match["walk"], match["stop"], query, base_url)
        except SQLAlchemyError:
            found = None  # nothing loaded yet and no database: Flask answers the 503
        if not found:  # no such walk or stop, a host to check, or no database: Flask says which
            return self.app(environ, start_response)
        key, tag = found
        packed = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
        etag = f'"{tag}-gz"' if packed else f'"{tag}"'
        lang = query.lang or best_language(environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        headers = [("ETag", etag), ("Cache-Control", self.cache_control), ("Vary", VARY), *CORS_HEADERS]
        if lang:
            headers.append(("Content-Language", lang))
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and etag_matches(if_none_match, etag):
            start_response("304 Not Modified", headers)
            return [b""]
        answer = self.items.answer(key, query)
        if answer is None:
            return self.app(environ, start_response)
        body = answer.gzip_body if packed else answer.body
        headers += [("Content-Type", "application/geo+json"), ("Content-Length", str(len(body))), *API_HEADERS]
        if packed:
            headers.append(("Content-Encoding", "gzip"))
        start_response("200 OK", headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


@lru_cache(maxsize=1024)  # GIS tools repeat the same few queries; bounded against odd ones
def read_query(kind: str, query_string: str) -> Query | None:
    """Return the checked query as the OGC blueprint reads it, or None (Flask then says what is wrong)."""
    args: dict[str, list[str]] = {}
    try:  # WSGI gives the query as latin-1 text; Werkzeug reads its bytes as UTF-8
        pairs = parse_qsl(query_string.encode("latin-1").decode(), keep_blank_values=True, errors="werkzeug.url_quote")
        for name, value in pairs:
            args.setdefault(name, []).append(value)
        return parse_query(kind, args)
    except (UnicodeError, DomainError):
        return None


@lru_cache(maxsize=256)
def wants_html(format: str | None, accept: str) -> bool:
    """Tell whether the client wants the HTML page, as the OGC blueprint decides it."""
    if format:
        return format == "html"
    best = parse_accept_header(accept, MIMEAccept).best_match(["application/json", "application/geo+json", "text/html"])
    return best == "text/html"


@lru_cache(maxsize=256)
def best_language(accept_language: str) -> str | None:
    return parse_accept_header(accept_language, LanguageAccept).best_match(LANGUAGES)
