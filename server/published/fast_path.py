"""Serve the published documents straight from memory, before Flask sees the request.

The public documents are the hottest URLs of the site (every tourist's phone asks for them, often
only to hear "304 Not Modified"). They are bytes rendered at publication, so answering them needs
no routing, no session and no template: this small WSGI layer does only lookup, conditional and
compression negotiation, which is what lets one process answer many thousands of them a second.
"""

import json
import re
from collections.abc import Iterable
from urllib.parse import parse_qs
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from sqlalchemy.exc import SQLAlchemyError

from ..error_caching import RETRY_AFTER_SECONDS, error_cache_control
from ..security import API_HEADERS, CORS_HEADERS, PREFLIGHT_HEADERS
from .answers import accepts_gzip, etag_matches
from .store import WALK_URL, PublishedDocuments, ServedDocument

# The query parameters each document accepts; anything else is a 400 that says so.
ACCEPTED_PARAMETERS = {"gpx": {"lang"}}


class PublishedDocumentsMiddleware:
    """WSGI layer answering GET/HEAD on /api/walks[...] from `PublishedDocuments`."""

    def __init__(self, app: WSGIApplication, documents: PublishedDocuments, max_age: int) -> None:
        self.app = app
        self.documents = documents
        self.max_age = max_age  # of the documents, and of the 404s saying a walk is not published

    def answers_from_memory(self, environ: WSGIEnvironment) -> bool:
        """True if this layer answers the request itself, now, without waiting on the database."""
        return (
            environ["REQUEST_METHOD"] in ("GET", "HEAD", "OPTIONS")
            and self.documents.is_fresh()
            and WALK_URL.match(environ.get("PATH_INFO", "")) is not None
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/api/walks"):
            return self.app(environ, start_response)
        # Hot path: a plain GET/HEAD of a stored URL is one dict lookup away from its answer.
        if not environ.get("QUERY_STRING") and environ["REQUEST_METHOD"] in ("GET", "HEAD"):
            try:
                document = self.documents.get(path)
            except SQLAlchemyError:
                return self._unavailable(environ, start_response)
            if document is not None and document.direct:
                return _send(environ, start_response, document)
        match = WALK_URL.match(path)
        if match is None:
            return self.app(environ, start_response)
        if environ["REQUEST_METHOD"] == "OPTIONS":  # a browser's CORS preflight (e.g. for If-None-Match)
            start_response("204 No Content", [("Allow", "GET, HEAD, OPTIONS"), *CORS_HEADERS, *PREFLIGHT_HEADERS])
            return [b""]
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return _error(
                start_response,
                "405 Method Not Allowed",
                "method_not_allowed",
                "This URL is read-only: use GET.",
                [("Allow", "GET, HEAD")],
            )
        walk, kind = match["walk"], match["document"]
        url, problem = _document_url(environ.get("QUERY_STRING", ""), environ["PATH_INFO"].rstrip("/"), kind)
        if problem:
            return _error(start_response, "400 Bad Request", "bad_request", problem)
        try:
            held = self.documents.current()
        except SQLAlchemyError:
            return self._unavailable(environ, start_response)
        document = held.get(url)
        if document is None:
            if walk and held.get(f"/api/walks/{walk}") is not None:
                return _error(
                    start_response,
                    "400 Bad Request",
                    "bad_request",
                    "That language is not one of this walk's languages.",
                )
            return _error(
                start_response,
                "404 Not Found",
                "not_found",
                f"There is no published walk called '{walk}'." if walk else "Nothing is published yet.",
                cache_control=error_cache_control(environ["REQUEST_METHOD"], path, 404, self.max_age),
            )
        return _send(environ, start_response, document)

    def _unavailable(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        return _error(
            start_response,
            "503 Service Unavailable",
            "unavailable",
            "The walks cannot be read right now (database unreachable). Try again shortly.",
            [("Retry-After", str(RETRY_AFTER_SECONDS))],
            cache_control=error_cache_control(environ["REQUEST_METHOD"], environ["PATH_INFO"], 503, self.max_age),
        )


def _document_url(query: str, path: str, kind: str | None) -> tuple[str, str | None]:
    """Return the stored document's URL for this request, or a message saying what is wrong."""
    try:
        params = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query), max_num_fields=10)
    except ValueError:
        return path, "The query string could not be read."
    accepted = ACCEPTED_PARAMETERS.get(kind or "", set())
    for name, values in params.items():
        if name not in accepted:
            allowed = f"It accepts: {', '.join(sorted(accepted))}." if accepted else "It takes no parameters."
            return path, f"Unknown query parameter '{name}'. {allowed}"
        if len(values) > 1:
            return path, f"The query parameter '{name}' is given more than once."
    if "lang" in params:
        lang = params["lang"][0]
        if not re.fullmatch(r"[a-z]{2}", lang):
            return path, f"lang must be a two-letter language code such as nl, en or ja (got '{lang[:20]}')."
        return f"{path}?lang={lang}", None
    return path, None


def _send(environ: WSGIEnvironment, start_response: StartResponse, document: ServedDocument) -> list[bytes]:
    """The WSGI twin of `send_bytes`, with each document's headers prepared at load time."""
    if accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")):
        etag, not_modified, headers, body = (
            document.gzip_etag,
            document.gzip_not_modified,
            document.gzip_headers,
            document.gzip_body,
        )
    else:
        etag, not_modified, headers, body = (
            document.etag,
            document.plain_not_modified,
            document.plain_headers,
            document.body,
        )
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match and (if_none_match == etag or etag_matches(if_none_match, etag)):
        start_response("304 Not Modified", not_modified)
        return [b""]
    start_response("200 OK", headers)
    return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _error(
    start_response: StartResponse,
    status: str,
    code: str,
    message: str,
    extra: Iterable[tuple[str, str]] = (),
    cache_control: str | None = None,
) -> list[bytes]:
    """Answer a JSON error; in English only, so no Vary: its bytes are the same for every client."""
    body = json.dumps({"error": code, "message": message}).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", cache_control or "no-store"),
            *CORS_HEADERS,
            *API_HEADERS,
            *extra,
        ],
    )
    return [body]
