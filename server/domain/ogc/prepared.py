"""OGC items from prepared bytes: every stop rendered once per published version, pages assembled from them.

A request then only picks features (by id, by walking order, through a grid for bbox), joins their
bytes and fills in the two things that belong to the request: the site's origin and the language the
client chose, both carried in the prepared bytes as markers. The result is byte-for-byte what
`documents.items` and `documents.item` would serialise, which the tests check.
"""

import io
import json
from array import array
from collections.abc import Callable
from typing import BinaryIO
from urllib.parse import urlencode

import numpy

from ..json_types import JSONObject
from .documents import Links, page_links, reading_languages, stop_feature
from .query import Query

# Stand-ins for the request's parts. JSON escapes control characters, so published text never holds them.
BASE_MARK = "\x00kotoji-base\x00"
LANG_MARK = "\x00kotoji-lang\x00"
_BASE_BYTES = json.dumps(BASE_MARK).encode()[1:-1]
_LANG_BYTES = json.dumps(LANG_MARK).encode()[1:-1]


def encode(data: object) -> bytes:
    """Serialise as every OGC JSON answer is: compact, UTF-8, no ASCII escapes."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class MarkedLinks(Links):
    """Links with markers where the request's origin and chosen language go (every stop link has ?f=)."""

    def __init__(self) -> None:
        super().__init__(BASE_MARK, None)

    def url(self, path: str, **params: str | int | None) -> str:
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return BASE_MARK + path + ("?" + query + LANG_MARK if query else "")


def fill(prepared: bytes, base_url: str, lang: str | None) -> bytes:
    """Return prepared bytes with the request's origin and language (kept in links only when chosen)."""
    filled = prepared.replace(_BASE_BYTES, encode(base_url.rstrip("/"))[1:-1])
    return filled.replace(_LANG_BYTES, f"&lang={lang}".encode() if lang else b"")


class PointIndex:
    """The stops' positions as two columns: a bbox is four comparisons over them, done in C.

    Exact (the same comparisons as `bbox_contains`) and in walking order without sorting. A grid of
    cells measured the same at 10 stops and far slower from 1,000 on, where a box holds thousands of
    stops to merge and sort (10,000 stops: 5.5 ms against 0.08 ms per box, bench/out on a busy box).
    """

    def __init__(self, points: list[tuple[float, float]]) -> None:
        self.lons = numpy.array([p[0] for p in points], dtype=numpy.float64)
        self.lats = numpy.array([p[1] for p in points], dtype=numpy.float64)

    def search(self, bbox: tuple[float, float, float, float]) -> numpy.ndarray:
        """Return the positions (in walking order) of the points inside the box."""
        west, south, east, north = bbox
        inside = (self.lats >= south) & (self.lats <= north)
        if west <= east:
            inside &= (self.lons >= west) & (self.lons <= east)
        else:  # the box crosses 180°
            inside &= (self.lons >= west) | (self.lons <= east)
        return numpy.flatnonzero(inside)


PREPARED_TYPE = "application/vnd.kotoji.ogc-features"  # stored at publication, never sent as it is


def prepared_url(slug: str) -> str:
    """Return where publishing stores a walk's prepared OGC features."""
    return f"/ogc/collections/{slug}/items"


def render_prepared(walk: JSONObject, stops: JSONObject) -> bytes:
    """Return a walk's stops as OGC features, one per line, after a header line that indexes them.

    The header holds the walk's collection metadata and, per stop, its id, position and byte length,
    so a process finds any feature (or a run of them) without reading the others.
    """
    features = stops["features"]
    prepared = PreparedFeatures(walk, reading_languages(features))
    for feature in features:
        prepared.add(feature)
    return prepared.document()


WALK_KEYS = ("slug", "title", "intro", "languages", "default_language", "bbox")  # what the features need of a walk


class PreparedFeatures:
    """`render_prepared` one feature at a time, so publishing never holds every stop's data at once.

    `walk` needs only WALK_KEYS; `readings` are the languages with name readings (`languages_with_reading`).
    The header's index entries and the features' lines each go to a spill (`open_spill`: temporary
    files when publishing) until `write_to` writes the header with its index and then the lines:
    nothing is kept per stop, whatever the walk's size.
    """

    def __init__(self, walk: JSONObject, readings: list[str], open_spill: Callable[[], BinaryIO] = io.BytesIO) -> None:
        self.walk = {key: walk[key] for key in WALK_KEYS}
        self.readings, self.links = readings, MarkedLinks()
        self._index, self._lines = open_spill(), open_spill()
        self._count = 0

    def add(self, feature: JSONObject) -> None:
        line = encode(stop_feature(self.walk, feature, self.links, self.readings))
        self._lines.write(b"\n" + line)  # JSON escapes newlines, so a line is one feature
        entry = [feature["id"], *feature["geometry"]["coordinates"][:2], len(line)]  # id, lon, lat, length
        self._index.write((b"," if self._count else b"") + encode(entry))
        self._count += 1

    def write_to(self, write: Callable[[bytes], object], piece: int = 1 << 16) -> None:
        """Pass the prepared document to `write`, a piece at a time.

        The bytes are `encode({"walk": ..., "stops": [entry, ...]})`, then the lines.
        """
        write(b'{"walk":' + encode(self.walk) + b',"stops":[')
        _copy(self._index, write, piece)
        write(b"]}")
        _copy(self._lines, write, piece)

    def document(self) -> bytes:
        """Return the prepared document as one `bytes` (for walks small enough to hold)."""
        pieces: list[bytes] = []
        self.write_to(pieces.append)
        return b"".join(pieces)


def _copy(spill: BinaryIO, write: Callable[[bytes], object], piece: int) -> None:
    spill.seek(0)
    while data := spill.read(piece):
        write(data)


class PreparedWalk:
    """One published version of a walk's stops as OGC features, read from its prepared document.

    `read(start, end)` returns those bytes of the document, wherever the process keeps it.
    """

    def __init__(self, read: Callable[[int, int], bytes]) -> None:
        self._read = read
        header_end = _line_end(read)
        header = json.loads(read(0, header_end))
        self.walk = header["walk"]
        self.slug = self.walk["slug"]
        self.positions = {stop[0]: n for n, stop in enumerate(header["stops"])}
        self.index = PointIndex([(stop[1], stop[2]) for stop in header["stops"]])
        self._starts, start = array("q"), header_end + 1
        for stop in header["stops"]:
            self._starts.append(start)
            start += stop[3] + 1
        self._starts.append(start)  # where the feature after the last would start

    def __len__(self) -> int:
        return len(self.positions)

    def _run(self, first: int, end: int) -> bytes:
        """Return the features first..end-1, comma-separated (they are stored one per line)."""
        if first >= end:
            return b""
        return self._read(self._starts[first], self._starts[end] - 1).replace(b"\n", b",")

    def item(self, stop: str, base_url: str, lang: str | None) -> bytes | None:
        """Return one stop as a Feature, or None when the walk has no such published stop."""
        position = self.positions.get(stop)
        return None if position is None else fill(self._run(position, position + 1), base_url, lang)

    def page(self, query: Query, base_url: str, lang: str | None) -> bytes:
        """Return the FeatureCollection of one page of stops in the query's bbox, in walking order."""
        matched: range | numpy.ndarray
        chosen: range | list[int]
        if query.bbox is None:
            matched = range(len(self))
            chosen = matched[query.offset : query.offset + query.limit]
            features = self._run(chosen.start, chosen.stop) if chosen else b""
        else:
            matched = self.index.search(query.bbox)
            chosen = matched[query.offset : query.offset + query.limit].tolist()
            features = b",".join([self._run(n, n + 1) for n in chosen])
        links = encode(page_links(self.slug, query, len(matched), Links(base_url, lang)))
        return b'{"type":"FeatureCollection","features":[%b],"numberMatched":%d,"numberReturned":%d,"links":%b}' % (
            fill(features, base_url, lang),
            len(matched),
            len(chosen),
            links,
        )


def _line_end(read: Callable[[int, int], bytes], chunk: int = 65536) -> int:
    """Return the offset of the first newline of the document."""
    start = 0
    while True:
        data = read(start, start + chunk)
        found = data.find(b"\n")
        if found >= 0:
            return start + found
        if len(data) < chunk:
            return start + len(data)
        start += chunk
