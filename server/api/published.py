"""Serve the published documents straight from memory, before Flask sees the request.

The public documents are the hottest URLs of the site (every tourist's phone asks for them, often
only to hear "304 Not Modified"). They are bytes rendered at publication, so answering them needs
no routing, no session and no template: this small WSGI layer does only lookup, conditional and
compression negotiation, which is what lets one process answer many thousands of them a second.
"""

import json
import logging
import re
import threading
import time
from urllib.parse import parse_qs

from sqlalchemy.exc import SQLAlchemyError

from ..domain.publishing import load_published_documents, publication_counter
from ..security import API_HEADERS

log = logging.getLogger(__name__)

WALK_URL = re.compile(r"^/api/walks(?:/(?P<walk>[^/]+)(?:/(?P<document>stops|path|gpx|offline))?)?/?$")
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600"
# The query parameters each document accepts; anything else is a 400 that says so.
ACCEPTED_PARAMETERS = {"gpx": {"lang"}}


class ServedDocument:
    """One published document with its two representations and their headers, ready to send."""

    def __init__(self, record):
        self.body = record.body
        self.gzip_body = record.gzip_body
        self.etag = f'"{record.sha256[:32]}"'
        self.gzip_etag = f'"{record.sha256[:32]}-gz"'
        common = [("Content-Type", _with_charset(record.content_type)), ("Cache-Control", CACHE_CONTROL),
                  ("Vary", "Accept-Encoding"), ("Access-Control-Allow-Origin", "*"), *API_HEADERS]
        self.plain_headers = common + [("ETag", self.etag), ("Content-Length", str(len(self.body)))]
        self.gzip_headers = common + [("ETag", self.gzip_etag), ("Content-Encoding", "gzip"),
                                      ("Content-Length", str(len(self.gzip_body)))]
        self.plain_not_modified = [h for h in self.plain_headers if h[0] != "Content-Length"]
        self.gzip_not_modified = [h for h in self.gzip_headers if h[0] not in ("Content-Length", "Content-Encoding")]


def _with_charset(content_type: str) -> str:
    return content_type if content_type == "application/geo+json" else f"{content_type}; charset=utf-8"


class PublishedDocuments:
    """This process's copy of the published documents, reloaded when anything is published."""

    def __init__(self, sessions, check_seconds: float):
        self._sessions = sessions
        self._check_seconds = check_seconds
        self._documents: dict[str, ServedDocument] = {}
        self._counter = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def get(self, url: str) -> ServedDocument | None:
        if time.monotonic() - self._checked_at >= self._check_seconds:
            self.refresh()
        return self._documents.get(url)

    @property
    def loaded(self) -> bool:
        return self._counter is not None

    def refresh(self) -> None:
        """Reload the documents if the publication counter moved since the last look."""
        with self._lock:
            try:
                with self._sessions() as session:
                    counter = publication_counter(session)
                    if counter != self._counter:
                        records = load_published_documents(session)
                        self._documents = {url: ServedDocument(r) for url, r in records.items()}
                        self._counter = counter
            except SQLAlchemyError as exc:
                # Keep serving what we have: published documents stay true while the database is away.
                log.warning("could not check for new publications: %s", exc)
                if self._counter is None:
                    raise
            self._checked_at = time.monotonic()


class PublishedDocumentsMiddleware:
    """WSGI layer answering GET/HEAD on /api/walks[...] from `PublishedDocuments`."""

    def __init__(self, app, documents: PublishedDocuments):
        self.app = app
        self.documents = documents

    def __call__(self, environ, start_response):
        match = WALK_URL.match(environ.get("PATH_INFO", ""))
        if match is None:
            return self.app(environ, start_response)
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return _error(start_response, "405 Method Not Allowed", "method_not_allowed",
                          "This URL is read-only: use GET.", [("Allow", "GET, HEAD")])
        walk, kind = match["walk"], match["document"]
        url, problem = _document_url(environ.get("QUERY_STRING", ""), environ["PATH_INFO"].rstrip("/"), kind)
        if problem:
            return _error(start_response, "400 Bad Request", "bad_request", problem)
        try:
            document = self.documents.get(url)
        except SQLAlchemyError:
            return _error(start_response, "503 Service Unavailable", "unavailable",
                          "The walks cannot be read right now (database unreachable). Try again shortly.",
                          [("Retry-After", "5")])
        if document is None:
            if walk and self.documents.get(f"/api/walks/{walk}") is not None:
                return _error(start_response, "400 Bad Request", "bad_request",
                              "That language is not one of this walk's languages.")
            return _error(start_response, "404 Not Found", "not_found",
                          f"There is no published walk called '{walk}'." if walk else "Nothing is published yet.")
        return _send(environ, start_response, document)


def _document_url(query: str, path: str, kind: str | None) -> tuple[str, str | None]:
    """Return the stored document's URL for this request, or a message saying what is wrong."""
    try:
        params = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query), max_num_fields=10)
    except ValueError:
        return path, "The query string could not be read."
    accepted = ACCEPTED_PARAMETERS.get(kind, set())
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


def _accepts_gzip(environ) -> bool:
    for part in environ.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as RFC 9110 prescribes for If-None-Match."""
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def _send(environ, start_response, document: ServedDocument):
    gzip = _accepts_gzip(environ)
    etag = document.gzip_etag if gzip else document.etag
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match and _matches(if_none_match, etag):
        start_response("304 Not Modified", document.gzip_not_modified if gzip else document.plain_not_modified)
        return [b""]
    start_response("200 OK", document.gzip_headers if gzip else document.plain_headers)
    if environ["REQUEST_METHOD"] == "HEAD":
        return [b""]
    return [document.gzip_body if gzip else document.body]


def _error(start_response, status: str, code: str, message: str, extra=()):
    body = json.dumps({"error": code, "message": message}).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store"), *API_HEADERS, *extra])
    return [body]
