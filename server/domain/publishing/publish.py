"""Publishing: render a walk's public documents once, as bytes, and store them for every instance.

Publishing bumps the walk's version, so ETags, the offline manifest and the PWA's downloaded
copies all change with it. Public requests only ever read what was stored here.
"""

import gzip
import hashlib
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, defer

from ..basemap.installed import walk_basemap
from ..json_types import JSONObject
from ..models import Media, PublishedDocument, SiteState, Walk
from ..ogc.prepared import PREPARED_TYPE, prepared_url, render_prepared
from ..walks.lookup import get_walk, list_walks
from ..walks.validation import geojson_problems
from .documents import media_names, media_url, render_path, render_stops, render_walk, render_walk_index
from .gpx import render_gpx

GEOJSON = "application/geo+json"
JSON = "application/json"
GPX = "application/gpx+xml"


class StoredDocument(NamedTuple):
    """What publishing keeps of a stored document: not its bytes, which can be tens of MB."""

    url: str
    size: int
    sha256: str


def encode_json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def publish_walk(session: Session, slug: str, user_id: int | None) -> int:
    """Publish the walk's current published stops as a new version and return that version."""
    walk = get_walk(session, slug)
    walk.status = "published"
    walk.version += 1
    walk.published_at = datetime.now(UTC)
    session.flush()
    _render_walk_documents(session, walk)
    _render_index(session)
    return walk.version


def unpublish_walk(session: Session, slug: str, user_id: int | None) -> None:
    """Withdraw a walk from the public: its documents go, the index no longer lists it."""
    walk = get_walk(session, slug)
    walk.status = "draft"
    session.flush()
    session.execute(delete(PublishedDocument).where(PublishedDocument.walk_slug == slug))
    _render_index(session)


def _render_walk_documents(session: Session, walk: Walk) -> None:
    base = f"/api/walks/{walk.slug}"
    basemap, tiles = walk_basemap(session, walk)
    walk_document, stops, path = render_walk(walk, basemap), render_stops(walk), render_path(walk)
    # Once per publication, never per request: the `geojson` package checks what goes public.
    problems = geojson_problems(stops, f"{base}/stops") + geojson_problems(path, f"{base}/path")
    if problems:
        raise ValueError("; ".join(problems))  # a bug in rendering, not an editor's mistake
    documents = [
        _store(session, base, walk, JSON, encode_json(walk_document)),
        _store(session, f"{base}/stops", walk, GEOJSON, encode_json(stops)),
        _store(session, f"{base}/path", walk, GEOJSON, encode_json(path)),
    ]
    # The OGC features, rendered once here rather than by every process (never sent as they are).
    ogc = _store(
        session, prepared_url(walk.slug), walk, PREPARED_TYPE, render_prepared(walk_document, stops), compress=False
    )
    del walk_document, stops  # a big walk's rendered data weighs more than its bytes: let it go
    for language in walk.languages:
        body = render_gpx(walk, language).encode()
        _store(session, f"{base}/gpx?lang={language}", walk, GPX, body)
        if language == walk.default_language:
            documents.append(_store(session, f"{base}/gpx", walk, GPX, body))
    manifest = _store(
        session, f"{base}/offline", walk, JSON, encode_json(render_offline_manifest(session, walk, documents, tiles))
    )
    current = (
        {d.url for d in documents} | {manifest.url, ogc.url} | {f"{base}/gpx?lang={lang}" for lang in walk.languages}
    )
    session.execute(
        delete(PublishedDocument).where(PublishedDocument.walk_slug == walk.slug, PublishedDocument.url.not_in(current))
    )


def render_offline_manifest(
    session: Session, walk: Walk, documents: list[StoredDocument], basemap_tiles: Sequence[JSONObject] = ()
) -> JSONObject:
    """Return every URL the walk needs offline, with its size and sha256, and the total."""
    entries = [{"url": d.url, "bytes": d.size, "sha256": d.sha256} for d in documents]
    for name in media_names(walk):
        media = session.get(Media, name.split(".")[0])
        assert media is not None, name  # saving a stop checks its media exist, and media are never deleted
        entries.append({"url": media_url(name), "bytes": media.size, "sha256": media.sha256})
    entries += basemap_tiles  # the map along the walk's corridor, at every zoom the map allows
    return {
        "walk": walk.slug,
        "version": walk.version,
        "total_bytes": sum(e["bytes"] for e in entries),
        "urls": entries,
    }


def republish_walks(session: Session) -> list[str]:
    """Publish every published walk again (new versions), e.g. when the basemap changed."""
    slugs = [walk.slug for walk in list_walks(session) if walk.status == "published"]
    for slug in slugs:
        publish_walk(session, slug, user_id=None)
    if not slugs:
        _render_index(session)  # still tell every process that something changed
    return slugs


def publish_site_document(session: Session, url: str, content_type: str, body: bytes) -> None:
    """Store a public document of the whole site (not of one walk), e.g. the basemap's TileJSON."""
    existing = session.get(PublishedDocument, url)
    _store(session, url, None, content_type, body, version=(existing.version + 1) if existing else 1)


def _render_index(session: Session) -> None:
    walks = list_walks(session)
    _store(
        session, "/api/walks", None, JSON, encode_json(render_walk_index(walks)), version=sum(w.version for w in walks)
    )
    state = session.get(SiteState, 1)
    if state is None:
        state = SiteState(id=1, publication=0)
        session.add(state)
    state.publication += 1


def _store(
    session: Session,
    url: str,
    walk: Walk | None,
    content_type: str,
    body: bytes,
    version: int = 0,  # a site document's own count; a walk's documents follow the walk's version
    compress: bool = True,
) -> StoredDocument:
    # The old bytes are replaced without being read: a big walk's would be tens of MB.
    document = session.get(
        PublishedDocument, url, options=[defer(PublishedDocument.body), defer(PublishedDocument.gzip_body)]
    )
    document = document or PublishedDocument(url=url)
    document.walk_slug = walk.slug if walk else ""
    document.content_type = content_type
    document.body = body
    # mtime=0 makes the compressed bytes (and so their ETag) depend on the content alone.
    document.gzip_body = gzip.compress(body, compresslevel=9, mtime=0) if compress else b""
    document.sha256 = hashlib.sha256(body).hexdigest()
    document.version = walk.version if walk else version
    document.published_at = datetime.now(UTC)
    session.add(document)
    session.flush()
    session.expunge(document)  # its bytes are in the database now; the session need not hold them
    return StoredDocument(url, len(body), document.sha256)


def publication_counter(session: Session) -> int:
    """Return the site's publication counter (0 before anything was published)."""
    return session.scalar(select(SiteState.publication).where(SiteState.id == 1)) or 0


def load_published_documents(session: Session) -> Iterator[PublishedDocument]:
    """Yield every published document, one at a time, so a process never holds all their bytes at once."""
    urls = session.scalars(select(PublishedDocument.url).order_by(PublishedDocument.url)).all()
    for url in urls:
        document = session.get(PublishedDocument, url)
        if document is not None:
            yield document
            session.expunge(document)  # its bytes go once the caller has kept what it needs
