"""Publishing holds one stop at a time, never the whole walk: its peak does not grow with the walk.

Peaks are Python's allocations (tracemalloc) while `publish_walk` runs, for the same walk with N
and then 4N published stops; what the added stops weigh is the growth of the walk's stored bytes.
Publishing that held the walk (its stops, a document's bytes, a tree of its features) would grow
by more than those bytes; streaming keeps nothing per stop. What is below Python (a driver's buffers,
SQLite's blobs) is not traced here: the column order test and bench/publish_scale.py cover it.
"""

import tracemalloc

import pytest
from sqlalchemy import func, select, text

from server.domain.models import PublishedDocument, Stop, Walk
from server.domain.publishing import documents, spool
from server.domain.publishing.publish import publish_walk

WALK = "gent-kanazawa"
SMALL = 120


@pytest.fixture
def small_pieces(monkeypatch):
    """Batches and pieces far smaller than the walk, as they are against a 10,000-stop walk."""
    monkeypatch.setattr(documents, "STOP_BATCH", 20)
    monkeypatch.setattr(spool, "PIECE_BYTES", 16 * 1024)


def add_stops(app, count: int) -> None:
    """Add `count` published stops to the walk, copies of its first with texts of their own."""
    with app.extensions["db"].session() as session:
        walk = session.scalar(select(Walk).where(Walk.slug == WALK))
        model = documents.public_stops(walk)[0]
        last = max(stop.position for stop in walk.stops)
        for n in range(last + 1, last + 1 + count):
            session.add(
                Stop(
                    walk_id=walk.id,
                    slug=f"copy-{n}",
                    position=n,
                    lat=model.lat + n * 1e-5,
                    lon=model.lon - n * 1e-5,
                    name={lang: f"{text} {n}" for lang, text in model.name.items()},
                    name_reading=model.name_reading,
                    summary={lang: f"{n}: {text}" for lang, text in model.summary.items()},
                    body={lang: f"<p>{n}</p>{text}" for lang, text in model.body.items()},
                    address=model.address,
                    accessibility=model.accessibility,
                    images=model.images,
                    audio=model.audio,
                    sources=model.sources,
                    status="published",
                )
            )
        session.commit()


def publish_peak(app) -> tuple[int, int]:
    """Publish the walk; return the peak of Python's allocations meanwhile and the walk's stored bytes."""
    with app.extensions["db"].session() as session:
        tracemalloc.start()
        try:
            publish_walk(session, WALK, None)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        session.commit()
        stored = session.scalar(
            select(func.sum(func.length(PublishedDocument.body))).where(PublishedDocument.walk_slug == WALK)
        )
    return peak, stored


def test_publishing_four_times_the_stops_does_not_hold_them(app, small_pieces):
    add_stops(app, SMALL)
    publish_peak(app)  # once before measuring: imports, caches and the gpxpy templates are made
    small_peak, small_bytes = publish_peak(app)
    add_stops(app, 3 * SMALL)
    big_peak, big_bytes = publish_peak(app)
    added_bytes = big_bytes - small_bytes
    assert added_bytes > 3 * SMALL * 2000  # the added stops are real weight: several KB each
    # Holding the walk would add at least those bytes; streaming adds nothing per stop (noise: a few KB).
    assert big_peak - small_peak < added_bytes / 10, (small_peak, big_peak, added_bytes)


def test_sqlite_keeps_the_bytes_last_so_reserving_them_allocates_nothing(app, session):
    """SQLite expands a zeroblob(N) in memory unless only zero-length fields follow it (migration 0008)."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL receives the bytes through COPY, in any column order")
    columns = [row[1] for row in session.execute(text("PRAGMA table_info(published_documents)"))]
    assert columns[-2:] == ["body", "gzip_body"]
