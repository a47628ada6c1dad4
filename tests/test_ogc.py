"""OGC API – Features over HTTP: the same published stops as /api, languages, HTML, errors, caching, CORS."""

import json
import re

import pytest
from sqlalchemy import select

from server.domain.models import Stop

WALK = "gent-kanazawa"
ITEMS = f"/ogc/collections/{WALK}/items"


@pytest.fixture
def database_url(module_database_url):
    """These tests only read: they share one database per backend (each still gets an app of its own)."""
    return module_database_url


def get_json(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.data
    return json.loads(response.data)


def test_landing_page_links_the_definition_conformance_and_collections(client):
    landing = get_json(client, "/ogc")
    links = {link["rel"]: link["href"] for link in landing["links"]}
    assert links["service-desc"].endswith("/ogc/api?f=json")
    assert links["conformance"].endswith("/ogc/conformance?f=json")
    assert links["data"].endswith("/ogc/collections?f=json")
    assert get_json(client, "/ogc/") == landing


def test_conformance_declares_core_geojson_html_and_oas30(client):
    classes = get_json(client, "/ogc/conformance")["conformsTo"]
    assert {c.rsplit("/", 1)[1] for c in classes} == {"core", "geojson", "html", "oas30"}


def test_one_collection_per_published_walk_with_its_extent(client):
    walks = get_json(client, "/api/walks")["walks"]
    collections = get_json(client, "/ogc/collections")["collections"]
    assert [c["id"] for c in collections] == [w["slug"] for w in walks]
    for collection, walk in zip(collections, walks, strict=True):
        assert collection["itemType"] == "feature"
        assert collection["extent"]["spatial"]["bbox"] == [walk["bbox"]]
        assert collection["extent"]["spatial"]["crs"].endswith("/CRS84")


@pytest.mark.parametrize("how", [{"query_string": {"lang": "ja"}}, {"headers": {"Accept-Language": "ja,en;q=0.5"}}])
def test_titles_come_in_the_requested_language(client, how):
    walk = get_json(client, f"/api/walks/{WALK}")
    collection = get_json(client, f"/ogc/collections/{WALK}", **how)
    assert collection["title"] == walk["title"]["ja"]
    response = client.get(f"/ogc/collections/{WALK}", **how)
    assert response.headers["Content-Language"] == "ja"
    assert "Accept-Language" in response.headers["Vary"]


def test_items_are_the_same_stops_as_the_api_with_flat_language_columns(client):
    stops = get_json(client, f"/api/walks/{WALK}/stops")["features"]
    response = client.get(ITEMS, query_string={"limit": 1000})
    assert response.headers["Content-Type"] == "application/geo+json"
    items = json.loads(response.data)
    assert items["numberMatched"] == items["numberReturned"] == len(stops)
    assert [f["id"] for f in items["features"]] == [s["id"] for s in stops]
    for item, stop in zip(items["features"], stops, strict=True):
        assert item["geometry"] == stop["geometry"]
        for lang in ("nl", "en", "ja"):
            assert item["properties"][f"name_{lang}"] == (stop["properties"]["name"].get(lang) or None)
        assert item["properties"]["order"] == stop["properties"]["order"]


def test_following_next_links_walks_through_every_stop_once(client):
    everything = [f["id"] for f in get_json(client, ITEMS, query_string={"limit": 1000})["features"]]
    seen, url = [], f"{ITEMS}?limit=2"
    while url:
        page = get_json(client, url)
        assert page["numberReturned"] == len(page["features"]) <= 2
        seen += [f["id"] for f in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert seen == everything


def test_bbox_returns_only_the_stops_inside_it(client):
    stops = get_json(client, f"/api/walks/{WALK}/stops")["features"]
    lon, lat = stops[0]["geometry"]["coordinates"]
    box = f"{lon - 0.0001},{lat - 0.0001},{lon + 0.0001},{lat + 0.0001}"
    page = get_json(client, ITEMS, query_string={"bbox": box})
    inside = [
        s["id"]
        for s in stops
        if abs(s["geometry"]["coordinates"][0] - lon) <= 0.0001 and abs(s["geometry"]["coordinates"][1] - lat) <= 0.0001
    ]
    assert [f["id"] for f in page["features"]] == inside and stops[0]["id"] in inside
    elsewhere = get_json(client, ITEMS, query_string={"bbox": "136,36,137,37"})  # Kanazawa, not Ghent
    assert elsewhere["numberMatched"] == 0 and elsewhere["features"] == []


@pytest.mark.parametrize(
    "query, says",
    [
        ("bbox=3.7,51.0,3.8", "bbox must be four numbers"),
        ("bbox=51.0,3.7,51.1,93", "outside the world"),
        ("bbox=3.7,51.1,3.8,51.0", "south is above north"),
        ("limit=abc", "limit must be a whole number"),
        ("filter=name_en%3D%27x%27", "Unknown query parameter 'filter'"),
    ],
)
def test_bad_parameters_are_a_json_400_saying_what_is_wrong(client, query, says):
    response = client.get(f"{ITEMS}?{query}")
    assert response.status_code == 400
    assert set(response.json) == {"error", "message"} and response.json["error"] == "bad_request"
    assert says in response.json["message"]


def test_unknown_walk_stop_and_path_are_json_404s(client):
    for url in ("/ogc/collections/nowhere", "/ogc/collections/nowhere/items", f"{ITEMS}/nothing", "/ogc/nothing"):
        response = client.get(url)
        assert response.status_code == 404 and response.json["error"] == "not_found", url


def test_draft_stops_never_reach_the_ogc_api(client, session):
    drafts = session.scalars(select(Stop).where(Stop.status == "draft")).all()
    assert drafts, "the seeded data has draft stops"
    for stop in drafts:
        assert client.get(f"/ogc/collections/{stop.walk.slug}/items/{stop.slug}").status_code == 404
        body = client.get(f"/ogc/collections/{stop.walk.slug}/items?limit=1000").get_data(as_text=True)
        assert f'"{stop.slug}"' not in body and "staff_note" not in body


def test_one_item_is_a_feature_with_links(client):
    first = get_json(client, ITEMS, query_string={"limit": 1})["features"][0]
    item = get_json(client, f"{ITEMS}/{first['id']}")
    assert item["type"] == "Feature" and item["id"] == first["id"]
    assert {"self", "alternate", "collection"} <= {link["rel"] for link in item["links"]}


@pytest.mark.parametrize(
    "url", ["/ogc", "/ogc/conformance", "/ogc/collections", f"/ogc/collections/{WALK}", ITEMS, "/ogc/api"]
)
def test_people_get_html_pages_without_inline_script_or_style(client, url):
    response = client.get(url, query_string={"f": "html", "lang": "ja"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert "<script" not in page and "style=" not in page and "<style" not in page
    loads_from_elsewhere = re.search(r"<(link|script|img|iframe)[^>]+(src|href)=\"(https?:)?//", page)
    assert not loads_from_elsewhere
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert client.get(stylesheet).status_code == 200


def test_a_browser_asking_for_html_gets_the_page_and_a_gis_tool_gets_json(client):
    browser = client.get(ITEMS, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.mimetype == "text/html"
    tool = client.get(ITEMS, headers={"Accept": "application/geo+json, application/json"})
    assert tool.mimetype == "application/geo+json"


def test_html_item_page_shows_the_stop_name_in_the_language(client):
    stops = get_json(client, f"/api/walks/{WALK}/stops")["features"]
    page = client.get(f"{ITEMS}/{stops[0]['id']}?f=html&lang=en").get_data(as_text=True)
    assert f"<h1>{stops[0]['properties']['name']['en']}</h1>" in page.replace("&#39;", "'")


def test_ogc_answers_carry_an_etag_and_answer_304(client):
    first = client.get(ITEMS)
    assert first.headers["ETag"] and "max-age" in first.headers["Cache-Control"]
    again = client.get(ITEMS, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_public_reads_are_open_to_other_origins(client):
    for url in (
        "/ogc/collections",
        ITEMS,
        "/ogc/nothing",
        "/api/openapi.json",
        "/api/walks",
        "/api/walks/nowhere/stops",
    ):
        response = client.get(url, headers={"Origin": "https://gis.example"})
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options(
        f"/api/walks/{WALK}/stops",
        headers={
            "Origin": "https://gis.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code in (200, 204)
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "ETag" in client.get(ITEMS).headers["Access-Control-Expose-Headers"]


def test_writes_to_the_ogc_api_are_refused_with_405(client):
    response = client.post("/ogc/collections", data={})
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.json["error"] == "method_not_allowed"
