"""One way to answer stored bytes: a strong ETag per representation, 304, gzip when taken, Cache-Control.

Every place that serves bytes (published documents, the PWA's files, media, tiles, OGC and OpenAPI
answers) goes through `send_bytes` in Flask, or through the same two negotiations in the WSGI layers.
"""

import hashlib
from functools import lru_cache

from flask import Response, request

from .byte_ranges import ByteRange, Unsatisfiable, requested_range


def send_bytes(
    body: bytes,
    *,
    content_type: str,
    cache_control: str,
    etag: str | None = None,
    gzip_body: bytes | None = None,
    vary: tuple[str, ...] = (),
    headers: tuple[tuple[str, str], ...] = (),
    byte_ranges: bool = False,
) -> Response:
    """Answer `body` (or `gzip_body` to clients that accept gzip) as a conditional response.

    `etag` defaults to the body's sha256; the gzip representation's tag ends in "-gz", so the two
    never share a tag (RFC 9110 8.8.3: a strong tag names one representation). With `byte_ranges`
    (media, which is never gzipped) a single `Range` is answered 206, see `byte_ranges.py`.
    """
    packed = gzip_body is not None and accepts_gzip(request.headers.get("Accept-Encoding", ""))
    response = Response(gzip_body if packed else body, content_type=content_type)
    tag = etag or hashlib.sha256(body).hexdigest()[:32]
    response.set_etag(tag + "-gz" if packed else tag)
    if packed:
        response.headers["Content-Encoding"] = "gzip"
    if gzip_body is not None:
        response.vary.add("Accept-Encoding")
    response.vary.update(vary)
    response.headers["Cache-Control"] = cache_control
    for name, value in headers:
        response.headers[name] = value
    if byte_ranges and not packed:
        response.headers["Accept-Ranges"] = "bytes"
    response.make_conditional(request)  # answers 304 in place (and keeps Flask's Response type)
    if byte_ranges and not packed and response.status_code == 200:
        _answer_range(response, body, tag)
    return response


def _answer_range(response: Response, body: bytes, etag: str) -> None:
    """Turn a 200 of `body` into the 206 or 416 its request's Range header asks for."""
    part = requested_range(request.headers.get("Range"), request.headers.get("If-Range"), etag, len(body))
    if isinstance(part, ByteRange):
        response.status_code = 206
        response.headers["Content-Range"] = part.content_range
        response.set_data(part.of(body))
    elif isinstance(part, Unsatisfiable):
        response.status_code = 416
        response.headers["Content-Range"] = part.content_range
        response.headers["Cache-Control"] = "no-store"
        response.content_type = "text/plain; charset=utf-8"
        response.set_data(part.message)


@lru_cache(maxsize=256)  # clients send few distinct Accept-Encoding values; bounded against odd ones
def accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as RFC 9110 prescribes for If-None-Match."""
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))
