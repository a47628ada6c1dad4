"""This process's copy of the published documents, each ready to send, reloaded after a publication."""

import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..domain.models import PublishedDocument
from ..domain.publishing.publish import load_published_documents, publication_counter
from ..security import API_HEADERS, CORS_HEADERS

log = logging.getLogger(__name__)

DOCUMENTS = ("stops", "path", "gpx", "offline")  # /api/walks/<walk>/<document>; api/openapi.py describes each
WALK_URL = re.compile(rf"^/api/walks(?:/(?P<walk>[^/]+)(?:/(?P<document>{'|'.join(DOCUMENTS)}))?)?/?$")
STALE_WHILE_REVALIDATE = 600  # a cache may answer from its old copy while it fetches the new one
SPILL_BYTES = 256 * 1024  # bodies larger than this are kept in the spill file, not in memory


class SpillFile:
    """Large bodies of this process in an unlinked temporary file: the kernel's page cache holds them
    (shared, reclaimable), not the worker's heap, so a 10,000-stop walk does not weigh on its memory.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="kotoji-published-")
        self._end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        """Store `data`; return (offset, length). Called by the one thread loading the documents."""
        offset = self._end
        os.pwrite(self._file.fileno(), data, offset)
        self._end += len(data)
        return offset, len(data)

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._file.fileno(), length, offset)


class ServedDocument:
    """One published document with its two representations and their headers, ready to send."""

    def __init__(self, record: PublishedDocument, spill: SpillFile | None = None, max_age: int = 60) -> None:
        self.url = record.url
        self.sha256 = record.sha256
        self._spill = spill if spill is not None and len(record.body) > SPILL_BYTES else None
        # Each representation is its bytes, or where they are in the spill file: (offset, length).
        self._plain: bytes | tuple[int, int]
        self._packed: bytes | tuple[int, int]
        if self._spill is None:
            self._plain, self._packed = record.body, record.gzip_body
        else:
            self._plain, self._packed = self._spill.put(record.body), self._spill.put(record.gzip_body)
        self.etag = f'"{record.sha256[:32]}"'
        self.gzip_etag = f'"{record.sha256[:32]}-gz"'
        cache_control = f"public, max-age={max_age}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"
        common = [
            ("Content-Type", _with_charset(record.content_type)),
            ("Cache-Control", cache_control),
            ("Vary", "Accept-Encoding"),
            *CORS_HEADERS,
            *API_HEADERS,
        ]
        self.plain_headers = common + [("ETag", self.etag), ("Content-Length", str(len(record.body)))]
        self.gzip_headers = common + [
            ("ETag", self.gzip_etag),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(record.gzip_body))),
        ]
        self.plain_not_modified = _not_modified_headers(self.etag, cache_control)
        self.gzip_not_modified = _not_modified_headers(self.gzip_etag, cache_control)
        # Canonical /api/walks URLs without a query can be answered by the hot path's exact lookup.
        self.direct = "?" not in record.url and WALK_URL.match(record.url) is not None

    @property
    def body(self) -> bytes:
        return self._stored(self._plain)

    @property
    def gzip_body(self) -> bytes:
        return self._stored(self._packed)

    def _stored(self, representation: bytes | tuple[int, int]) -> bytes:
        if isinstance(representation, bytes):
            return representation
        assert self._spill is not None  # only a spilled document keeps positions
        return self._spill.read(*representation)

    def read(self, start: int, end: int) -> bytes:
        """Return bytes start..end-1 of the plain body (without reading the rest when it is spilled)."""
        if isinstance(self._plain, bytes):
            return self._plain[start:end]
        assert self._spill is not None  # only a spilled document keeps positions
        offset, length = self._plain
        end = min(end, length)
        return self._spill.read(offset + start, max(0, end - start))


def _not_modified_headers(etag: str, cache_control: str) -> list[tuple[str, str]]:
    # RFC 9110 15.4.5: a 304 carries what updates the client's stored copy, which keeps the rest
    # (and fewer headers make the most frequent answer of all cheaper).
    return [("ETag", etag), ("Cache-Control", cache_control), ("Vary", "Accept-Encoding"), *CORS_HEADERS]


def _with_charset(content_type: str) -> str:
    return content_type if content_type == "application/geo+json" else f"{content_type}; charset=utf-8"


class PublishedDocuments:
    """This process's copy of the published documents, reloaded when anything is published."""

    def __init__(self, sessions: Callable[[], Session], check_seconds: float, max_age: int) -> None:
        self._sessions = sessions
        self._check_seconds = check_seconds
        self._max_age = max_age  # seconds a client or shared cache may keep a document (Cache-Control)
        self._documents: dict[str, ServedDocument] = {}
        self._counter: int | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def get(self, url: str) -> ServedDocument | None:
        if time.monotonic() - self._checked_at >= self._check_seconds:
            self.refresh()
        return self._documents.get(url)

    def is_fresh(self) -> bool:
        """True while `get` answers from memory, without asking the database."""
        return self._counter is not None and time.monotonic() - self._checked_at < self._check_seconds

    def refresh(self) -> None:
        """Reload the documents if the publication counter moved since the last look."""
        with self._lock:
            try:
                with self._sessions() as session:
                    counter = publication_counter(session)
                    if counter != self._counter:
                        spill = SpillFile()  # the old file goes when the last answer using it is sent
                        self._documents = {
                            record.url: ServedDocument(record, spill, self._max_age)
                            for record in load_published_documents(session)
                        }
                        self._counter = counter
            except SQLAlchemyError as exc:
                # Keep serving what we have: published documents stay true while the database is away.
                log.warning("could not check for new publications: %s", exc)
                if self._counter is None:
                    raise
            self._checked_at = time.monotonic()
