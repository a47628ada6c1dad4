"""This process's copy of the published documents, each ready to send, reloaded after a publication."""

import copy
import hashlib
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..domain.publishing.publish import (
    PublishedEntry,
    load_published_document,
    publication_counter,
    published_entries,
    read_consistently,
    read_published_bytes,
)
from ..security import API_HEADERS, CORS_HEADERS

log = logging.getLogger(__name__)

DOCUMENTS = ("stops", "path", "gpx", "offline")  # /api/walks/<walk>/<document>; api/openapi.py describes each
WALK_URL = re.compile(rf"^/api/walks(?:/(?P<walk>[^/]+)(?:/(?P<document>{'|'.join(DOCUMENTS)}))?)?/?$")
STALE_WHILE_REVALIDATE = 600  # a cache may answer from its old copy while it fetches the new one
SPILL_BYTES = 256 * 1024  # bodies larger than this are kept in the spill file, not in memory
COPY_BYTES = 1 << 20  # what moves at a time when the documents kept are gathered into a new spill file


class SpillFile:
    """Large bodies of this process in an unlinked temporary file: the kernel's page cache holds them
    (shared, reclaimable), not the worker's heap, so a 10,000-stop walk does not weigh on its memory.

    Each reload that brings a large document makes a file of its own; a file goes when no document
    kept by the process (and no answer being sent) uses it any more.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="kotoji-published-")
        self.end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        """Store `data`; return (offset, length). Called by the one thread loading the documents."""
        offset = self.end
        self.append(data)
        return offset, len(data)

    def append(self, data: bytes) -> None:
        """Write `data` after what is stored: a document arriving in pieces (see `put` for the rest)."""
        os.pwrite(self._file.fileno(), data, self.end)
        self.end += len(data)

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._file.fileno(), length, offset)

    def copy(self, source: "SpillFile", offset: int, length: int) -> tuple[int, int]:
        """Copy bytes of another spill file here, a piece at a time; return (offset, length) here."""
        start = self.end
        for at in range(offset, offset + length, COPY_BYTES):
            self.append(source.read(at, min(COPY_BYTES, offset + length - at)))
        return start, length


class _Record(Protocol):
    url: str
    sha256: str
    content_type: str
    body: bytes
    gzip_body: bytes


class ServedDocument:
    """One published document with its two representations and their headers, ready to send.

    Each representation is its bytes, or where they are in `spill`: (offset, length).
    """

    def __init__(
        self,
        url: str,
        sha256: str,
        content_type: str,
        plain: bytes | tuple[int, int],
        packed: bytes | tuple[int, int],
        spill: SpillFile | None = None,
        max_age: int = 60,
    ) -> None:
        self.url = url
        self.sha256 = sha256
        self._spill = spill
        self._plain = plain
        self._packed = packed
        self.etag = f'"{sha256[:32]}"'
        self.gzip_etag = f'"{sha256[:32]}-gz"'
        cache_control = f"public, max-age={max_age}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"
        common = [
            ("Content-Type", _with_charset(content_type)),
            ("Cache-Control", cache_control),
            ("Vary", "Accept-Encoding"),
            *CORS_HEADERS,
            *API_HEADERS,
        ]
        self.plain_headers = common + [("ETag", self.etag), ("Content-Length", str(_length(plain)))]
        self.gzip_headers = common + [
            ("ETag", self.gzip_etag),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(_length(packed))),
        ]
        self.plain_not_modified = _not_modified_headers(self.etag, cache_control)
        self.gzip_not_modified = _not_modified_headers(self.gzip_etag, cache_control)
        # Canonical /api/walks URLs without a query can be answered by the hot path's exact lookup.
        self.direct = "?" not in url and WALK_URL.match(url) is not None

    @classmethod
    def whole(cls, record: _Record, spill: SpillFile | None = None, max_age: int = 60) -> "ServedDocument":
        """A document whose bytes are in hand: kept in memory, or in `spill` when it is large."""
        plain: bytes | tuple[int, int]
        packed: bytes | tuple[int, int]
        if spill is None or len(record.body) <= SPILL_BYTES:
            plain, packed, spill = record.body, record.gzip_body, None
        else:
            plain, packed = spill.put(record.body), spill.put(record.gzip_body)
        return cls(record.url, record.sha256, record.content_type, plain, packed, spill, max_age)

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

    @property
    def spilled(self) -> tuple[SpillFile, int] | None:
        """The spill file holding this document and how many of its bytes are this document's."""
        if self._spill is None:
            return None
        return self._spill, _length(self._plain) + _length(self._packed)

    def moved_to(self, spill: SpillFile) -> "ServedDocument":
        """Return this document with its bytes copied into `spill` (this one keeps serving from its own)."""
        assert self._spill is not None and isinstance(self._plain, tuple) and isinstance(self._packed, tuple)
        moved = copy.copy(self)  # the headers are the same lists: nobody changes them
        moved._spill = spill
        moved._plain, moved._packed = spill.copy(self._spill, *self._plain), spill.copy(self._spill, *self._packed)
        return moved

    def read(self, start: int, end: int) -> bytes:
        """Return bytes start..end-1 of the plain body (without reading the rest when it is spilled)."""
        if isinstance(self._plain, bytes):
            return self._plain[start:end]
        assert self._spill is not None  # only a spilled document keeps positions
        offset, length = self._plain
        end = min(end, length)
        return self._spill.read(offset + start, max(0, end - start))


def _length(representation: bytes | tuple[int, int]) -> int:
    return len(representation) if isinstance(representation, bytes) else representation[1]


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
        return self.current().get(url)

    def current(self) -> Mapping[str, ServedDocument]:
        """Return the documents held now, all of one reload: look up in it what must agree with each other.

        A reload builds a new map and swaps it in whole, so one map never mixes two publications'
        documents; two calls to `get` may straddle a swap.
        """
        if time.monotonic() - self._checked_at >= self._check_seconds:
            self._refresh_unless_under_way()
        return self._documents

    def is_fresh(self) -> bool:
        """True while `get` answers from memory, without asking the database."""
        return self._counter is not None and time.monotonic() - self._checked_at < self._check_seconds

    def refresh(self) -> None:
        """Reload what changed if the publication counter moved since the last look."""
        with self._lock:
            self._refresh_held()

    def _refresh_unless_under_way(self) -> None:
        """Refresh, unless another thread is at it: then answer from the documents held meanwhile.

        Reloading a large walk streams tens of MB; the requests arriving meanwhile are answered from
        what the process holds, as they were a moment before. Only before the first load is there
        nothing to answer from, so then they wait for it.
        """
        if not self._lock.acquire(blocking=self._counter is None):
            return
        try:
            if time.monotonic() - self._checked_at >= self._check_seconds:  # not just done by another
                self._refresh_held()
        finally:
            self._lock.release()

    def _refresh_held(self) -> None:
        """`refresh`, with the lock held by the caller."""
        try:
            with self._sessions() as session:
                read_consistently(session)
                counter = publication_counter(session)
                if counter != self._counter:
                    self._documents, complete = self._reload(session)
                    if complete:
                        self._counter = counter
        except SQLAlchemyError as exc:
            # Keep serving what we have: published documents stay true while the database is away.
            log.warning("could not check for new publications: %s", exc)
            if self._counter is None:
                raise
        self._checked_at = time.monotonic()

    def _reload(self, session: Session) -> tuple[dict[str, ServedDocument], bool]:
        """Return the documents now published, and whether each is as published.

        A document whose sha256 is the one held is kept as it is (its bytes not read again, its spill
        file with it); one no longer published goes. A changed one is read: whole when small, else in
        pieces straight into a new spill file. One replaced while it was read keeps its old copy, and
        the reload is incomplete: the next check reads it again.
        """
        held = self._documents
        documents: dict[str, ServedDocument] = {}
        spill: SpillFile | None = None
        complete = True
        for entry in published_entries(session):
            document = held.get(entry.url)
            if document is None or document.sha256 != entry.sha256:
                if entry.size <= SPILL_BYTES:
                    record = load_published_document(session, entry.url)
                    fresh = None if record is None else ServedDocument.whole(record, None, self._max_age)
                else:
                    spill = spill or SpillFile()  # the old files go when the last answer using them is sent
                    fresh = self._streamed(session, entry, spill)
                if fresh is None:
                    complete = False
                else:
                    document = fresh
            if document is not None:
                documents[entry.url] = document
        return _gathered(documents, spill), complete

    def _streamed(self, session: Session, entry: PublishedEntry, spill: SpillFile) -> ServedDocument | None:
        """Read a large document a piece at a time into `spill`; None when it changed meanwhile."""
        start = spill.end
        digest = hashlib.sha256()

        def plain(piece: bytes) -> None:
            digest.update(piece)
            spill.append(piece)

        gzip_start: list[int] = []

        def packed(piece: bytes) -> None:
            if not gzip_start:
                gzip_start.append(spill.end)
            spill.append(piece)

        if not read_published_bytes(session, entry, plain, packed) or digest.hexdigest() != entry.sha256:
            return None
        middle = gzip_start[0] if gzip_start else spill.end
        return ServedDocument(
            entry.url,
            entry.sha256,
            entry.content_type,
            (start, middle - start),
            (middle, spill.end - middle),
            spill,
            self._max_age,
        )


def _gathered(documents: dict[str, ServedDocument], spill: SpillFile | None) -> dict[str, ServedDocument]:
    """Return `documents`, their spilled bytes gathered into one file when the files held are mostly dead.

    Documents kept across reloads keep their spill files, and with them the replaced documents' bytes
    stored beside them. Once the files held are more than twice what is live, the live bytes are
    copied into one file (a piece at a time, never through the database) and the old files go with
    the last answer using them. Copied documents are new objects: what was derived from them is
    derived once more, as after a publication.
    """
    spilled = [found for document in documents.values() if (found := document.spilled) is not None]
    files = {id(file): file for file, _ in spilled}
    live = sum(size for _, size in spilled)
    if sum(file.end for file in files.values()) <= 2 * live:
        return documents
    target = spill or SpillFile()  # this reload's file holds only live documents
    gathered = {}
    for url, document in documents.items():
        found = document.spilled
        gathered[url] = document if found is None or found[0] is target else document.moved_to(target)
    return gathered
