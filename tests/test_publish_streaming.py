"""Publishing renders one stop at a time, loads twins in one query and lists walks without their stops.

The streamed bytes must be exactly what serialising the whole documents gave before.
"""

import gzip
import json

from sqlalchemy import event, select

from server.domain.models import PublishedDocument, Stop, Walk
from server.domain.ogc.prepared import prepared_url, render_prepared
from server.domain.publishing.documents import public_stops, published_outlines, render_stops, render_walk_index
from server.domain.publishing.publish import encode_json, publish_walk

WALKS = ("gent-kanazawa", "kanazawa-gent")


def stored(session, url: str) -> PublishedDocument:
    return session.get(PublishedDocument, url)


def test_streamed_documents_are_byte_for_byte_the_serialised_ones(session):
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
        walk_document = json.loads(stored(session, f"/api/walks/{slug}").body)
        expected_prepared = render_prepared(walk_document, render_stops(walk))
        assert stored(session, prepared_url(slug)).body == expected_prepared


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
    # The walk's stops, their twins, the index's counts: not one more per twinned stop.
    assert len(statements) <= 3, statements
