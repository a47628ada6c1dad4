"""Cut a small basemap for some walks out of a planet-scale PMTiles archive, reading only what it needs.

Like `pmtiles extract`, but the area is each walk's corridor (path and stops plus a buffer), not a
bounding box: a walk through a city needs a strip of tiles, not a rectangle around it. The source
is read with HTTP range requests; neighbouring tiles are fetched together to keep requests few.
"""

import contextlib
import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from pmtiles.tile import HeaderDict, zxy_to_tileid
from pmtiles.writer import Writer

from ..json_types import JSONObject
from .archive import Archive, BasemapError, TileEntry, open_source
from .corridor import corridor_tiles, lonlat_bounds
from .installed import ATTRIBUTION, FILE_PREFIX

MERGE_GAP_BYTES = 64 * 1024  # fetch across a gap this small rather than make another request
MAX_REQUEST_BYTES = 8 * 1024 * 1024


class ProgressBar(Protocol):
    def update(self, n: int) -> None: ...


# progress(length, label): a context manager whose bar hears of every n bytes read (click.progressbar).
Progress = Callable[[int, str], AbstractContextManager[ProgressBar]]


@dataclass
class ExtractReport:
    path: Path
    tiles_per_zoom: dict[int, int] = field(default_factory=dict)
    bytes: int = 0
    requests: int = 0
    bytes_transferred: int = 0
    seconds: float = 0.0


def _no_progress(length: int, label: str) -> AbstractContextManager[ProgressBar]:
    class Bar:
        def update(self, n: int) -> None:
            pass

    return contextlib.nullcontext(Bar())


def _ranges(entries: Iterable[TileEntry]) -> list[tuple[int, int]]:
    """Return (offset, length) reads covering every entry, merging neighbours."""
    spans = sorted({(e.offset, e.length) for e in entries})
    merged: list[list[int]] = []
    for offset, length in spans:
        if (
            merged
            and offset - merged[-1][1] <= MERGE_GAP_BYTES
            and offset + length - merged[-1][0] <= MAX_REQUEST_BYTES
        ):
            merged[-1][1] = max(merged[-1][1], offset + length)
        else:
            merged.append([offset, offset + length])
    return [(start, end - start) for start, end in merged]


def extract_basemap(
    source: str,
    walks: Mapping[str, Sequence[Sequence[Sequence[float]]]],
    folder: Path,
    minzoom: int = 12,
    maxzoom: int = 15,
    buffer_m: float = 500,
    progress: Progress = _no_progress,
) -> ExtractReport:
    """Write the tiles along the walks' corridors into a new archive in `folder` and describe it.

    `walks` maps a walk's slug to its lines (see `basemap.walk_lines`). `progress(length, label)`
    returns a context manager whose `update(n)` hears about every n bytes read (click.progressbar).
    """
    started = time.monotonic()
    if not 0 <= minzoom <= maxzoom <= 20:
        raise BasemapError(f"The zooms must satisfy 0 <= minzoom <= maxzoom <= 20 (got {minzoom}..{maxzoom}).")
    lines = [line for walk_lines in walks.values() for line in walk_lines if line]
    if not lines:
        raise BasemapError("The walks have no path to cut a basemap around.")
    archive = Archive(open_source(source))
    try:
        h = archive.header
        low, high = max(minzoom, h["min_zoom"]), min(maxzoom, h["max_zoom"])
        if low > high:
            raise BasemapError(f"{source} has zooms {h['min_zoom']}..{h['max_zoom']}, none of {minzoom}..{maxzoom}.")
        located = []
        for z, x, y in corridor_tiles(lines, buffer_m, range(low, high + 1)):
            entry = archive.locate(z, x, y)
            if entry is not None:
                located.append((zxy_to_tileid(z, x, y), z, entry))
        if not located:
            raise BasemapError(f"{source} has no tiles along these walks.")
        data = _fetch(archive, [entry for _, _, entry in located], progress)
        metadata = {
            **archive.metadata(),
            "attribution": ATTRIBUTION,
            "kotoji:extract": {
                "source": source,
                "walks": sorted(walks),
                "buffer_m": buffer_m,
                "minzoom": low,
                "maxzoom": high,
                "extracted_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        }
        bounds = lonlat_bounds(lines, buffer_m)
        path = _write(folder, sorted(located, key=lambda t: t[0]), data, h, metadata, bounds, low)
        report = ExtractReport(
            path,
            dict(sorted(Counter(z for _, z, _ in located).items())),
            path.stat().st_size,
            archive.source.requests,
            archive.source.bytes_read,
        )
    finally:
        archive.close()
    report.seconds = time.monotonic() - started
    return report


def _fetch(archive: Archive, entries: list[TileEntry], progress: Progress) -> dict[int, bytes]:
    """Return the stored bytes of every entry, by offset."""
    ranges = _ranges(entries)
    wanted = sorted({(e.offset, e.length) for e in entries})
    data: dict[int, bytes] = {}
    position = 0
    with progress(sum(length for _, length in ranges), "Downloading tiles") as bar:
        for start, length in ranges:
            block = archive.source.read(start, length)
            if len(block) != length:
                raise BasemapError(f"{archive.source.name} ended early at byte {start + len(block)}.")
            while position < len(wanted) and wanted[position][0] < start + length:
                offset, size = wanted[position]
                data[offset] = block[offset - start : offset - start + size]
                position += 1
            bar.update(length)
    return data


def _write(
    folder: Path,
    located: list[tuple[int, int, TileEntry]],
    data: dict[int, bytes],
    source_header: HeaderDict,
    metadata: JSONObject,
    bounds: list[float],
    minzoom: int,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"extract-{os.getpid()}.partial"
    header = {
        "tile_type": source_header["tile_type"],
        "tile_compression": source_header["tile_compression"],
        "min_lon_e7": round(bounds[0] * 1e7),
        "min_lat_e7": round(bounds[1] * 1e7),
        "max_lon_e7": round(bounds[2] * 1e7),
        "max_lat_e7": round(bounds[3] * 1e7),
        "center_zoom": minzoom + 2,
    }
    try:
        with open(partial, "wb") as file:
            # pmtiles.writer has no annotations (its tile.py has): the three calls below are untyped.
            writer = Writer(file)  # type: ignore[no-untyped-call]
            for tile_id, _, entry in located:
                writer.write_tile(tile_id, data[entry.offset])  # type: ignore[no-untyped-call]
            writer.finalize(header, metadata)  # type: ignore[no-untyped-call]
            file.flush()
            os.fsync(file.fileno())
        digest = hashlib.sha256(partial.read_bytes()).hexdigest()
        path = folder / f"{FILE_PREFIX}{datetime.now(UTC):%Y%m%d}-{digest[:12]}.pmtiles"
        os.replace(partial, path)
        return path
    finally:
        partial.unlink(missing_ok=True)
