"""Publishing: render a walk's public documents once, as bytes, and store them for every instance.

Publishing bumps the walk's version, so ETags, the offline manifest and the PWA's downloaded
copies all change with it. Public requests only ever read what was stored here.
"""

import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from math import inf
from typing import NamedTuple, cast

from sqlalchemy import delete, func, literal_column, select
from sqlalchemy.orm import Session, aliased, joinedload

from ..basemap.installed import walk_basemap
from ..json_types import JSONObject
from ..models import Media, PublishedDocument, SiteState, Stop, Walk
from ..ogc.collections import COLLECTION_TYPE, collection_facts, collection_url
from ..ogc.documents import languages_with_reading
from ..ogc.prepared import PREPARED_TYPE, PreparedFeatures, prepared_url
from ..walks.lookup import get_walk, list_walks
from ..walks.validation import geojson_problems
from . import spool
from .documents import (
    StopsOutline,
    is_public_stop_of,
    media_names,
    media_url,
    published_outlines,
    published_stop_rows,
    render_path,
    render_walk_index,
    rounded_point,
    stop_feature,
    stop_summary,
    walk_head,
    walk_tail,
)
from .gpx import GpxWriter
from .spool import GzipThread, SpooledDocument
from .storage import write_document

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
    twins = _load_twins(session, walk)  # held here: the session keeps loaded objects only while referenced
    basemap, tiles = walk_basemap(session, walk)
    outline, readings = _survey(session, walk)
    head = walk_head(walk, outline)
    path = render_path(walk)
    # Once per publication, never per request: the `geojson` package checks what goes public.
    problems = geojson_problems(path, f"{base}/path")
    if problems:
        raise ValueError("; ".join(problems))  # a bug in rendering, not an editor's mistake
    # The thread ends first (its pieces written) and then the files close.
    with ExitStack() as spools, GzipThread() as gzip_thread:

        def spooled(compress: bool = True) -> SpooledDocument:
            return spools.enter_context(_spooled(compress, gzip_thread))

        walk_document, stops, ogc = spooled(), spooled(), spooled(compress=False)
        gpx = {language: (GpxWriter(walk, language), spooled()) for language in walk.languages}
        # The OGC features, rendered once here rather than by every process (never sent as they are).
        prepared = PreparedFeatures(head, readings, lambda: spools.enter_context(tempfile.TemporaryFile()))
        media, first_stop = _render_stops(session, walk, head, basemap, walk_document, stops, prepared, gpx)
        prepared.write_to(ogc.write)
        documents = [
            _store_spooled(session, base, walk, JSON, walk_document),
            _store_spooled(session, f"{base}/stops", walk, GEOJSON, stops),
            _store(session, f"{base}/path", walk, GEOJSON, encode_json(path)),
        ]
        _store_spooled(session, prepared_url(walk.slug), walk, PREPARED_TYPE, ogc)
        for language, (_, body) in gpx.items():
            _store_spooled(session, f"{base}/gpx?lang={language}", walk, GPX, body)
            if language == walk.default_language:
                documents.append(_store_spooled(session, f"{base}/gpx", walk, GPX, body))
    del twins
    manifest = render_offline_manifest(session, walk, documents, tiles, media)
    _store(session, f"{base}/offline", walk, JSON, encode_json(manifest))
    # What /ogc/collections needs of the walk, so no request reads the walk's whole document for it.
    facts = collection_facts(head, first_stop)
    _store(session, collection_url(walk.slug), walk, COLLECTION_TYPE, encode_json(facts))
    current = {d.url for d in documents} | {f"{base}/offline", prepared_url(walk.slug), collection_url(walk.slug)}
    current |= {f"{base}/gpx?lang={lang}" for lang in walk.languages}
    session.execute(
        delete(PublishedDocument).where(PublishedDocument.walk_slug == walk.slug, PublishedDocument.url.not_in(current))
    )


def _render_stops(
    session: Session,
    walk: Walk,
    head: JSONObject,
    basemap: JSONObject | None,
    walk_document: SpooledDocument,
    stops: SpooledDocument,
    prepared: PreparedFeatures,
    gpx: dict[str, tuple[GpxWriter, SpooledDocument]],
) -> tuple[list[str], str | None]:
    """Write every document that lists the stops in one pass over them.

    Return the media they use and the first stop's slug (None without stops).

    Each stop is rendered once for all of them and let go of: the bytes are `encode_json` of the
    whole documents (`render_walk`, `render_stops`, `render_gpx`), written a stop at a time.
    """
    walk_document.write(encode_json(head)[:-1] + b',"stops":[')
    stops.write(b'{"type":"FeatureCollection","features":[')
    for writer, body in gpx.values():
        body.write(writer.head)
    media: dict[str, None] = {}  # in walking order, each once
    first_stop = None
    for order, stop in enumerate(published_stop_rows(session, walk), start=1):
        comma = b"," if order > 1 else b""
        first_stop = first_stop or stop.slug
        walk_document.write(comma + encode_json(stop_summary(stop, order)))
        feature = stop_feature(stop, order)
        problems = geojson_problems(feature, f"/api/walks/{walk.slug}/stops feature {order}")
        if problems:
            raise ValueError("; ".join(problems))  # a bug in rendering, not an editor's mistake
        stops.write(comma + encode_json(feature))
        prepared.add(feature)
        for writer, body in gpx.values():
            body.write(writer.waypoint(stop, order))
        media.update((item["media"], None) for item in [*stop.images, *stop.audio.values()])
    walk_document.write(b"]," + encode_json(walk_tail(walk, basemap))[1:])
    stops.write(b"]}")
    for writer, body in gpx.values():
        body.write(writer.tail)
    return list(media), first_stop


def _survey(session: Session, walk: Walk) -> tuple[StopsOutline, list[str]]:
    """Return the outline of the walk's published stops and their languages with name readings.

    Both are needed before the first stop is written: one pass over three columns, no stop loaded.
    """
    query = (
        select(Stop.lon, Stop.lat, Stop.name_reading).where(is_public_stop_of(walk)).execution_options(yield_per=2000)
    )
    corners = [inf, inf, -inf, -inf]  # west, south, east, north of the rounded points
    count = 0

    def readings() -> Iterator[JSONObject | None]:
        nonlocal count
        for lon, lat, reading in session.execute(query):
            x, y = rounded_point(lon, lat)
            corners[:] = [min(corners[0], x), min(corners[1], y), max(corners[2], x), max(corners[3], y)]
            count += 1
            yield reading

    languages = languages_with_reading(readings())
    return StopsOutline(count, [corners[:2], corners[2:]] if count else []), languages


def _load_twins(session: Session, walk: Walk) -> list[Stop]:
    """Load the twins of the walk's stops (and their walks) in one query, not one query per stop."""
    twinned = aliased(Stop)  # not the outer query's stops, which the subquery would otherwise correlate with
    twin_ids = select(twinned.twin_id).where(twinned.walk_id == walk.id, twinned.twin_id.is_not(None))
    return list(session.scalars(select(Stop).where(Stop.id.in_(twin_ids)).options(joinedload(Stop.walk))))


@contextmanager
def _spooled(compress: bool = True, gzip_thread: GzipThread | None = None) -> Iterator[SpooledDocument]:
    document = SpooledDocument(compress, gzip_thread)
    try:
        yield document
    finally:
        document.close()


def render_offline_manifest(
    session: Session,
    walk: Walk,
    documents: list[StoredDocument],
    basemap_tiles: Sequence[JSONObject] = (),
    media: list[str] | None = None,  # the names `media_names(walk)` would return, when known
) -> JSONObject:
    """Return every URL the walk needs offline, with its size and sha256, and the total."""
    entries = [{"url": d.url, "bytes": d.size, "sha256": d.sha256} for d in documents]
    for name in media_names(walk) if media is None else media:
        stored = session.get(Media, name.split(".")[0])
        assert stored is not None, name  # saving a stop checks its media exist, and media are never deleted
        entries.append({"url": media_url(name), "bytes": stored.size, "sha256": stored.sha256})
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
    existing = session.scalar(select(PublishedDocument.version).where(PublishedDocument.url == url))
    _store(session, url, None, content_type, body, version=(existing or 0) + 1)


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
) -> StoredDocument:
    with _spooled() as document:
        document.write(body)
        return _store_spooled(session, url, walk, content_type, document, version)


def _store_spooled(
    session: Session, url: str, walk: Walk | None, content_type: str, document: SpooledDocument, version: int = 0
) -> StoredDocument:
    slug, version = (walk.slug, walk.version) if walk else ("", version)
    write_document(session, url, slug, content_type, version, document)
    return StoredDocument(url, document.size, document.sha256)


def publication_counter(session: Session) -> int:
    """Return the site's publication counter (0 before anything was published)."""
    return session.scalar(select(SiteState.publication).where(SiteState.id == 1)) or 0


class PublishedEntry(NamedTuple):
    """What a published document is, without its bytes: enough to tell whether a process's copy is current."""

    url: str
    sha256: str
    content_type: str
    size: int
    gzip_size: int


def published_entries(session: Session) -> list[PublishedEntry]:
    """Return every published document's URL, sha256 and sizes, without reading a byte of them.

    `length` reads a blob's size from its row header on SQLite and from the TOAST pointer on PostgreSQL.
    """
    query = select(
        PublishedDocument.url,
        PublishedDocument.sha256,
        PublishedDocument.content_type,
        func.length(PublishedDocument.body),
        func.length(PublishedDocument.gzip_body),
    ).order_by(PublishedDocument.url)
    return [PublishedEntry(*row) for row in session.execute(query)]


def read_consistently(session: Session) -> None:
    """Let the session's transaction see one snapshot from its first statement to its end.

    A document read in pieces must not mix two publications' bytes. On PostgreSQL every statement of a
    READ COMMITTED transaction sees the latest commit; REPEATABLE READ keeps the first one's view.
    (SQLite's blob handles, held open while read, keep their own snapshot: see `read_published_bytes`.)
    Call it before the session's first statement.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def load_published_document(session: Session, url: str) -> PublishedDocument | None:
    """Return one published document with its bytes, not kept by the session (for the small ones)."""
    document = session.get(PublishedDocument, url)
    if document is not None:
        session.expunge(document)  # its bytes go once the caller has kept what it needs
    return document


def read_published_bytes(
    session: Session, entry: PublishedEntry, plain: Callable[[bytes], None], packed: Callable[[bytes], None]
) -> bool:
    """Give the document's bytes to `plain` and then its gzip to `packed`, a piece at a time.

    Never more than a piece is in memory, however big the document: SQLite's incremental blob I/O,
    PostgreSQL's `substring` slices (cheap on columns stored uncompressed, migration 0009), other
    databases the whole value. Returns False when the document is no longer there; the caller checks
    the sha256 of what it got, which differs when a publication replaced the row meanwhile.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return _read_sqlite(session, entry.url, plain, packed)
    if dialect == "postgresql":
        where = PublishedDocument.url == entry.url
        for column, size, write in (
            (PublishedDocument.body, entry.size, plain),
            (PublishedDocument.gzip_body, entry.gzip_size, packed),
        ):
            for start in range(0, size, spool.PIECE_BYTES):
                piece = session.scalar(select(func.substring(column, start + 1, spool.PIECE_BYTES)).where(where))
                if piece is None:
                    return False
                write(bytes(piece))
        return True
    document = load_published_document(session, entry.url)
    if document is None:
        return False
    plain(document.body)
    packed(document.gzip_body)
    return True


def _read_sqlite(session: Session, url: str, plain: Callable[[bytes], None], packed: Callable[[bytes], None]) -> bool:
    rowid = session.execute(
        select(literal_column("rowid")).select_from(PublishedDocument).where(PublishedDocument.url == url)
    ).scalar_one_or_none()
    if rowid is None:
        return False
    raw = cast(sqlite3.Connection, session.connection().connection.dbapi_connection)
    try:
        # Both handles open before either is read: together they hold one read snapshot (WAL), so the
        # gzip is of the same row as the bytes even if the row is replaced meanwhile.
        with (
            raw.blobopen("published_documents", "body", rowid, readonly=True) as body,
            raw.blobopen("published_documents", "gzip_body", rowid, readonly=True) as gzip_body,
        ):
            for blob, write in ((body, plain), (gzip_body, packed)):
                while piece := blob.read(spool.PIECE_BYTES):
                    write(piece)
    except sqlite3.OperationalError:
        return False  # the row went (or moved to a new rowid) between the two statements
    return True
