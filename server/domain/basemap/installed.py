"""The offline basemap: what is installed, the tiles along a walk, and the tiles themselves.

The archive is stored once in the database, with the media (content-addressed by its sha256, so
every instance serves it and one backup holds it); each instance keeps a copy in its instance folder
under a versioned name (`basemap-<date>-<version>.pmtiles`, version = the first 12 hex digits of its
sha256), written from the database the first time it needs a tile. What is installed is recorded in
the database as two site documents, so every process (and every publication of a walk) knows it:
  /tiles/tiles.json   TileJSON 3.0.0: tile URL template, zooms, bounds, attribution (public)
  /tiles/index.json   every tile of the archive with its size and sha256 (for the offline manifests;
                      kept with the published documents, not served)
Tile URLs carry the version, so a tile URL never changes meaning and caches for a year.
Installing lives in basemap_install, cutting an extract from a planet in basemap_extract.
"""

import gzip
import hashlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pmtiles.tile import Compression
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..json_types import Coordinates, JSONObject
from ..models import Media, PublishedDocument, Walk
from ..publishing.documents import public_stops
from .archive import Archive, FileSource
from .corridor import corridor_tiles, lonlat_bounds

ATTRIBUTION = "© OpenStreetMap contributors"
TILEJSON_URL = "/tiles/tiles.json"
INDEX_URL = "/tiles/index.json"
DEFAULT_BUFFER_M = 500
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
FILE_PREFIX = "basemap-"
MAX_REMEMBERED_HASHES = 100_000  # ~25 MB at most; a city's walks need a few thousand tiles


def tile_template(version: str) -> str:
    return f"/tiles/{version}/{{z}}/{{x}}/{{y}}.mvt"


def tile_url(version: str, z: int, x: int, y: int) -> str:
    return f"/tiles/{version}/{z}/{x}/{y}.mvt"


def walk_lines(walk: Walk) -> list[Coordinates]:
    """Return the walk's path and its published stops (as one-point lines): what the corridor follows."""
    return [walk.path] + [[[stop.lon, stop.lat]] for stop in public_stops(walk)]


def installed_basemap(session: Session) -> JSONObject | None:
    """Return the installed basemap's TileJSON (plus `file`) or None when there is none."""
    document = session.get(PublishedDocument, TILEJSON_URL)
    if document is None:
        return None
    tilejson = json.loads(document.body)
    return {**tilejson, "file": tilejson["kotoji"]["file"]}


def _installed_index(session: Session) -> JSONObject:
    document = session.get(PublishedDocument, INDEX_URL)
    return json.loads(document.body)["tiles"] if document else {}


def walk_basemap(session: Session, walk: Walk) -> tuple[JSONObject | None, list[JSONObject]]:
    """Return what /api/walks/<walk> says about the basemap, and the tiles for the offline manifest.

    Both are empty when no basemap is installed or it has no tile along this walk.
    """
    basemap = installed_basemap(session)
    if basemap is None or not walk.path:
        return None, []
    index = _installed_index(session)
    lines = walk_lines(walk)
    buffer_m = basemap["kotoji"]["buffer_m"]
    wanted = corridor_tiles(lines, buffer_m, range(basemap["minzoom"], basemap["maxzoom"] + 1))
    if not any(f"{z}/{x}/{y}" in index for z, x, y in wanted):
        return None, []
    entries = []
    for z, x, y in wanted:
        size, sha = index.get(f"{z}/{x}/{y}", (0, EMPTY_SHA256))
        entries.append({"url": tile_url(basemap["version"], z, x, y), "bytes": size, "sha256": sha})
    summary = {
        "version": basemap["version"],
        "tiles": basemap["tiles"][0],
        "tilejson": TILEJSON_URL,
        "minzoom": basemap["minzoom"],
        "maxzoom": basemap["maxzoom"],
        "bounds": lonlat_bounds(lines, buffer_m),
        "attribution": ATTRIBUTION,
        "tile_count": len(entries),
        "bytes": sum(e["bytes"] for e in entries),
    }
    return summary, entries


ARCHIVE_EXTENSION = "pmtiles"
ARCHIVE_TYPE = "application/vnd.pmtiles"


def stored_archive(session: Session, version: str) -> bytes | None:
    """Return the bytes of basemap `version` as stored in the database, or None."""
    if not version.isalnum():
        return None
    found = session.scalars(
        select(Media.data).where(
            Media.sha256.startswith(version, autoescape=True), Media.extension == ARCHIVE_EXTENSION
        )
    ).first()
    return found


def archive_path(basemap_dir: Path, version: str) -> Path | None:
    """Return the file of this basemap version in the folder, or None."""
    if not version.isalnum():
        return None
    return next(iter(sorted(Path(basemap_dir).glob(f"{FILE_PREFIX}*-{version}.pmtiles"))), None)


@dataclass(frozen=True)
class Tile:
    """One tile: its bytes as stored in the archive, whether they are gzip, and the plain tile's sha256."""

    stored: bytes
    gzipped: bool
    sha256: str

    def plain(self) -> bytes:
        return gzip.decompress(self.stored) if self.gzipped else self.stored


class TileStore:
    """Serve tiles of any basemap version stored in the database (archives kept open from the folder).

    `load(version)` returns the archive's bytes from the database (or None); it is asked only when
    this instance's folder has no copy yet, which it then writes.
    """

    def __init__(self, basemap_dir: Path, load: Callable[[str], bytes | None] = lambda version: None):
        self.basemap_dir = Path(basemap_dir)
        self._load = load
        self._archives: dict[str, Archive] = {}
        # sha256 of each plain tile served so far: a gzip client then costs no decompression.
        self._hashes: dict[tuple[str, int], str] = {}

    def tile(self, version: str, z: int, x: int, y: int) -> Tile:
        archive = self._archive(version)
        h = archive.header
        if not h["min_zoom"] <= z <= h["max_zoom"]:
            raise NotFound(f"This basemap has tiles at zoom {h['min_zoom']} to {h['max_zoom']} only.")
        if not (0 <= x < 1 << z and 0 <= y < 1 << z):
            raise NotFound(f"There is no tile {z}/{x}/{y}: at zoom {z}, x and y run from 0 to {(1 << z) - 1}.")
        entry = archive.locate(z, x, y)
        if entry is None:
            # Inside the basemap's zooms but nothing there: an empty tile (a valid MVT of no layers).
            return Tile(b"", False, EMPTY_SHA256)
        stored = archive.source.read(entry.offset, entry.length)
        tile = Tile(stored, h["tile_compression"] == Compression.GZIP and bool(stored), "")
        key = (version, entry.tile_id)
        if key not in self._hashes:
            if len(self._hashes) > MAX_REMEMBERED_HASHES:
                self._hashes.clear()
            self._hashes[key] = hashlib.sha256(tile.plain()).hexdigest()
        return Tile(tile.stored, tile.gzipped, self._hashes[key])

    def _archive(self, version: str) -> Archive:
        archive = self._archives.get(version)
        if archive is None:
            path = archive_path(self.basemap_dir, version) or self._copy_from_database(version)
            if path is None:
                raise NotFound(
                    f"Basemap version '{version[:20]}' is not installed; {TILEJSON_URL} names the current one."
                )
            archive = self._archives.setdefault(version, Archive(FileSource(path)))
        return archive

    def _copy_from_database(self, version: str) -> Path | None:
        data = self._load(version) if version.isalnum() else None
        if data is None:
            return None
        self.basemap_dir.mkdir(parents=True, exist_ok=True)
        target = self.basemap_dir / f"{FILE_PREFIX}stored-{version}.pmtiles"
        partial = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
        partial.write_bytes(data)
        os.replace(partial, target)  # whole or not at all, whichever thread or process gets there first
        return target
