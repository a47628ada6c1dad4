"""The OGC collections come from facts stored at publication: the same bytes, whatever the walks' size.

Before, a request read every walk's full published document (all its stops' summaries) to write a
few hundred bytes per walk: a process held tens of MB for a 10,000-stop walk and paid its parsing after
every publication. Now publishing stores what a collection needs, and the answers stay what they were.
"""

import json
import tracemalloc

from sqlalchemy import delete, select

from server.domain.models import PublishedDocument, SiteState, Walk
from server.domain.ogc.collections import COLLECTION_KEYS, COLLECTION_TYPE, collection_url, collections_document
from server.domain.ogc.documents import Links
from server.domain.publishing.publish import publish_walk, unpublish_walk
from tests.test_publish_memory import add_stops

WALKS = ("gent-kanazawa", "kanazawa-gent")  # both with name readings and twins
SMALL = 120


def collection_answers(client) -> dict[str, tuple[int, str | None, bytes]]:
    """Return status, ETag and bytes of the collections documents in every format and language."""
    answers = {}
    for path in ["/ogc/collections", *(f"/ogc/collections/{walk}" for walk in WALKS)]:
        for query in ["", "?f=json", "?f=html", "?lang=ja", "?lang=nl&f=html", "?lang=en"]:
            for headers in [{}, {"Accept-Language": "ja"}, {"Accept": "text/html"}]:
                response = client.get(path + query, headers=headers)
                answers[f"{path}{query} {headers}"] = (response.status_code, response.headers["ETag"], response.data)
    api = client.get("/ogc/api?f=json")
    answers["/ogc/api?f=json"] = (api.status_code, api.headers["ETag"], api.data)
    return answers


def forget_collection_facts(session) -> None:
    """Remove the stored facts, as for walks published before they existed, and let every process reload."""
    session.execute(delete(PublishedDocument).where(PublishedDocument.content_type == COLLECTION_TYPE))
    session.get(SiteState, 1).publication += 1
    session.commit()


def test_publishing_stores_what_a_collection_needs_and_nothing_of_the_stops(session):
    for slug in WALKS:
        walk_document = json.loads(session.get(PublishedDocument, f"/api/walks/{slug}").body)
        stored = session.get(PublishedDocument, collection_url(slug))
        assert stored is not None and stored.content_type == COLLECTION_TYPE
        facts = json.loads(stored.body)
        assert facts == {
            **{key: walk_document[key] for key in COLLECTION_KEYS},
            "first_stop": walk_document["stops"][0]["slug"],
        }
        assert len(stored.body) < 4000


def test_collections_are_byte_for_byte_what_the_full_walk_documents_gave(app, client, session):
    assert app.extensions["published_documents"].get(collection_url(WALKS[0])) is not None
    from_facts = collection_answers(client)
    forget_collection_facts(session)
    assert app.extensions["published_documents"].get(collection_url(WALKS[0])) is None
    from_walk_documents = collection_answers(client)  # the way every collection was built before
    assert from_facts == from_walk_documents
    assert {status for status, _, _ in from_facts.values()} == {200}


def test_a_collections_request_never_reads_a_walk_document(session):
    asked = []

    def source(url):
        asked.append(url)
        stored = session.get(PublishedDocument, url)
        return json.loads(stored.body) if stored else None

    document = collections_document(source, Links("http://example.test", None), "en")
    assert [collection["id"] for collection in document["collections"]] == list(WALKS)
    assert asked == ["/api/walks", *(collection_url(slug) for slug in WALKS)]


def test_a_new_publication_brings_new_facts_and_withdrawing_takes_them(client, session):
    walk = session.scalar(select(Walk).where(Walk.slug == WALKS[0]))
    walk.title = {**walk.title, "en": "Renamed before publishing"}
    assert client.get(f"/ogc/collections/{WALKS[0]}?lang=en").json["title"] != "Renamed before publishing"
    publish_walk(session, WALKS[0], None)
    session.commit()
    assert client.get(f"/ogc/collections/{WALKS[0]}?lang=en").json["title"] == "Renamed before publishing"
    unpublish_walk(session, WALKS[0], None)
    session.commit()
    assert session.get(PublishedDocument, collection_url(WALKS[0])) is None
    assert [c["id"] for c in client.get("/ogc/collections").json["collections"]] == [WALKS[1]]
    assert client.get(f"/ogc/collections/{WALKS[0]}").status_code == 404


MEASURED = [
    "/ogc/collections",
    "/ogc/collections?f=html&lang=ja",
    f"/ogc/collections/{WALKS[0]}",
    f"/ogc/collections/{WALKS[0]}?f=html",
    "/ogc/api?f=json",  # its examples name a published stop
]


def first_request_peaks(app, client) -> tuple[dict[str, int], int]:
    """Return each URL's peak allocation on its first request after a publication, and the walk's bytes.

    That first request is the one that once read the walk's whole new document (and kept it).
    """
    peaks = {}
    for url in MEASURED:
        with app.extensions["db"].session() as session:
            publish_walk(session, WALKS[0], None)
            session.commit()
            walk_bytes = len(session.get(PublishedDocument, f"/api/walks/{WALKS[0]}").body)
        app.extensions["published_documents"].refresh()  # the store's reload is not what is measured
        tracemalloc.start()
        try:
            assert client.get(url).status_code == 200
            peaks[url] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return peaks, walk_bytes


def test_four_times_the_stops_cost_a_collections_request_no_more(app, client):
    add_stops(app, SMALL)
    first_request_peaks(app, client)  # imports, templates and caches are made once before measuring
    small, small_bytes = first_request_peaks(app, client)
    add_stops(app, 3 * SMALL)
    big, big_bytes = first_request_peaks(app, client)
    added_bytes = big_bytes - small_bytes
    assert added_bytes > 3 * SMALL * 200  # the added stops' summaries are real weight
    # Reading the walk's document would allocate several times its added bytes; the facts add nothing.
    grown = {url: (small[url], big[url]) for url in MEASURED if big[url] - small[url] >= added_bytes / 10}
    assert not grown, (grown, added_bytes)
