"""OGC items answered from prepared bytes: one `PreparedWalk` per published version, recent answers kept.

The ETag of an answer is derived from what determines its bytes (the published documents' hashes,
the origin, the chosen language, the page asked for), so a revalidation is answered without
assembling anything, and every instance gives the same answer the same tag.
"""

import gzip
import hashlib
import json
import threading
from collections import OrderedDict

from ..domain.ogc.prepared import PreparedWalk, prepared_url, render_prepared
from ..domain.ogc.query import Query
from .store import PublishedDocuments, ServedDocument

ANSWER_CACHE_BYTES = 8 * 1024 * 1024  # recently assembled answers per process (plain and gzip)
# slug, version tag, stop (None for a page), base URL, lang, limit, offset, bbox, datetime
AnswerKey = tuple[str, str, str | None, str, str | None, int, int, tuple[float, float, float, float] | None, str | None]
RENDERING = "1"  # bump when the prepared bytes change shape for the same published documents


# Pages of a bbox are as many as the boxes clients draw, so they are compressed fast (level 1: about 9 %
# larger and half the CPU of level 6 on a 14 KB page); items and plain pages recur, so they get level 6.
# The level follows from the request alone, so every instance sends the same bytes under one strong tag.
FAST_GZIP, GOOD_GZIP = 1, 6


class OgcAnswer:
    """One assembled answer: its bytes, gzip made on first demand, and its strong ETag."""

    def __init__(self, body: bytes, tag: str, gzip_level: int) -> None:
        self.body = body
        self.tag = tag
        self._gzip_level = gzip_level
        self._gzip_body: bytes | None = None

    @property
    def gzip_body(self) -> bytes:
        if self._gzip_body is None:
            self._gzip_body = gzip.compress(self.body, compresslevel=self._gzip_level, mtime=0)
        return self._gzip_body


class OgcItems:
    """This process's prepared walks and recently assembled OGC items answers."""

    def __init__(self, documents: PublishedDocuments, max_bytes: int = ANSWER_CACHE_BYTES) -> None:
        self._documents = documents
        self._max_bytes = max_bytes
        self._prepared: dict[
            str, tuple[ServedDocument, PreparedWalk, str]
        ] = {}  # slug -> (the document it was read from, prepared, version)
        self._answers: OrderedDict[AnswerKey, OgcAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def prepared(self, slug: str) -> tuple[PreparedWalk, str] | None:
        """Return the walk's prepared stops and their version tag, or None when it is not published."""
        document = self._documents.get(prepared_url(slug))
        if document is None:
            return self._prepared_here(slug)
        cached = self._prepared.get(slug)
        if cached is None or cached[0] is not document:
            with self._lock:  # one thread reads the index; the others wait for it
                cached = self._prepared.get(slug)
                if cached is None or cached[0] is not document:
                    cached = (document, PreparedWalk(document.read), document.sha256)
                    self._prepared[slug] = cached
                    self._forget_walk(slug)
        return cached[1], cached[2]

    def _prepared_here(self, slug: str) -> tuple[PreparedWalk, str] | None:
        """Prepare a walk published before publishing stored OGC features (its next publication will)."""
        held = self._documents.current()  # the walk and its stops of one publication, cached together below
        walk, stops = held.get(f"/api/walks/{slug}"), held.get(f"/api/walks/{slug}/stops")
        if walk is None or stops is None:
            return None
        cached = self._prepared.get(slug)
        if cached is None or cached[0] is not stops:
            with self._lock:
                cached = self._prepared.get(slug)
                if cached is None or cached[0] is not stops:
                    prepared = render_prepared(json.loads(walk.body), json.loads(stops.body))
                    cached = (stops, PreparedWalk(lambda start, end: prepared[start:end]), walk.sha256 + stops.sha256)
                    self._prepared[slug] = cached
                    self._forget_walk(slug)
        return cached[1], cached[2]

    def find(self, slug: str, stop: str | None, query: Query, base_url: str) -> tuple[AnswerKey, str] | None:
        """Return (key, strong tag) of the item or page asked for; None when there is no such walk or stop."""
        base_url = base_url.rstrip("/")  # the same key and tag whether the origin came with a slash or not
        found = self.prepared(slug)
        if found is None:
            return None
        prepared, version = found
        if stop is not None and stop not in prepared.positions:
            return None
        key: AnswerKey = (
            slug,
            version,
            stop,
            base_url,
            query.lang,
            query.limit,
            query.offset,
            query.bbox,
            query.datetime,
        )
        known = self._answers.get(key)
        return key, known.tag if known is not None else _tag(key)

    def answer(self, key: AnswerKey, query: Query) -> OgcAnswer | None:
        """Return the answer `find` located, assembled from the prepared stops unless assembled lately."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
                return answer
        slug, _, stop, base_url = key[:4]
        found = self.prepared(slug)
        if found is None:  # withdrawn since `find`
            return None
        prepared, version = found
        body = (
            prepared.item(stop, base_url, query.lang)
            if stop is not None
            else prepared.page(query, base_url, query.lang)
        )
        if body is None:
            return None
        key = (slug, version, *key[2:])  # the walk may have been published again since `find`
        answer = OgcAnswer(body, _tag(key), FAST_GZIP if query.bbox else GOOD_GZIP)
        self._remember(key, answer)
        return answer

    def _remember(self, key: AnswerKey, answer: OgcAnswer) -> None:
        with self._lock:
            if key in self._answers or len(answer.body) > self._max_bytes // 8:
                return
            self._answers[key] = answer
            self._bytes += 2 * len(answer.body)  # room for its gzip twin
            while self._bytes > self._max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= 2 * len(dropped.body)

    def _forget_walk(self, slug: str) -> None:
        for key in [key for key in self._answers if key[0] == slug]:
            self._bytes -= 2 * len(self._answers.pop(key).body)


def _tag(key: AnswerKey) -> str:
    return hashlib.sha256(repr((RENDERING, key)).encode()).hexdigest()[:32]
