"""Which part of a stored file a `Range` request asks for (RFC 9110 14.2, 13.1.5), decided once for both layers.

Audio players seek with `Range: bytes=...` (iOS Safari refuses to play a file whose server will not
answer one). Kotoji answers a single range only: a request for several gets the whole file (a 200 the
RFC allows), which every player handles, rather than a multipart body none of them needs.
"""

import re
from dataclasses import dataclass

# bytes=a-b, bytes=a- or bytes=-n; surrounding whitespace allowed, nothing else.
_ONE_RANGE = re.compile(r"\s*bytes\s*=\s*(?:(\d{1,18})\s*-\s*(\d{0,18})|-\s*(\d{1,18}))\s*")


@dataclass(frozen=True)
class ByteRange:
    """The inclusive byte positions `first`..`last` of a file of `length` bytes."""

    first: int
    last: int
    length: int

    @property
    def content_range(self) -> str:
        return f"bytes {self.first}-{self.last}/{self.length}"

    def of(self, body: bytes) -> bytes:
        return body[self.first : self.last + 1]


class Unsatisfiable:
    """The range lies wholly beyond the file: answered 416 with `Content-Range: bytes */length`."""

    def __init__(self, length: int) -> None:
        self.content_range = f"bytes */{length}"
        self.message = f"The requested range lies beyond the end of this file ({length} bytes).\n".encode()


def requested_range(
    range_header: str | None, if_range: str | None, etag: str, length: int
) -> ByteRange | Unsatisfiable | None:
    """Return the `ByteRange` to send, `Unsatisfiable`, or None for the whole file.

    None covers no Range header, a header we do not read (another unit, a malformed one: the RFC says
    ignore it), several ranges, and an If-Range naming another version (or a date: these answers carry
    no Last-Modified, so a date can never prove the client holds this version).
    """
    if not range_header:
        return None
    if if_range is not None and if_range.strip() != f'"{etag}"':  # strong comparison, as RFC 9110 13.1.5 says
        return None
    match = _ONE_RANGE.fullmatch(range_header)
    if match is None:
        return None
    first, last, suffix = match.groups()
    if suffix is not None:
        size = int(suffix)
        if size == 0 or length == 0:
            return Unsatisfiable(length)
        return ByteRange(max(length - size, 0), length - 1, length)
    start = int(first)
    if last and int(last) < start:
        return None  # an invalid range-spec: ignored, as if there were no Range header
    if start >= length:
        return Unsatisfiable(length)
    end = int(last) if last else length - 1
    return ByteRange(start, min(end, length - 1), length)
