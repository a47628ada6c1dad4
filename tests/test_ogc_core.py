"""The OGC API – Features core without HTTP: query checks, bbox, paging, flat per-language properties."""

import pytest

from server.domain.errors import DomainError, NotFound
from server.domain.ogc import documents as ogc
from server.domain.ogc.collections import collection_document
from server.domain.ogc.query import Query, bbox_contains, check_datetime, parse_bbox, parse_query

LINKS = ogc.Links("http://example.test/", None)


def make_stop(slug: str, order: int, lon: float, lat: float, **properties) -> dict:
    return {
        "type": "Feature",
        "id": slug,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "order": order,
            "name": {"nl": f"{slug} NL", "en": f"{slug} EN"},
            "summary": {},
            "body": {},
            "accessibility": {},
            "address": "",
            "opening_hours": "",
            "position_confidence": "high",
            "trigger_radius_m": 30,
            "images": [],
            "audio": {},
            "twin": None,
            **properties,
        },
    }


def make_source(stops: list[dict]):
    """Return a DocumentSource holding one published walk with these stops."""
    walk = {
        "slug": "w",
        "title": {"nl": "Wandeling", "en": "Walk", "ja": "散策"},
        "intro": {"en": "Intro"},
        "languages": ["nl", "en", "ja"],
        "default_language": "nl",
        "bbox": [0, 0, 10, 10],
        "stops": [{"slug": s["id"]} for s in stops],
    }
    documents = {
        "/api/walks": {"walks": [{"url": "/api/walks/w"}]},
        "/api/walks/w": walk,
        "/api/walks/w/stops": {"type": "FeatureCollection", "features": stops},
    }
    return documents.get


def test_flat_properties_have_one_column_per_field_and_language_with_null_for_missing():
    stop = make_stop(
        "a",
        1,
        1,
        1,
        name_reading={"ja": "えい"},
        images=[{"url": "/media/x.jpg", "alt": {"en": "A gate"}, "credit": "City"}],
        audio={"ja": {"url": "/media/y.mp3"}},
        twin={
            "walk": "v",
            "stop": "b",
            "city": "Kanazawa",
            "name": {"ja": "ビー"},
            "distance_km": 9300,
            "bearing_deg": 38,
            "coordinates": [136, 36],
        },
    )
    feature = ogc.item(make_source([stop]), "w", "a", LINKS)
    flat = feature["properties"]
    assert flat["name_nl"] == "a NL" and flat["name_en"] == "a EN" and flat["name_ja"] is None
    assert flat["name_reading_ja"] == "えい" and "name_reading_nl" not in flat
    assert flat["image_url"] == "http://example.test/media/x.jpg" and flat["image_alt_en"] == "A gate"
    assert flat["audio_url_ja"] == "http://example.test/media/y.mp3" and flat["audio_url_en"] is None
    assert (flat["twin_walk"], flat["twin_stop"], flat["twin_name_ja"]) == ("v", "b", "ビー")
    assert flat["address"] is None  # an empty text is a missing value for a GIS column
    assert all(not isinstance(value, (dict, list)) for value in flat.values())


def test_every_feature_of_a_walk_has_the_same_columns():
    stops = [make_stop("a", 1, 1, 1, name_reading={"ja": "えい"}), make_stop("b", 2, 2, 2)]
    page = ogc.items(make_source(stops), "w", Query(), LINKS)
    first, second = (f["properties"] for f in page["features"])
    assert list(first) == list(second)


def test_paging_follows_walking_order_and_links_next_and_prev():
    stops = [make_stop(f"s{n}", n, n, n) for n in range(1, 6)]
    page = ogc.items(make_source(stops), "w", Query(limit=2, offset=2), LINKS)
    assert [f["id"] for f in page["features"]] == ["s3", "s4"]
    assert page["numberMatched"] == 5 and page["numberReturned"] == 2
    rels = {link["rel"]: link["href"] for link in page["links"] if link["type"] == "application/geo+json"}
    assert "offset=4" in rels["next"] and "limit=2" in rels["next"]
    assert "offset" not in rels["prev"].split("?")[1]  # back to the first page
    last = ogc.items(make_source(stops), "w", Query(limit=2, offset=4), LINKS)
    assert "next" not in {link["rel"] for link in last["links"]}


def test_bbox_keeps_only_the_stops_inside():
    stops = [make_stop("in", 1, 3.72, 51.05), make_stop("out", 2, 3.80, 51.05)]
    page = ogc.items(make_source(stops), "w", Query(bbox=(3.7, 51.0, 3.75, 51.1)), LINKS)
    assert [f["id"] for f in page["features"]] == ["in"] and page["numberMatched"] == 1


def test_a_box_whose_west_is_east_of_its_east_crosses_the_antimeridian():
    assert bbox_contains((170, -10, -170, 10), 179.5, 0)
    assert bbox_contains((170, -10, -170, 10), -175, 0)
    assert not bbox_contains((170, -10, -170, 10), 0, 0)


def test_links_keep_the_language_the_client_chose():
    page = ogc.items(make_source([make_stop("a", 1, 1, 1)]), "w", Query(), ogc.Links("http://h/", "ja"))
    assert all("lang=ja" in link["href"] for link in page["links"])


def test_collection_title_is_in_the_asked_language_or_the_walks_own():
    assert collection_document(make_source([]), "w", LINKS, "ja")["title"] == "散策"
    assert collection_document(make_source([]), "w", LINKS, None)["title"] == "Wandeling"
    assert collection_document(make_source([]), "w", LINKS, "ja")["description"] == "Intro"  # falls back (ja → en)


def test_unknown_walk_and_stop_are_not_found():
    with pytest.raises(NotFound):
        collection_document(make_source([]), "nope", LINKS, None)
    with pytest.raises(NotFound):
        ogc.item(make_source([make_stop("a", 1, 1, 1)]), "w", "b", LINKS)


@pytest.mark.parametrize(
    "text, says",
    [
        ("1,2,3", "four numbers"),
        ("1,2,3,4,5", "four numbers"),
        ("a,b,c,d", "only numbers"),
        ("1,2,nan,4", "finite"),
        ("0,60,1,50", "south is above north"),
        ("0,0,200,10", "outside the world"),
        ("0,-91,1,0", "outside the world"),
    ],
)
def test_bad_bbox_is_refused_with_a_message(text, says):
    with pytest.raises(DomainError, match=says):
        parse_bbox(text)


def test_a_bbox_with_heights_is_read_in_two_dimensions():
    assert parse_bbox("3.7,51.0,-10,3.8,51.1,100") == (3.7, 51.0, 3.8, 51.1)


@pytest.mark.parametrize(
    "args, says",
    [
        ({"limt": ["5"]}, "Unknown query parameter 'limt'"),
        ({"limit": ["0"]}, "limit must be a whole number from 1"),
        ({"limit": ["ten"]}, "limit must be a whole number"),
        ({"offset": ["-1"]}, "offset must be a whole number"),
        ({"f": ["xml"]}, "f must be one of: json, html"),
        ({"lang": ["fr"]}, "lang must be one of: nl, en, ja"),
        ({"limit": ["1", "2"]}, "given more than once"),
        ({"datetime": ["yesterday"]}, "not an RFC 3339"),
        ({"datetime": ["../.."]}, "interval"),
    ],
)
def test_bad_query_parameters_are_refused_with_a_message(args, says):
    with pytest.raises(DomainError, match=says):
        parse_query("items", args)


def test_datetime_instants_and_intervals_are_accepted():
    for text in ("2024-05-01T10:00:00Z", "2024-05-01", "2024-01-01T00:00:00+09:00/..", "../2030-01-01"):
        check_datetime(text)
    assert parse_query("items", {"datetime": ["2024-05-01"]}).datetime == "2024-05-01"


def test_the_landing_page_points_to_definition_conformance_and_data():
    rels = {link["rel"] for link in ogc.landing_page(LINKS, "nl")["links"]}
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= rels
    assert ogc.landing_page(LINKS, "ja")["title"].endswith("オープンデータ")
