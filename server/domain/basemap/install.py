"""Install a basemap archive: check every byte of it first, then record it and republish the walks.

A file that fails any check (not PMTiles, truncated, a damaged directory or tile, raster tiles)
is refused with a sentence saying why, and the installed basemap stays exactly as it was.
"""

import hashlib
import json
import os
import shutil
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pmtiles.tile import HeaderDict, tileid_to_zxy
from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..json_types import JSONObject
from ..models import Media
from ..publishing.publish import publish_site_document, republish_walks
from .archive import Archive, BasemapError, FileSource
from .installed import (
    ARCHIVE_EXTENSION,
    ARCHIVE_TYPE,
    ATTRIBUTION,
    DEFAULT_BUFFER_M,
    FILE_PREFIX,
    INDEX_URL,
    TILEJSON_URL,
    archive_path,
    installed_basemap,
    tile_template,
)


@dataclass
class CheckedArchive:
    """What validation learned about an archive: enough to install and describe it."""

    sha256: str
    size: int
    header: HeaderDict
    metadata: JSONObject
    tiles: dict[int, tuple[int, str]]  # tile_id -> (plain MVT bytes, sha256 of them)

    @property
    def version(self) -> str:
        return self.sha256[:12]


def check_archive(path: Path) -> CheckedArchive:
    """Read the whole archive and return what it holds; raise BasemapError if anything is wrong."""
    digest = _sha256(path)
    source = FileSource(path)
    archive = Archive(source)
    try:
        metadata = archive.metadata()
        tiles: dict[int, tuple[int, str]] = {}
        by_offset: dict[tuple[int, int], tuple[int, str]] = {}
        for entry in archive.entries():
            if (entry.offset, entry.length) not in by_offset:
                data = archive.source.read(entry.offset, entry.length)
                if len(data) != entry.length:
                    raise BasemapError(f"{path} is truncated inside tile {tileid_to_zxy(entry.tile_id)}.")
                try:
                    plain = archive.decode(data)
                except (OSError, EOFError, zlib.error) as exc:
                    raise BasemapError(f"{path} has a damaged tile {tileid_to_zxy(entry.tile_id)}.") from exc
                by_offset[entry.offset, entry.length] = (len(plain), hashlib.sha256(plain).hexdigest())
            tiles[entry.tile_id] = by_offset[entry.offset, entry.length]
        if not tiles:
            raise BasemapError(f"{path} holds no tiles.")
        return CheckedArchive(digest, source.size, archive.header.copy(), metadata, tiles)
    finally:
        archive.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def install_basemap(session: Session, path: Path, basemap_dir: Path) -> JSONObject:
    """Check the archive, copy it under its versioned name, store it for every instance, record it and
    republish the walks.

    Nothing changes unless the whole file checks out; the caller commits the session.
    """
    checked = check_archive(Path(path))
    basemap_dir.mkdir(parents=True, exist_ok=True)
    target = archive_path(basemap_dir, checked.version) or basemap_dir / (
        f"{FILE_PREFIX}{datetime.now(UTC):%Y%m%d}-{checked.version}.pmtiles"
    )
    if Path(path).resolve() != target.resolve():
        partial = target.with_suffix(".partial")
        try:
            shutil.copyfile(path, partial)
            with open(partial, "rb+") as file:
                os.fsync(file.fileno())
            if _sha256(partial) != checked.sha256:
                raise BasemapError(f"{path} changed while it was being installed; try again.")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    previous = installed_basemap(session)
    _store_archive(session, target, checked, previous)
    tilejson, index = _describe(checked, target.name)
    publish_site_document(session, TILEJSON_URL, "application/json", _encode(tilejson))
    publish_site_document(session, INDEX_URL, "application/json", _encode(index))
    republish_walks(session)
    keep = {target.name} | ({previous["file"]} if previous else set())
    for old in basemap_dir.glob(f"{FILE_PREFIX}*.pmtiles"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
    installed = installed_basemap(session)
    assert installed is not None  # its TileJSON was published just above
    return installed


def _store_archive(session: Session, path: Path, checked: CheckedArchive, previous: JSONObject | None) -> None:
    """Keep the archive in the database for every instance; forget those older than the previous one."""
    if session.get(Media, checked.sha256) is None:
        session.add(
            Media(
                sha256=checked.sha256,
                extension=ARCHIVE_EXTENSION,
                content_type=ARCHIVE_TYPE,
                size=checked.size,
                data=Path(path).read_bytes(),
            )
        )
    keep = {checked.sha256} | ({previous["kotoji"]["sha256"]} if previous else set())
    session.execute(delete(Media).where(Media.extension == ARCHIVE_EXTENSION, Media.sha256.not_in(keep)))
    session.flush()


def _encode(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _describe(checked: CheckedArchive, file_name: str) -> tuple[JSONObject, JSONObject]:
    h, meta = checked.header, checked.metadata
    extract = meta.get("kotoji:extract", {})
    zooms = Counter(tileid_to_zxy(t)[0] for t in checked.tiles)
    tilejson = {
        "tilejson": "3.0.0",
        "name": meta.get("name", "OpenStreetMap basemap"),
        "version": checked.version,
        "scheme": "xyz",
        "tiles": [tile_template(checked.version)],
        "minzoom": h["min_zoom"],
        "maxzoom": h["max_zoom"],
        "bounds": [h["min_lon_e7"] / 1e7, h["min_lat_e7"] / 1e7, h["max_lon_e7"] / 1e7, h["max_lat_e7"] / 1e7],
        "center": [h["center_lon_e7"] / 1e7, h["center_lat_e7"] / 1e7, h["center_zoom"]],
        "attribution": ATTRIBUTION,
        "vector_layers": meta.get("vector_layers", []),
        "kotoji": {
            "file": file_name,
            "sha256": checked.sha256,
            "bytes": checked.size,
            "tiles_per_zoom": {str(z): zooms[z] for z in sorted(zooms)},
            "buffer_m": extract.get("buffer_m", DEFAULT_BUFFER_M),
            "walks": extract.get("walks", []),
            "source": extract.get("source", ""),
            "extracted_at": extract.get("extracted_at", ""),
            "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    }
    index = {
        "version": checked.version,
        "tiles": {
            "{}/{}/{}".format(*tileid_to_zxy(t)): [size, sha] for t, (size, sha) in sorted(checked.tiles.items())
        },
    }
    return tilejson, index
