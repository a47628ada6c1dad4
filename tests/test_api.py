"""The public read API: content, only published data, caching and clear errors."""

import gzip
import json

import pytest
from sqlalchemy import select

from server import create_app
from server.domain.models import Stop, Walk
from server.domain.publishing.publish import publish_walk


def get_json(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.data
    return response, json.loads(response.data)


def test_walk_list_gives_counts_length_duration_and_version(client):
    _, data = get_json(client, "/api/walks")
    ghent = next(w for w in data["walks"] if w["slug"] == "gent-kanazawa")
    assert ghent["stop_count"] >= 6
    assert 2500 < ghent["length_m"] < 6000
    assert ghent["walking_minutes"] * 75 >= ghent["length_m"]
    assert ghent["duration_minutes"] > ghent["walking_minutes"]
    assert ghent["version"] >= 1
    assert set(ghent["title"]) == {"nl", "en", "ja"}


def test_stops_are_a_geojson_feature_collection_in_walking_order(client):
    response, data = get_json(client, "/api/walks/gent-kanazawa/stops")
    assert response.headers["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    ids = [f["id"] for f in data["features"]]
    assert ids[-1] == "kotoji-lantaarn"
    assert [f["properties"]["order"] for f in data["features"]] == list(range(1, len(ids) + 1))
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 3.6 < lon < 3.8 and 51.0 < lat < 51.1


def test_the_lantern_knows_its_twin_across_the_globe(client):
    _, data = get_json(client, "/api/walks/gent-kanazawa/stops")
    lantern = next(f for f in data["features"] if f["id"] == "kotoji-lantaarn")
    twin = lantern["properties"]["twin"]
    assert twin["walk"] == "kanazawa-gent" and twin["city"]
    assert 9000 < twin["distance_km"] < 9500
    assert 30 < twin["bearing_deg"] < 45


def test_drafts_and_staff_notes_never_reach_the_public(client, session):
    drafts = session.scalars(select(Stop).where(Stop.status == "draft")).all()
    assert drafts, "the seeded data has draft stops (unverified Kanazawa positions)"
    for walk in ("gent-kanazawa", "kanazawa-gent"):
        for doc in ("", "/stops", "/path", "/gpx", "/offline"):
            body = client.get(f"/api/walks/{walk}{doc}").get_data(as_text=True)
            for stop in drafts:
                assert f'"{stop.slug}"' not in body and stop.name["en"] not in body
            assert "staff_note" not in body


def test_path_is_a_linestring_feature(client):
    response, data = get_json(client, "/api/walks/gent-kanazawa/path")
    assert response.headers["Content-Type"] == "application/geo+json"
    assert data["geometry"]["type"] == "LineString"
    assert len(data["geometry"]["coordinates"]) > 10


def test_offline_manifest_lists_every_document_with_size_and_hash(client):
    _, manifest = get_json(client, "/api/walks/gent-kanazawa/offline")
    urls = {e["url"]: e for e in manifest["urls"]}
    assert {"/api/walks/gent-kanazawa", "/api/walks/gent-kanazawa/stops"} <= set(urls)
    stops = client.get("/api/walks/gent-kanazawa/stops")
    assert urls["/api/walks/gent-kanazawa/stops"]["bytes"] == len(stops.data)
    assert manifest["total_bytes"] == sum(e["bytes"] for e in manifest["urls"])


def test_documents_carry_a_strong_etag_and_answer_304(client):
    first = client.get("/api/walks/gent-kanazawa/stops")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get("/api/walks/gent-kanazawa/stops", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag


PUBLIC_ANSWERS = [
    "/api/walks/gent-kanazawa/stops",  # the published documents' fast path
    "/ogc/collections/gent-kanazawa/items?limit=2",  # the OGC items' fast path
    "/ogc/collections/gent-kanazawa",  # the OGC blueprint
    "/ogc/collections/gent-kanazawa/items?f=html",
]


def test_public_answers_may_be_kept_for_the_max_age_the_site_sets(database_url, instance_path, monkeypatch):
    for setting, max_age in ((None, "max-age=60"), ("7", "max-age=7")):  # the default, then a site's own
        if setting:
            monkeypatch.setenv("KOTOJI_PUBLIC_MAX_AGE_SECONDS", setting)
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, "PUBLICATION_CHECK_SECONDS": 0})
        client = app.test_client()
        for url in PUBLIC_ANSWERS:
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert answer.headers["Cache-Control"].split(", ")[:2] == ["public", max_age], url
            again = client.get(url, headers={"If-None-Match": answer.headers["ETag"]})
            assert again.status_code == 304 and max_age in again.headers["Cache-Control"], url
        app.extensions["db"].engine.dispose()


def test_gzip_is_precompressed_and_has_its_own_etag(client):
    plain = client.get("/api/walks/gent-kanazawa/stops")
    packed = client.get("/api/walks/gent-kanazawa/stops", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    assert packed.headers["ETag"] != plain.headers["ETag"]
    refused = client.get("/api/walks/gent-kanazawa/stops", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_publishing_bumps_version_and_etag(app, client):
    before = client.get("/api/walks/gent-kanazawa/stops")
    _, walk_before = get_json(client, "/api/walks/gent-kanazawa")
    with app.extensions["db"].session() as session:
        stop = session.scalar(select(Stop).join(Walk).where(Walk.slug == "gent-kanazawa", Stop.slug == "belfort"))
        stop.name = {**stop.name, "en": "Belfry of Ghent"}
        publish_walk(session, "gent-kanazawa", user_id=None)
        session.commit()
    after = client.get("/api/walks/gent-kanazawa/stops")
    _, walk_after = get_json(client, "/api/walks/gent-kanazawa")
    assert walk_after["version"] == walk_before["version"] + 1
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "Belfry of Ghent" in after.get_data(as_text=True)
    stale = client.get("/api/walks/gent-kanazawa/stops", headers={"If-None-Match": before.headers["ETag"]})
    assert stale.status_code == 200


def test_unknown_walk_is_a_json_404(client):
    response = client.get("/api/walks/no-such-walk/stops")
    assert response.status_code == 404
    assert response.json == {"error": "not_found", "message": "There is no published walk called 'no-such-walk'."}


@pytest.mark.parametrize(
    "url, says",
    [
        ("/api/walks/gent-kanazawa/stops?limit=5", "Unknown query parameter 'limit'. It takes no parameters."),
        ("/api/walks/gent-kanazawa/gpx?language=ja", "Unknown query parameter 'language'. It accepts: lang."),
        ("/api/walks/gent-kanazawa/gpx?lang=japanese", "lang must be a two-letter language code"),
        ("/api/walks/gent-kanazawa/gpx?lang=fr", "not one of this walk's languages"),
        ("/api/walks/gent-kanazawa/gpx?lang=ja&lang=en", "given more than once"),
    ],
)
def test_bad_query_parameters_are_a_json_400_saying_what_is_wrong(client, url, says):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"
    assert says in response.json["message"]


def test_writes_to_the_public_api_are_refused(client):
    response = client.post("/api/walks/gent-kanazawa/stops", json={})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.json["error"] == "not_found"


def test_api_responses_carry_strict_security_headers(client):
    for url in ("/api/walks", "/api/walks/nope", "/api/nothing-here", "/"):
        headers = client.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"]


def test_head_answers_headers_without_body(client):
    response = client.head("/api/walks/gent-kanazawa/gpx")
    assert response.status_code == 200 and response.data == b""
    assert int(response.headers["Content-Length"]) > 0
