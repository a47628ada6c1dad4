"""The basemap's vector tiles (/tiles): immutable, versioned URLs answered from the installed archive.

Choices, for the service worker and for caches in front of the app:
- A tile URL names the basemap version, so its bytes never change: `Cache-Control: immutable`, a year.
- Every tile inside the basemap's zooms is a 200. A tile the archive does not hold (no map data
  there, which PMTiles extracts simply omit) is an empty MVT: a 200 with an empty body. A 404 would
  be drawn by protomaps-leaflet as a failed tile, and the Cache API could not keep it offline.
- Zooms outside the basemap's range, and versions no longer installed, are 404s (JSON).
- The strong ETag is the sha256 of the plain tile (as in the offline manifest); "-gz" marks the
  gzip representation, sent as stored in the archive (no compression per request).
"""

from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue

from ..config import basemap_folder
from ..domain.basemap.installed import TILEJSON_URL, TileStore, stored_archive
from ..domain.errors import NotFound
from ..published import published_documents
from ..published.answers import send_bytes
from ..security import API_CSP

bp = Blueprint("tiles", __name__)

TILE_CACHE_CONTROL = "public, max-age=31536000, immutable"
TILEJSON_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600"
MVT = "application/vnd.mapbox-vector-tile"


def tile_store() -> TileStore:
    """Return this app's store of basemap tiles (made on first use)."""
    store = current_app.extensions.get("basemap_tiles")
    if store is None:
        database = current_app.extensions["db"]

        def load(version: str) -> bytes | None:  # once per version and instance: the archive installed anywhere
            with database.session() as session:
                return stored_archive(session, version)

        store = current_app.extensions.setdefault("basemap_tiles", TileStore(basemap_folder(current_app), load))
    tiles: TileStore = store
    return tiles


@bp.get("/tiles.json")
def tilejson() -> ResponseReturnValue:
    """Describe the installed basemap (TileJSON 3.0.0)."""
    document = published_documents().get(TILEJSON_URL)
    if document is None:
        raise NotFound("No basemap is installed: the map shows a plain background.")
    return send_bytes(
        document.body,
        gzip_body=document.gzip_body,
        etag=document.etag.strip('"'),
        content_type="application/json",
        cache_control=TILEJSON_CACHE_CONTROL,
        headers=(("Access-Control-Allow-Origin", "*"),),
    )


@bp.get("/<string:version>/<int:z>/<int:x>/<int:y>.mvt")
def tile(version: str, z: int, x: int, y: int) -> ResponseReturnValue:
    """Serve one vector tile of an installed basemap version."""
    found = tile_store().tile(version, z, x, y)
    return send_bytes(
        found.plain(),
        gzip_body=found.stored if found.gzipped else None,
        etag=found.sha256[:32],
        content_type=MVT,
        cache_control=TILE_CACHE_CONTROL,
        vary=("Accept-Encoding",),
        headers=(("Access-Control-Allow-Origin", "*"), ("Content-Security-Policy", API_CSP)),
    )
