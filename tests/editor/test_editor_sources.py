"""Sources, opening hours, readings and licences in the editor: the same validator as the bundle check."""

import json

from sqlalchemy import select

from server.domain.models import Stop, Walk

from .editor_helpers import post_form, write

STOP_API = "/editor/api/walks/test-walk/stops/alpha"
SOURCE = {"title": "Zusterstad Kanazawa", "publisher": "Stad Gent", "url": "https://stad.gent/", "date": "2026-04"}


def etag_of(client, url=STOP_API):
    response = client.get(url)
    assert response.status_code == 200
    return response.headers["ETag"]


def stop_row(session, slug="alpha"):
    session.expire_all()
    return session.scalar(select(Stop).join(Stop.walk).where(Walk.slug == "test-walk", Stop.slug == slug))


def test_sources_save_and_reach_the_public_stop_and_ogc_item(signed_in, test_walk, client, session):
    editor = signed_in("editor")
    saved = write(
        editor,
        "PUT",
        STOP_API,
        {"sources": [SOURCE, {"title": "", "publisher": "", "url": "", "date": ""}]},
        etag_of(editor),
    )
    assert saved.status_code == 200, saved.data
    assert stop_row(session).sources == [SOURCE], "an empty row is dropped"
    assert post_form(editor, "/editor/walks/test-walk/publish").status_code == 303
    stops = client.get("/api/walks/test-walk/stops").get_json()["features"]
    assert stops[0]["properties"]["sources"] == [SOURCE]
    item = client.get("/ogc/collections/test-walk/items/alpha?f=json").get_json()
    assert "Stad Gent: Zusterstad Kanazawa 2026-04 https://stad.gent/" == item["properties"]["sources"]
    page = editor.get("/editor/walks/test-walk/stops/alpha").get_data(as_text=True)
    assert 'value="Zusterstad Kanazawa"' in page and 'id="add-source"' in page


def test_bad_sources_opening_hours_and_readings_are_refused_naming_the_field(signed_in, test_walk, session):
    editor = signed_in("editor")
    etag = etag_of(editor)
    for payload, expected in [
        ({"sources": [{"title": "x", "url": "javascript:alert(1)"}]}, "sources[1].url: must be an http(s) address"),
        ({"sources": [{"title": "x"}]}, "sources[1].publisher: is required"),
        ({"sources": [{**SOURCE, "date": "last spring"}]}, "sources[1].date: must be YYYY"),
        ({"sources": "stad.gent"}, "sources: must be a list"),
        ({"opening_hours": "open every day, ask the guard"}, "opening_hours: 'open every day, ask the guard' is not"),
        (
            {"name": {"ja": "ゲント市庁舎"}, "name_reading": {"ja": "げんとしちょうしゃ"}},
            "copies the katakana 'ゲント'",
        ),
    ]:
        response = write(editor, "PUT", STOP_API, payload, etag)
        assert response.status_code == 422, (payload, response.data)
        assert expected in response.get_json()["message"], (expected, response.get_json())
    assert stop_row(session).sources[0]["publisher"] == "Kotoji tests"


def test_the_editor_shows_the_week_it_parsed_from_the_opening_hours(signed_in, test_walk):
    editor = signed_in("editor")
    assert (
        write(
            editor, "PUT", STOP_API, {"opening_hours": "Mo-Fr 10:00-18:00; Sa 10:00-12:00"}, etag_of(editor)
        ).status_code
        == 200
    )
    page = editor.get("/editor/walks/test-walk/stops/alpha").get_data(as_text=True)
    assert '<th scope="row">Mo</th><td>10:00-18:00</td>' in page
    assert '<th scope="row">Sa</th><td>10:00-12:00</td>' in page
    assert '<th scope="row">Su</th><td>closed</td>' in page


def test_a_radius_the_path_never_reaches_is_shown_on_the_stop_page(signed_in, test_walk):
    editor = signed_in("editor")
    # 200 m north of the path with a 30 m circle: walking the path never enters it
    assert write(editor, "PUT", STOP_API, {"lat": 51.0565, "lon": 3.7196}, etag_of(editor)).status_code == 200
    page = editor.get("/editor/walks/test-walk/stops/alpha").get_data(as_text=True)
    assert 'id="radius-warning"' in page and "cannot be reached from the path" in page


def test_publishing_needs_a_source_for_every_published_stop(signed_in, test_walk, client):
    editor = signed_in("editor")
    assert write(editor, "PUT", STOP_API, {"sources": []}, etag_of(editor)).status_code == 200
    refused = post_form(editor, "/editor/walks/test-walk/publish")
    assert refused.status_code == 422
    assert "stop &#39;alpha&#39;: sources: add at least one source" in refused.get_data(as_text=True)
    assert json.loads(client.get("/api/walks/test-walk/offline").data)["version"] == 1


def test_walk_licence_attribution_and_path_accuracy_are_editable_and_public(signed_in, test_walk, client):
    editor = signed_in("editor")
    url = "/editor/api/walks/test-walk"
    change = {"license": "CC-BY-4.0", "attribution": "Texts © Kotoji tests, CC BY 4.0", "path_accuracy": "surveyed"}
    assert write(editor, "PUT", url, change, etag_of(editor, url)).status_code == 200
    bad = write(editor, "PUT", url, {"license": "all rights reserved", "path_accuracy": "exact"}, etag_of(editor, url))
    assert bad.status_code == 422
    assert "license: must be one of" in bad.get_json()["message"]
    assert "path_accuracy: must be one of" in bad.get_json()["message"]
    assert post_form(editor, "/editor/walks/test-walk/publish").status_code == 303
    walk = client.get("/api/walks/test-walk").get_json()
    assert walk["license"] == "CC-BY-4.0" and walk["attribution"] == change["attribution"]
    assert walk["path_accuracy"] == "surveyed"
    assert client.get("/api/walks/test-walk/path").get_json()["properties"]["accuracy"] == "surveyed"
