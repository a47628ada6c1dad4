"""Publishing: render a walk's public documents once, as bytes, and store them for every instance.

Publishing bumps the walk's version, so ETags, the offline manifest and the PWA's downloaded
copies all change with it. Public requests only ever read what was stored here.
"""

import gzip
import hashlib
import json
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session, aliased, defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..basemap.installed import walk_basemap
from ..json_types import JSONObject
from ..models import Media, PublishedDocument, SiteState, Stop, Walk
from ..ogc.documents import languages_with_reading
from ..ogc.prepared import PREPARED_TYPE, PreparedFeatures, prepared_url
from ..walks.lookup import get_walk, list_walks
from ..walks.validation import geojson_problems
from .documents import (
    media_names,
    media_url,
    public_stops,
    published_outlines,
    render_path,
    render_walk,
    render_walk_index,
    stop_features,
)
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
    _load_stops(session, walk)
    twins = _load_twins(session, walk)  # held here: the session keeps loaded objects only while referenced
    basemap, tiles = walk_basemap(session, walk)
    walk_document = render_walk(walk, basemap)
    readings = languages_with_reading(stop.name_reading for stop in public_stops(walk))
    prepared = PreparedFeatures(walk_document, readings)
    path = render_path(walk)
    # Once per publication, never per request: the `geojson` package checks what goes public.
    problems = geojson_problems(path, f"{base}/path")
    if problems:
        raise ValueError("; ".join(problems))  # a bug in rendering, not an editor's mistake
    # zlib lets go of the GIL: the big documents compress on a second core while the rest renders.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kotoji-gzip") as compressor:
        pending = []  # (url, content type, bytes, their gzip to come), each compressing as soon as rendered

        def render(url: str, content_type: str, body: bytes) -> None:
            pending.append((url, content_type, body, compressor.submit(gzip_bytes, body)))

        render(base, JSON, encode_json(walk_document))
        del walk_document  # a big walk's rendered data weighs more than its bytes: let it go
        render(f"{base}/stops", GEOJSON, render_stops_body(walk, prepared, f"{base}/stops"))
        render(f"{base}/path", GEOJSON, encode_json(path))
        # The OGC features, rendered once here rather than by every process (never sent as they are).
        ogc = _store(session, prepared_url(walk.slug), walk, PREPARED_TYPE, prepared.document(), compress=False)
        del prepared
        # Stored before the GPX is rendered: a big walk's stops document is not held beside it.
        documents = [
            _store(session, url, walk, content_type, body, gzipped=compressed)
            for url, content_type, body, compressed in pending
        ]
        pending.clear()  # the bytes are in the database now
        gpx = {language: render_gpx(walk, language).encode() for language in walk.languages}
        gpx_gzipped = {language: compressor.submit(gzip_bytes, body) for language, body in gpx.items()}
        for language, body in gpx.items():
            _store(session, f"{base}/gpx?lang={language}", walk, GPX, body, gzipped=gpx_gzipped[language])
            if language == walk.default_language:
                documents.append(_store(session, f"{base}/gpx", walk, GPX, body, gzipped=gpx_gzipped[language]))
    del twins
    manifest = _store(
        session, f"{base}/offline", walk, JSON, encode_json(render_offline_manifest(session, walk, documents, tiles))
    )
    current = (
        {d.url for d in documents} | {manifest.url, ogc.url} | {f"{base}/gpx?lang={lang}" for lang in walk.languages}
    )
    session.execute(
        delete(PublishedDocument).where(PublishedDocument.walk_slug == walk.slug, PublishedDocument.url.not_in(current))
    )


def render_stops_body(walk: Walk, prepared: PreparedFeatures, where: str) -> bytes:
    """Return the bytes of `render_stops(walk)`, rendered and checked one feature at a time.

    Each feature also goes to `prepared`, so the stops are rendered once for both documents and a
    10,000-stop walk never exists as one tree of Python objects (several times its bytes).
    """
    body = bytearray(b'{"type":"FeatureCollection","features":[')
    for n, feature in enumerate(stop_features(walk)):
        problems = geojson_problems(feature, f"{where} feature {n + 1}")
        if problems:
            raise ValueError("; ".join(problems))  # a bug in rendering, not an editor's mistake
        body += b"," if n else b""
        body += encode_json(feature)
        prepared.add(feature)
    body += b"]}"
    return bytes(body)


def _load_stops(session: Session, walk: Walk) -> None:
    """Load the walk's stops in batches, unless loaded already: the driver's raw rows of 10,000 stops
    (their texts as JSON strings) would otherwise be held all at once beside the parsed ones."""
    if "stops" not in inspect(walk).unloaded:
        return
    query = select(Stop).where(Stop.walk_id == walk.id).order_by(Stop.position).execution_options(yield_per=500)
    set_committed_value(walk, "stops", list(session.scalars(query)))


def _load_twins(session: Session, walk: Walk) -> list[Stop]:
    """Load the twins of the walk's stops (and their walks) in one query, not one query per stop."""
    twinned = aliased(Stop)  # not the outer query's stops, which the subquery would otherwise correlate with
    twin_ids = select(twinned.twin_id).where(twinned.walk_id == walk.id, twinned.twin_id.is_not(None))
    return list(session.scalars(select(Stop).where(Stop.id.in_(twin_ids)).options(joinedload(Stop.walk))))


def gzip_bytes(body: bytes) -> bytes:
    # mtime=0 makes the compressed bytes (and so their ETag) depend on the content alone.
    return gzip.compress(body, compresslevel=9, mtime=0)


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
    # Counted and bounded in the database: the index never loads a stop, however big the walks.
    index = render_walk_index(walks, published_outlines(session))
    _store(session, "/api/walks", None, JSON, encode_json(index), version=sum(w.version for w in walks))
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
    gzipped: Future[bytes] | None = None,
) -> StoredDocument:
    # The old bytes are replaced without being read: a big walk's would be tens of MB.
    document = session.get(
        PublishedDocument, url, options=[defer(PublishedDocument.body), defer(PublishedDocument.gzip_body)]
    )
    document = document or PublishedDocument(url=url)
    document.walk_slug = walk.slug if walk else ""
    document.content_type = content_type
    document.body = body
    if gzipped is not None:
        document.gzip_body = gzipped.result()  # compressed on another thread while the rest rendered
    else:
        document.gzip_body = gzip_bytes(body) if compress else b""
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
