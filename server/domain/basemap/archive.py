"""Read PMTiles v3 archives (the basemap format), from a local file or over HTTP range requests.

Every offset and length read from an archive is checked against the archive's size before use,
so a truncated or damaged file fails with a sentence saying what is wrong, never with garbage.
"""

import gzip
import http.client
import json
import os
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pmtiles.tile import Compression, Entry, TileType, deserialize_directory, deserialize_header, zxy_to_tileid

from ..errors import DomainError
from ..json_types import JSONObject

HEADER_BYTES = 127
FIRST_READ_BYTES = 16384  # the spec keeps the header and root directory within the first 16 KiB
MAX_DIRECTORY_DEPTH = 4


class BasemapError(DomainError):
    status = 422
    code = "invalid_basemap"


@dataclass(frozen=True)
class TileEntry:
    tile_id: int
    offset: int  # from the start of the archive
    length: int


class ByteSource(Protocol):
    """Where an archive's bytes come from: a local file or a server answering range requests."""

    @property
    def name(self) -> str: ...

    @property
    def size(self) -> int | None: ...  # None until a remote source has said how big it is

    requests: int
    bytes_read: int

    def read(self, offset: int, length: int) -> bytes: ...

    def close(self) -> None: ...


class FileSource:
    """Read byte ranges of a local file."""

    def __init__(self, path: str | Path) -> None:
        self.name = str(path)
        self._fd = os.open(path, os.O_RDONLY)
        self.size = os.fstat(self._fd).st_size
        self.requests = 0
        self.bytes_read = 0

    def read(self, offset: int, length: int) -> bytes:
        self.requests += 1
        self.bytes_read += length
        return os.pread(self._fd, length, offset)

    def close(self) -> None:
        os.close(self._fd)


class HttpRangeSource:
    """Read byte ranges of a remote archive with HTTP Range requests (retrying brief failures)."""

    def __init__(self, url: str, timeout: float = 60, attempts: int = 4) -> None:
        self.name = url
        self.url = url
        self.timeout = timeout
        self.attempts = attempts
        self.size: int | None = None
        self.requests = 0
        self.bytes_read = 0

    def read(self, offset: int, length: int) -> bytes:
        for attempt in range(self.attempts):
            try:
                return self._read_once(offset, length)
            except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError) as exc:
                if isinstance(exc, urllib.error.HTTPError) and exc.code < 500 and exc.code != 429:
                    raise BasemapError(f"{self.url} answered {exc.code} {exc.reason}.") from exc
                if attempt == self.attempts - 1:
                    raise BasemapError(f"Could not read {self.url}: {exc}.") from exc
                time.sleep(0.5 * 2**attempt)
        raise AssertionError("unreachable")

    def _read_once(self, offset: int, length: int) -> bytes:
        request = urllib.request.Request(
            self.url,
            headers={
                "Range": f"bytes={offset}-{offset + length - 1}",
                "User-Agent": "kotoji-basemap-extract",
                "Accept-Encoding": "identity",  # compressing a range on the fly would break the offsets
            },
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            if response.status != 206:
                raise BasemapError(
                    f"{self.url} does not answer HTTP Range requests (status "
                    f"{response.status}); an extract needs a server that does."
                )
            total = (response.headers.get("Content-Range") or "").rpartition("/")[2]
            if total.isdigit():
                if self.size is not None and int(total) != self.size:
                    raise BasemapError(f"{self.url} changed while it was being read; start again.")
                self.size = int(total)
            body: bytes = response.read()
        self.requests += 1
        self.bytes_read += len(body)
        if len(body) != length and (self.size is None or offset + length <= self.size):
            raise BasemapError(f"{self.url} sent {len(body)} bytes where {length} were asked for.")
        return body

    def close(self) -> None:
        pass


def open_source(location: str) -> ByteSource:
    """Return a source for a URL (http, https) or a local path."""
    if location.startswith(("http://", "https://")):
        return HttpRangeSource(location)
    if location.startswith("file://"):
        location = location[len("file://") :]
    if not os.path.isfile(location):
        raise BasemapError(f"There is no file {location}.")
    return FileSource(location)


class Archive:
    """A PMTiles v3 archive of vector tiles: header, metadata and the tiles' places in the file."""

    def __init__(self, source: ByteSource) -> None:
        self.source = source
        self._start = source.read(0, FIRST_READ_BYTES)
        if len(self._start) < HEADER_BYTES:
            raise BasemapError(f"{source.name} is too short to be a PMTiles archive.")
        try:
            self.header = deserialize_header(self._start[:HEADER_BYTES])
        except Exception as exc:  # noqa: BLE001 - any failure here means: not a PMTiles v3 header
            raise BasemapError(f"{source.name} is not a PMTiles v3 archive ({type(exc).__name__}).") from exc
        self._check_header()
        self._leaves: dict[tuple[int, int], list[Entry]] = {}

    def _check_header(self) -> None:
        h, name = self.header, self.source.name
        if h["tile_type"] != TileType.MVT:
            raise BasemapError(f"{name} holds {h['tile_type'].name} tiles; the basemap needs vector (MVT) tiles.")
        for key in ("internal_compression", "tile_compression"):
            if h[key] not in (Compression.GZIP, Compression.NONE):
                raise BasemapError(f"{name} uses {h[key].name} compression; Kotoji reads gzip or none.")
        if not 0 <= h["min_zoom"] <= h["max_zoom"] <= 30:
            raise BasemapError(f"{name} has impossible zoom levels {h['min_zoom']}..{h['max_zoom']}.")
        size = self.source.size
        if size is not None:
            for part, end in (
                ("root", h["root_offset"] + h["root_length"]),
                ("metadata", h["metadata_offset"] + h["metadata_length"]),
                ("leaf_directory", h["leaf_directory_offset"] + h["leaf_directory_length"]),
                ("tile_data", h["tile_data_offset"] + h["tile_data_length"]),
            ):
                if end > size:
                    raise BasemapError(
                        f"{name} is truncated: its {part.replace('_', ' ')} ends at byte "
                        f"{end} but the file has {size} bytes."
                    )

    def _read(self, offset: int, length: int) -> bytes:
        if offset + length <= len(self._start):
            return self._start[offset : offset + length]
        data = self.source.read(offset, length)
        if len(data) != length:
            raise BasemapError(f"{self.source.name} is truncated at byte {offset + len(data)}.")
        return data

    def _directory(self, offset: int, length: int) -> list[Entry]:
        raw = self._read(offset, length)
        if self.header["internal_compression"] == Compression.NONE:
            raw = gzip.compress(raw, compresslevel=1)  # the decoder below expects gzip
        try:
            return deserialize_directory(raw)
        except (OSError, EOFError, zlib.error, IndexError, ValueError) as exc:
            raise BasemapError(f"{self.source.name} has a damaged directory at byte {offset}.") from exc

    def metadata(self) -> JSONObject:
        h = self.header
        raw = self._read(h["metadata_offset"], h["metadata_length"])
        try:
            if h["internal_compression"] == Compression.GZIP:
                raw = gzip.decompress(raw)
            data = json.loads(raw or b"{}")
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            raise BasemapError(f"{self.source.name} has damaged metadata.") from exc
        return data if isinstance(data, dict) else {}

    def locate(self, z: int, x: int, y: int) -> TileEntry | None:
        """Return where the tile's bytes are, or None when the archive has no such tile (empty)."""
        tile_id = zxy_to_tileid(z, x, y)
        h = self.header
        offset, length = h["root_offset"], h["root_length"]
        for _ in range(MAX_DIRECTORY_DEPTH):
            key = (offset, length)
            if key not in self._leaves:
                self._leaves[key] = self._directory(offset, length)
            entry = _find(self._leaves[key], tile_id)
            if entry is None:
                return None
            if entry.run_length > 0:
                return self._tile_entry(tile_id, entry)
            offset, length = h["leaf_directory_offset"] + entry.offset, entry.length
        raise BasemapError(f"{self.source.name} nests its directories deeper than the format allows.")

    def _tile_entry(self, tile_id: int, entry: Entry) -> TileEntry:
        h = self.header
        if entry.offset + entry.length > h["tile_data_length"]:
            raise BasemapError(f"{self.source.name} points tile {tile_id} outside its tile data.")
        return TileEntry(tile_id, h["tile_data_offset"] + entry.offset, entry.length)

    def entries(self) -> Iterator[TileEntry]:
        """Yield every addressed tile in tile-id order (runs of identical tiles expanded)."""
        yield from self._walk(self.header["root_offset"], self.header["root_length"], 0)

    def _walk(self, offset: int, length: int, depth: int) -> Iterator[TileEntry]:
        if depth >= MAX_DIRECTORY_DEPTH:
            raise BasemapError(f"{self.source.name} nests its directories deeper than the format allows.")
        for entry in self._directory(offset, length):
            if entry.run_length == 0:
                leaf_end = entry.offset + entry.length
                if leaf_end > self.header["leaf_directory_length"]:
                    raise BasemapError(f"{self.source.name} points to a directory outside the file.")
                yield from self._walk(self.header["leaf_directory_offset"] + entry.offset, entry.length, depth + 1)
            else:
                for n in range(entry.run_length):
                    yield self._tile_entry(entry.tile_id + n, entry)

    def decode(self, data: bytes) -> bytes:
        """Return a tile's plain MVT bytes from its stored form."""
        if self.header["tile_compression"] == Compression.GZIP and data:
            return gzip.decompress(data)
        return data

    def close(self) -> None:
        self.source.close()


def _find(entries: list[Entry], tile_id: int) -> Entry | None:
    low, high = 0, len(entries) - 1
    while low <= high:
        middle = (low + high) >> 1
        if entries[middle].tile_id < tile_id:
            low = middle + 1
        elif entries[middle].tile_id > tile_id:
            high = middle - 1
        else:
            return entries[middle]
    if high >= 0:
        entry = entries[high]
        if entry.run_length == 0 or tile_id - entry.tile_id < entry.run_length:
            return entry
    return None
