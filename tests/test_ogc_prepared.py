"""OGC items from prepared bytes: the same bytes as serialising the documents, gzip, strong tags, 304."""

import gzip
import json
import random

import pytest

from server.domain.ogc import documents as ogc
from server.domain.ogc.prepared import PointIndex, PreparedWalk, encode, render_prepared
from server.domain.ogc.query import Query, bbox_contains
from tests.test_ogc_core import make_source, make_stop

WALK = "gent-kanazawa"
ITEMS = f"/ogc/collections/{WALK}/items"


def prepared_walk(stops):
    source = make_source(stops)
    walk = {**source("/api/walks/w"), "intro": {"en": "Intro"}}
    document = render_prepared(walk, source("/api/walks/w/stops"))
    return source, PreparedWalk(lambda start, end: document[start:end])


@pytest.mark.parametrize(
    "query",
    [
        Query(),
        Query(limit=2),
        Query(limit=2, offset=2),
        Query(offset=9),
        Query(bbox=(2.5, 2.5, 4.5, 4.5), limit=1, datetime="2024-01-01/.."),
        Query(lang="ja", limit=3, offset=1),
    ],
)
def test_a_prepared_page_is_byte_for_byte_the_serialised_document(query):
    stops = [
        make_stop(f"s{n}", n, n, n, images=[{"url": f"/media/{n}.jpg", "alt": {}, "credit": ""}]) for n in range(1, 8)
    ]
    source, prepared = prepared_walk(stops)
    links = ogc.Links("https://walks.example/", query.lang)
    assert prepared.page(query, "https://walks.example/", query.lang) == encode(ogc.items(source, "w", query, links))
    for stop in ("s1", "s7"):
        assert prepared.item(stop, "https://walks.example", query.lang) == encode(ogc.item(source, "w", stop, links))
    assert prepared.item("nope", "https://walks.example", None) is None


def test_the_index_finds_exactly_the_points_in_any_box():
    rng = random.Random(17)
    points = [(rng.uniform(3.6, 3.8), rng.uniform(51.0, 51.1)) for _ in range(2000)] + [(3.7, 51.05)] * 3
    index = PointIndex(points)
    for _ in range(200):
        west, east = sorted(rng.uniform(3.55, 3.85) for _ in range(2))
        south, north = sorted(rng.uniform(50.95, 51.15) for _ in range(2))
        box = (west, south, east, north)
        assert list(index.search(box)) == [n for n, p in enumerate(points) if bbox_contains(box, *p)]
    assert list(index.search((3.0, 50.0, 4.0, 52.0))) == list(range(len(points)))


def test_the_index_handles_a_box_across_the_antimeridian():
    points = [(179.9, 0.0), (-179.9, 0.0), (0.0, 0.0)]
    assert list(PointIndex(points).search((179.0, -1.0, -179.0, 1.0))) == [0, 1]


def test_items_answers_are_gzip_of_the_same_bytes_with_their_own_strong_tags(client):
    plain = client.get(ITEMS, query_string={"limit": 3})
    packed = client.get(ITEMS, query_string={"limit": 3}, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert "Accept-Encoding" in plain.headers["Vary"] and "Accept-Language" in plain.headers["Vary"]
    assert not plain.headers["ETag"].startswith("W/") and packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gz"'
    for response in (plain, packed):
        again = client.get(
            ITEMS,
            query_string={"limit": 3},
            headers={
                "If-None-Match": response.headers["ETag"],
                "Accept-Encoding": response.headers.get("Content-Encoding", ""),
            },
        )
        assert again.status_code == 304 and again.data == b""
    other = client.get(ITEMS, query_string={"limit": 3, "lang": "ja"})
    assert other.headers["ETag"] != plain.headers["ETag"] and "lang=ja" in other.get_data(as_text=True)


def test_a_new_publication_changes_the_items_and_their_tag(client, app, session):
    from server.domain.publishing.publish import publish_walk
    from server.domain.walks.lookup import get_walk

    before = client.get(f"{ITEMS}/belfort")
    stop = next(s for s in get_walk(session, WALK).stops if s.slug == "belfort")
    stop.name = {**stop.name, "en": "The Belfry, renamed"}
    publish_walk(session, WALK, None)
    session.commit()
    after = client.get(f"{ITEMS}/belfort", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.json["properties"]["name_en"] == "The Belfry, renamed"


def test_flask_answers_the_same_bytes_when_the_fast_path_steps_aside(app, client):
    fast = client.get(f"{ITEMS}?limit=2&offset=1&lang=nl")
    with app.test_request_context(f"{ITEMS}?limit=2&offset=1&lang=nl"):
        slow = app.full_dispatch_request()
    assert slow.get_data() == fast.data and slow.headers["ETag"] == fast.headers["ETag"]


def test_a_forged_host_never_reaches_the_links(app, client):
    app.config["TRUSTED_HOSTS"] = ["localhost"]
    assert client.get(ITEMS, headers={"Host": "evil.example"}).status_code == 400
    assert "evil.example" not in client.get(ITEMS).get_data(as_text=True)


def test_html_and_bad_queries_still_go_to_the_blueprint(client):
    assert client.get(ITEMS, query_string={"f": "html"}).mimetype == "text/html"
    assert client.get(ITEMS, query_string={"limit": "0"}).status_code == 400
    assert client.get(f"{ITEMS}/nowhere").json["error"] == "not_found"
    assert json.loads(client.get(ITEMS, headers={"Accept": "application/geo+json"}).data)["type"] == "FeatureCollection"


def test_large_documents_are_read_back_from_the_spill_file_whole_or_in_part():
    from types import SimpleNamespace

    from server.published.store import SPILL_BYTES, ServedDocument, SpillFile

    body = bytes(range(256)) * (SPILL_BYTES // 128)
    record = SimpleNamespace(
        url="/api/walks/w/stops",
        sha256="ab" * 32,
        content_type="application/geo+json",
        body=body,
        gzip_body=gzip.compress(body),
    )
    spilled = ServedDocument.whole(record, SpillFile())
    assert spilled.body == body and gzip.decompress(spilled.gzip_body) == body
    assert spilled.read(1000, 1010) == body[1000:1010] and spilled.read(len(body) - 3, len(body) + 50) == body[-3:]
    assert spilled.plain_headers == ServedDocument.whole(record).plain_headers


def test_a_walk_published_before_prepared_features_existed_is_still_served(app, client, session):
    from sqlalchemy import delete

    from server.domain.models import PublishedDocument, SiteState
    from server.domain.ogc.prepared import prepared_url

    stored = client.get(ITEMS, query_string={"limit": 4})
    session.execute(delete(PublishedDocument).where(PublishedDocument.url == prepared_url(WALK)))
    session.get(SiteState, 1).publication += 1  # every process reloads the documents
    session.commit()
    assert app.extensions["published_documents"].get(prepared_url(WALK)) is None
    again = client.get(ITEMS, query_string={"limit": 4})
    assert again.status_code == 200 and again.data == stored.data
