"""Publishing renders one stop at a time, loads twins in one query and lists walks without their stops.

The streamed bytes must be exactly what serialising the whole documents gave before.
"""

import gzip
import hashlib
import json
from datetime import UTC, datetime

import gpxpy.gpx
import pytest
from sqlalchemy import event, inspect, select

from server.domain.basemap.installed import walk_basemap
from server.domain.errors import ValidationError
from server.domain.languages import pick_text
from server.domain.models import AuditEvent, PublishedDocument, Stop, Walk
from server.domain.ogc.prepared import PREPARED_TYPE, prepared_url, render_prepared
from server.domain.publishing import spool
from server.domain.publishing.documents import (
    public_stops,
    published_outlines,
    render_stops,
    render_walk,
    render_walk_index,
)
from server.domain.publishing.gpx import render_gpx
from server.domain.publishing.publish import encode_json, publish_walk
from server.domain.publishing.release import publish

WALKS = ("gent-kanazawa", "kanazawa-gent")


@pytest.fixture(params=["whole", "in pieces"])
def pieces(request, monkeypatch):
    """Documents written whole (they fit in a piece) and, with tiny pieces, the way a big walk's are."""
    if request.param == "in pieces":
        monkeypatch.setattr(spool, "PIECE_BYTES", 4096)
        monkeypatch.setattr(spool, "BUFFER_BYTES", 1000)


def stored(session, url: str) -> PublishedDocument:
    return session.get(PublishedDocument, url)


def test_streamed_documents_are_byte_for_byte_the_serialised_ones(session, pieces):
    for slug in WALKS:
        publish_walk(session, slug, None)
    walks = list(session.scalars(select(Walk).order_by(Walk.slug)))
    # Counts and extents from the database give the same index as counting the loaded stops.
    assert render_walk_index(walks, published_outlines(session)) == render_walk_index(walks)
    assert json.loads(stored(session, "/api/walks").body)["walks"][0]["stop_count"] == len(public_stops(walks[0]))
    for slug in WALKS:
        walk = session.scalar(select(Walk).where(Walk.slug == slug))
        stops = stored(session, f"/api/walks/{slug}/stops")
        assert stops.body == encode_json(render_stops(walk))
        assert gzip.decompress(stops.gzip_body) == stops.body
        walk_document = stored(session, f"/api/walks/{slug}").body
        walk.published_at = walk.published_at.replace(tzinfo=UTC)  # SQLite gives it back without its zone
        assert walk_document == encode_json(render_walk(walk, walk_basemap(session, walk)[0]))
        expected_prepared = render_prepared(json.loads(walk_document), render_stops(walk))
        assert stored(session, prepared_url(slug)).body == expected_prepared
        for language in walk.languages:
            expected_gpx = gpxpy_document(walk, language).encode()
            assert render_gpx(walk, language).encode() == expected_gpx
            assert stored(session, f"/api/walks/{slug}/gpx?lang={language}").body == expected_gpx
        assert stored(session, f"/api/walks/{slug}/gpx").body == gpxpy_document(walk, walk.default_language).encode()


def gpxpy_document(walk: Walk, language: str) -> str:
    """The GPX as gpxpy writes it with every waypoint in one GPX object (how it was rendered before)."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Kotoji"
    gpx.name = pick_text(walk.title, language)
    gpx.description = pick_text(walk.intro, language)
    for order, stop in enumerate(public_stops(walk), start=1):
        gpx.waypoints.append(
            gpxpy.gpx.GPXWaypoint(
                latitude=stop.lat,
                longitude=stop.lon,
                name=f"{order}. {pick_text(stop.name, language)}",
                description=pick_text(stop.summary, language),
                type="stop",
            )
        )
    track = gpxpy.gpx.GPXTrack(name=pick_text(walk.title, language))
    track.segments.append(
        gpxpy.gpx.GPXTrackSegment([gpxpy.gpx.GPXTrackPoint(latitude=lat, longitude=lon) for lon, lat, *_ in walk.path])
    )
    gpx.tracks.append(track)
    return gpx.to_xml(version="1.1")


def test_every_stored_document_keeps_its_gzip_and_hash_as_one_shot_compression_made_them(session, pieces):
    for slug in WALKS:
        publish_walk(session, slug, None)
    documents = session.scalars(select(PublishedDocument)).all()
    assert len(documents) > 10
    for document in documents:
        assert document.sha256 == hashlib.sha256(document.body).hexdigest(), document.url
        if document.content_type == PREPARED_TYPE:
            assert document.gzip_body == b"", document.url  # never sent as it is
        else:
            assert document.gzip_body == gzip.compress(document.body, compresslevel=9, mtime=0), document.url


def test_a_deleted_stop_leaves_the_documents_even_when_published_without_the_editor(app):
    with app.extensions["db"].session() as session:
        walk = session.scalar(select(Walk).where(Walk.slug == "gent-kanazawa"))
        gone = public_stops(walk)[1]
        gone.deleted_at = datetime.now(UTC)
        count, gone_slug = len(public_stops(walk)) - 1, gone.slug
        session.commit()
    with app.extensions["db"].session() as session:  # walk.stops never loaded, as when manage.py republishes
        publish_walk(session, "gent-kanazawa", None)
        session.commit()
    with app.extensions["db"].session() as session:
        features = json.loads(stored(session, "/api/walks/gent-kanazawa/stops").body)["features"]
        assert [f["id"] for f in features].count(gone_slug) == 0 and len(features) == count
        walks = json.loads(stored(session, "/api/walks").body)["walks"]
        assert next(w for w in walks if w["slug"] == "gent-kanazawa")["stop_count"] == count


def test_the_walk_index_is_rendered_without_loading_other_walks_stops(app):
    with app.extensions["db"].session() as session:
        publish_walk(session, "gent-kanazawa", None)
        loaded = {stop.walk.slug for stop in session.identity_map.values() if isinstance(stop, Stop)}
        session.commit()
    assert "kanazawa-gent" not in loaded
    with app.extensions["db"].session() as session:
        index = json.loads(stored(session, "/api/walks").body)
        other = session.scalar(select(Walk).where(Walk.slug == "kanazawa-gent"))
        summary = next(w for w in index["walks"] if w["slug"] == "kanazawa-gent")
        assert summary["stop_count"] == len(public_stops(other)) > 0


def test_twins_are_loaded_in_one_query_not_one_per_stop(app):
    with app.extensions["db"].session() as session:
        here = public_stops(session.scalar(select(Walk).where(Walk.slug == "gent-kanazawa")))
        there = session.scalars(select(Stop).join(Stop.walk).where(Walk.slug == "kanazawa-gent")).all()
        for stop, twin in zip(here, there, strict=False):
            stop.twin = twin
        twinned = min(len(here), len(there))
        session.commit()
    assert twinned >= 4
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "FROM stops" in statement:
            statements.append(statement)

    engine = app.extensions["db"].engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        with app.extensions["db"].session() as session:
            publish_walk(session, "gent-kanazawa", None)
            session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # The stops' outline and readings, the walk's stops, their twins, the index's counts: not one more per
    # twinned stop.
    assert len(statements) <= 4, statements


def test_publishing_from_the_editor_checks_the_stops_without_loading_them_all(app):
    with app.extensions["db"].session() as session:
        version = publish(session, "gent-kanazawa", None)
        walk = session.scalar(select(Walk).where(Walk.slug == "gent-kanazawa"))
        assert "stops" in inspect(walk).unloaded  # checked and rendered a batch at a time
        event = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
        assert event.details["version"] == version
        assert event.details["stops"] == [stop.slug for stop in public_stops(walk)]


def test_a_walk_without_published_stops_is_refused_and_says_so(app):
    with app.extensions["db"].session() as session:
        walk = session.scalar(select(Walk).where(Walk.slug == "gent-kanazawa"))
        for stop in walk.stops:
            stop.status = "draft"
        session.flush()
        with pytest.raises(ValidationError) as refused:
            publish(session, "gent-kanazawa", None)
        assert "no stop is set to published" in refused.value.problems
