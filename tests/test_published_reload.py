"""A process reloads only the published documents that changed, and reads a large one a piece at a time.

A reload after any publication used to read every document's whole bytes into Python: +205 MB at its
peak with a 10,000-stop walk. Here the documents it already holds are kept as they are (not read, the
same objects, so what was parsed or prepared from them stays too), and a large changed one goes from
the database into the spill file in pieces. bench/reload_memory.py shows the process's own peak.

While one thread reloads, the others answer from the documents held, without waiting for it.
"""

import gzip
import os
import threading
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete, text

from server.domain.models import PublishedDocument, SiteState
from server.domain.publishing import spool
from server.domain.publishing.publish import publish_walk
from server.domain.publishing.spool import SpooledDocument
from server.domain.publishing.storage import write_document
from server.published import store
from server.published.store import SPILL_BYTES, PublishedDocuments

BIG_URL = "/api/walks/big/stops"
BIG_BYTES = 6 * 1024 * 1024


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces far smaller than the document, as 256 KB pieces are against a 10,000-stop walk's 50 MB."""
    monkeypatch.setattr(spool, "PIECE_BYTES", 64 * 1024)


def publish_bytes(app, url: str, body: bytes) -> None:
    """Store `body` as a published document the way publishing does, and tell every process."""
    document = SpooledDocument()
    try:
        document.write(body)
        with app.extensions["db"].session() as session:
            write_document(session, url, "big", "application/geo+json", 1, document)
            bump(session)
            session.commit()
    finally:
        document.close()


def bump(session) -> None:
    state = session.get(SiteState, 1) or SiteState(id=1, publication=0)
    state.publication += 1
    session.add(state)


def big_body() -> bytes:
    """Random hex: the gzip is about half the document, large enough to go in pieces too."""
    return b'{"type":"FeatureCollection","features":["' + os.urandom(BIG_BYTES).hex().encode()[:BIG_BYTES] + b'"]}'


@pytest.fixture
def documents(app):
    return PublishedDocuments(app.extensions["db"].sessions, check_seconds=0, max_age=60)


@pytest.fixture
def reads(monkeypatch):
    """The URLs a reload reads, in pieces (large) or whole (small), and the size of each piece read."""
    seen: dict[str, list[int]] = {}
    read_in_pieces, read_whole = store.read_published_bytes, store.load_published_document

    def counted_pieces(session, entry, plain, packed):
        pieces = seen.setdefault(entry.url, [])

        def counting(write):
            def counted(piece):
                pieces.append(len(piece))
                write(piece)

            return counted

        return read_in_pieces(session, entry, counting(plain), counting(packed))

    def counted_whole(session, url):
        seen.setdefault(url, []).append(-1)  # -1: read whole
        return read_whole(session, url)

    monkeypatch.setattr(store, "read_published_bytes", counted_pieces)
    monkeypatch.setattr(store, "load_published_document", counted_whole)
    return seen


def test_a_large_document_is_read_in_pieces_and_served_byte_for_byte(app, client, documents, reads, small_pieces):
    body = big_body()
    publish_bytes(app, BIG_URL, body)
    tracemalloc.start()
    try:
        documents.refresh()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(body) > 8 * spool.PIECE_BYTES > SPILL_BYTES
    # The document and its gzip went through in pieces, none larger than a piece; nothing held them whole.
    assert len(reads[BIG_URL]) > len(body) // spool.PIECE_BYTES
    assert max(reads[BIG_URL]) <= spool.PIECE_BYTES
    assert peak < len(body) // 4, f"a reload's Python peak {peak} bytes for a {len(body)}-byte document"
    served = documents.get(BIG_URL)
    assert served.body == body and gzip.decompress(served.gzip_body) == body
    assert served.read(10, 20) == body[10:20]
    # What a client gets is the same bytes, with the lengths and tags of before.
    plain = client.get(BIG_URL, headers={"Accept-Encoding": "identity"})
    assert plain.data == body and plain.headers["Content-Length"] == str(len(body))
    packed = client.get(BIG_URL, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and gzip.decompress(packed.get_data()) == body
    assert packed.headers["ETag"] == served.gzip_etag


def test_another_publication_reads_only_what_changed(app, documents, reads):
    publish_bytes(app, BIG_URL, big_body())
    documents.refresh()
    before = dict(documents._documents)
    assert BIG_URL in reads and "/api/walks" in reads
    reads.clear()
    with app.extensions["db"].session() as session:
        publish_walk(session, "kanazawa-gent", user_id=None)
        session.commit()
    documents.refresh()
    after = documents._documents
    # What the new version changed was read (the index, the walk's documents that carry its version);
    # the large document was not, and is the same object, as is every document whose bytes stayed.
    assert BIG_URL not in reads
    assert "/api/walks" in reads and "/api/walks/kanazawa-gent" in reads
    assert after[BIG_URL] is before[BIG_URL]
    assert all(after[url] is before[url] for url in before if url not in reads)
    assert "/api/walks/gent-kanazawa/stops" not in reads
    assert after["/api/walks/gent-kanazawa/stops"] is before["/api/walks/gent-kanazawa/stops"]


def test_a_document_no_longer_published_goes_and_a_replaced_one_is_read_again(app, documents, reads):
    publish_bytes(app, BIG_URL, big_body())
    documents.refresh()
    replacement = big_body()
    publish_bytes(app, BIG_URL, replacement)
    documents.refresh()
    assert documents.get(BIG_URL).body == replacement
    with app.extensions["db"].session() as session:
        session.execute(delete(PublishedDocument).where(PublishedDocument.url == BIG_URL))
        bump(session)
        session.commit()
    documents.refresh()
    assert documents.get(BIG_URL) is None
    assert documents.get("/api/walks") is not None


def test_a_document_replaced_while_it_is_read_keeps_its_old_copy_until_the_next_check(
    app, documents, monkeypatch, small_pieces
):
    first = big_body()
    publish_bytes(app, BIG_URL, first)
    documents.refresh()
    publish_bytes(app, BIG_URL, big_body())
    read_in_pieces = store.read_published_bytes

    def replaced_meanwhile(session, entry, plain, packed):
        plain(b"bytes of a later publication")  # what a read sees whose row was replaced under it
        return True

    monkeypatch.setattr(store, "read_published_bytes", replaced_meanwhile)
    documents.refresh()
    # Never bytes that do not match their sha256: the old copy is served and the next check tries again.
    assert documents.get(BIG_URL).body == first
    monkeypatch.setattr(store, "read_published_bytes", read_in_pieces)
    documents.refresh()
    with app.extensions["db"].session() as session:
        assert documents.get(BIG_URL).body == session.get(PublishedDocument, BIG_URL).body


@pytest.fixture
def held_reads(monkeypatch):
    """Reads of large documents that, once `go_on` is cleared, say they started and wait for it again."""
    reading, go_on = threading.Event(), threading.Event()
    go_on.set()
    read_in_pieces = store.read_published_bytes

    def held(session, entry, plain, packed):
        reading.set()
        go_on.wait(60)
        return read_in_pieces(session, entry, plain, packed)

    monkeypatch.setattr(store, "read_published_bytes", held)
    yield reading, go_on
    go_on.set()


def fetch(app, url: str):
    """GET `url` through the app (its WSGI layers included) as a client of its own."""
    return app.test_client().get(url, headers={"Accept-Encoding": "identity"})


def test_requests_are_answered_from_the_documents_held_while_another_thread_reloads(app, held_reads, small_pieces):
    reading, go_on = held_reads
    first, second = big_body(), big_body()
    publish_bytes(app, BIG_URL, first)
    assert fetch(app, BIG_URL).data == first
    publish_bytes(app, BIG_URL, second)
    reading.clear()
    go_on.clear()
    with ThreadPoolExecutor(2) as pool:
        reloading = pool.submit(fetch, app, BIG_URL)  # sees the publication and reads the new bytes, held
        assert reading.wait(60)
        meanwhile = pool.submit(fetch, app, BIG_URL)
        try:
            answer = meanwhile.result(timeout=20)  # waiting for the reload's lock, it would hang until go_on
        finally:
            go_on.set()
        assert answer.status_code == 200 and answer.data == first
        assert reloading.result(timeout=60).data == second
    # The reload done, its documents are what every request gets.
    assert fetch(app, BIG_URL).data == second


def test_requests_before_the_first_load_wait_for_it_rather_than_find_nothing(app, held_reads, small_pieces):
    reading, go_on = held_reads
    publish_bytes(app, BIG_URL, big_body())
    documents = PublishedDocuments(app.extensions["db"].sessions, check_seconds=0, max_age=60)
    reading.clear()
    go_on.clear()
    with ThreadPoolExecutor(2) as pool:
        loading = pool.submit(documents.get, BIG_URL)
        assert reading.wait(60)
        waiting = pool.submit(documents.get, "/api/walks")  # nothing held yet: an empty map would say 404
        go_on.set()
        assert waiting.result(timeout=60) is not None
        assert loading.result(timeout=60) is not None


def test_postgresql_stores_published_bytes_uncompressed_so_a_slice_reads_only_its_part(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite reads a blob in pieces as it is stored (migration 0009 changes PostgreSQL only)")
    publish_bytes(app, BIG_URL, big_body())
    with app.extensions["db"].session() as session:
        storage = dict(
            session.execute(
                text(
                    "SELECT attname, attstorage FROM pg_attribute"
                    " WHERE attrelid = 'published_documents'::regclass AND attname IN ('body', 'gzip_body')"
                )
            ).all()
        )
        compression = session.execute(
            text(
                "SELECT pg_column_compression(body), pg_column_compression(gzip_body)"
                " FROM published_documents WHERE url = :url"
            ),
            {"url": BIG_URL},
        ).one()
    assert storage == {"body": "e", "gzip_body": "e"}  # EXTERNAL: out of line, never compressed
    assert tuple(compression) == (None, None)


def test_spill_files_pinned_by_kept_documents_are_gathered_once_mostly_dead(app, documents):
    """A file of an old reload stays while a document kept from it lives, with the replaced bytes beside it."""
    small = SPILL_BYTES + 50_000
    kept: dict[str, bytes] = {}
    moved = []
    for round_ in range(1, 5):
        kept[BIG_URL] = big_body()
        kept[f"/api/walks/big/gpx?lang=l{round_}"] = big_body()[:small]
        for url in (BIG_URL, f"/api/walks/big/gpx?lang=l{round_}"):
            publish_bytes(app, url, kept[url])
        held = dict(documents._documents)
        documents.refresh()
        served = documents._documents
        moved += [url for url in held if url in served and served[url] is not held[url] and url != BIG_URL]
        spilled = [found for document in served.values() if (found := document.spilled) is not None]
        files = {id(file): file for file, _ in spilled}
        assert sum(file.end for file in files.values()) <= 2 * sum(size for _, size in spilled)
        for url, body in kept.items():
            assert served[url].body == body and gzip.decompress(served[url].gzip_body) == body
    assert moved  # the bound above was kept by gathering, not because nothing was left behind


def test_migration_0009_rewrites_the_bytes_postgresql_had_compressed(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite reads a blob in pieces as it is stored (migration 0009 changes PostgreSQL only)")
    from alembic import command

    from server.migrate import alembic_config, upgrade

    command.downgrade(alembic_config(database_url), "0008")
    body = b'{"words":"' + b"temple garden river " * 100_000 + b'"}'
    publish_bytes(app, BIG_URL, body)
    compression = "SELECT pg_column_compression(body) FROM published_documents WHERE url = :url"
    with app.extensions["db"].session() as session:
        assert session.execute(text(compression), {"url": BIG_URL}).scalar() is not None
    upgrade(database_url)
    with app.extensions["db"].session() as session:
        assert session.execute(text(compression), {"url": BIG_URL}).scalar() is None
        assert session.get(PublishedDocument, BIG_URL).body == body
