"""Remember whole answers of immutable URLs (media by hash, versioned tiles) in each process.

Those URLs never change meaning, so once Flask has answered one, the same bytes are right forever:
repeating the lookup, the file read or the database query for every phone would only cost time.
Memory stays bounded whatever URLs clients invent: each answer costs its body plus a fixed overhead
for its Python objects, least recently used answers are forgotten past `max_bytes` or `max_entries`,
and empty bodies (tiles without map data) are not kept at all: they cost nothing to answer again.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TypedDict
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from .answers import accepts_gzip, etag_matches
from .byte_ranges import ByteRange, Unsatisfiable, requested_range

IMMUTABLE_PREFIXES = ("/media/", "/tiles/")
# What a 304 repeats of the stored answer (RFC 9110 15.4.5).
NOT_MODIFIED_HEADERS = {"etag", "cache-control", "vary", "access-control-allow-origin", "access-control-expose-headers"}
# What one remembered answer costs beside its body and path: its key, headers, 304 headers and the
# dictionary's node (measured about 0.9 KB with tracemalloc and 1.9 KB in a worker's RSS).
ENTRY_OVERHEAD_BYTES = 2048


class _Started(TypedDict, total=False):
    """What the app passed to start_response."""

    status: str
    headers: list[tuple[str, str]]


class StoredAnswer:
    def __init__(self, headers: list[tuple[str, str]], body: bytes) -> None:
        self.size = 0  # set when remembered: what it counts against the budget
        self.headers = headers
        self.body = body
        self.etag = next((v for k, v in headers if k.lower() == "etag"), None)
        self.not_modified = [(k, v) for k, v in headers if k.lower() in NOT_MODIFIED_HEADERS]
        self.takes_ranges = any(k.lower() == "accept-ranges" and v == "bytes" for k, v in headers)


def _key(environ: WSGIEnvironment) -> tuple[str, bool] | None:
    """The stored answer's key for a plain GET of an immutable URL; None for any other request."""
    path = environ.get("PATH_INFO", "")
    if environ["REQUEST_METHOD"] != "GET" or environ.get("QUERY_STRING") or not path.startswith(IMMUTABLE_PREFIXES):
        return None
    return path, accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))


class ImmutableResponses:
    """WSGI layer answering GETs of immutable URLs from memory once Flask has answered them once."""

    def __init__(self, app: WSGIApplication, max_bytes: int, max_entries: int):
        self.app = app
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._answers: OrderedDict[tuple[str, bool], StoredAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def answers_from_memory(self, environ: WSGIEnvironment) -> bool:
        """True if this request's answer is stored already: no file, no database, no waiting."""
        key = _key(environ)
        return key is not None and key in self._answers

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        key = _key(environ)
        if key is None:
            return self.app(environ, start_response)
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
        if answer is None:
            answer = self._ask_app(environ)
            if answer is None:  # not an immutable 200 (an error, say): let the app answer as usual
                return self.app(environ, start_response)
            if answer.body:
                self._remember(key, answer)
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and answer.etag and etag_matches(if_none_match, answer.etag):
            start_response("304 Not Modified", answer.not_modified)
            return [b""]
        if answer.takes_ranges and environ.get("HTTP_RANGE"):
            return _send_range(environ, start_response, answer)
        start_response("200 OK", answer.headers)
        return [answer.body]

    def _ask_app(self, environ: WSGIEnvironment) -> StoredAnswer | None:
        # The whole answer, unconditionally: this layer applies If-None-Match and Range to it itself.
        asked_away = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE", "HTTP_IF_RANGE")
        environ = {k: v for k, v in environ.items() if k not in asked_away}
        captured: _Started = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            captured["status"], captured["headers"] = status, headers
            return _no_write

        chunks = self.app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        headers = captured.get("headers", [])
        cache_control = next((v for k, v in headers if k.lower() == "cache-control"), "")
        if (
            not captured.get("status", "").startswith("200")
            or "immutable" not in cache_control
            or any(k.lower() == "set-cookie" for k, _ in headers)
        ):
            return None
        return StoredAnswer(headers, body)

    @property
    def entries(self) -> int:
        return len(self._answers)

    @property
    def bytes(self) -> int:
        """What the remembered answers cost, by the count that `max_bytes` bounds."""
        return self._bytes

    def _remember(self, key: tuple[str, bool], answer: StoredAnswer) -> None:
        answer.size = len(answer.body) + len(key[0]) + ENTRY_OVERHEAD_BYTES
        if answer.size > self.max_bytes // 8:
            return  # one big file would push out many small ones
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = answer
            self._bytes += answer.size
            while self._bytes > self.max_bytes or len(self._answers) > self.max_entries:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= dropped.size


def _send_range(environ: WSGIEnvironment, start_response: StartResponse, answer: StoredAnswer) -> Iterable[bytes]:
    """The WSGI twin of `answers._answer_range`: one range as 206, beyond the end 416, else the whole 200."""
    part = requested_range(
        environ["HTTP_RANGE"], environ.get("HTTP_IF_RANGE"), (answer.etag or "").strip('"'), len(answer.body)
    )
    if isinstance(part, ByteRange):
        body = part.of(answer.body)
        headers = [(k, v) for k, v in answer.headers if k.lower() != "content-length"]
        start_response(
            "206 Partial Content", [*headers, ("Content-Length", str(len(body))), ("Content-Range", part.content_range)]
        )
        return [body]
    if isinstance(part, Unsatisfiable):
        start_response(
            "416 Range Not Satisfiable",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(part.message))),
                ("Content-Range", part.content_range),
                ("Cache-Control", "no-store"),
                *[
                    (k, v)
                    for k, v in answer.headers
                    if k.lower() in ("accept-ranges", "etag", "x-content-type-options", "access-control-allow-origin")
                ],
            ],
        )
        return [part.message]
    start_response("200 OK", answer.headers)
    return [answer.body]


def _no_write(data: bytes) -> None:
    """WSGI's legacy write(): Flask never calls it, and an answer worth remembering comes as its body."""
    raise TypeError("write() is not supported here: return the body instead")
