"""Labels, titles and stop names are data: template syntax in them reaches the guide's maps as plain text."""

import io
import json
import os
from urllib.parse import urlencode

import pytest

from .editor_helpers import post_form, write

MAP_ROUTES = ["map", "handout", "handout-map.js"]
LANGUAGES = ["nl", "en", "ja"]
# Each text between Q…Q, with what a template engine would have made of it (None: it refuses to compile).
TEMPLATE_TEXT = {
    "{{7*7}}": "49",
    "{% if 1 %}x{% endif %}": "x",
    "{#": None,
    "{{lipsum.__globals__.os.getpid()}}": str(os.getpid()),
}


def guide(client, route, **params):
    response = client.get(f"/guide/{route}?{urlencode(params)}")
    return response.status_code, response.get_data(as_text=True)


def assert_shown_literally(client, text, shown_on=MAP_ROUTES, **params):
    """Every map route answers 200, never with what `Q{text}Q` would evaluate to; those in `shown_on` show it."""
    for route in MAP_ROUTES:
        status, body = guide(client, route, **params)
        assert status == 200, (route, params, body[:300])
        assert route not in shown_on or f"Q{text}Q" in body, (route, params)
        evaluated = TEMPLATE_TEXT[text]
        if evaluated is not None:
            assert f"Q{evaluated}Q" not in body, (route, params)


def assert_escaped_in_script(client, text, **params):
    """The map's script carries the text as a JSON string, so it stays one string in JavaScript."""
    _status, script = guide(client, "handout-map.js", **params)
    assert json.dumps(f"Q{text}Q")[1:-1] in script


def stop_names(text):
    return {language: f"Q{text}Q {language}" for language in LANGUAGES}


def publish(editor):
    response = post_form(editor, "/editor/walks/test-walk/publish")
    assert response.status_code == 303, response.data


@pytest.mark.parametrize("text", TEMPLATE_TEXT)
def test_template_syntax_in_labels_and_title_is_shown_literally(client, test_walk, text):
    for field in ("start_label", "end_label"):
        params = {
            "walk": test_walk,
            "stops": "alpha,beta",
            "lang": "en",
            "start": "51.0540,3.7190",
            "end": "51.0556,3.7230",
            field: f"Q{text}Q",
        }
        assert_shown_literally(client, text, **params)
        assert_escaped_in_script(client, text, **params)
    # The title heads the page and the handout; the map's script does not carry it.
    assert_shown_literally(client, text, ["map", "handout"], walk=test_walk, stops="alpha,beta", title=f"Q{text}Q")


@pytest.mark.parametrize("text", TEMPLATE_TEXT)
def test_template_syntax_in_stop_names_saved_in_the_editor_is_shown_literally(signed_in, test_walk, client, text):
    editor = signed_in("editor")
    url = "/editor/api/walks/test-walk/stops/alpha"
    etag = editor.get(url).headers["ETag"]
    saved = write(editor, "PUT", url, {"name": stop_names(text)}, etag)
    assert saved.status_code == 200, saved.data
    publish(editor)
    for language in LANGUAGES:
        assert_shown_literally(client, text, walk=test_walk, stops="alpha,beta", lang=language)


@pytest.mark.parametrize("text", TEMPLATE_TEXT)
def test_template_syntax_in_stop_names_imported_as_geojson_is_shown_literally(signed_in, test_walk, client, text):
    editor = signed_in("editor")
    feature = {
        "type": "Feature",
        "id": "alpha",
        "geometry": {"type": "Point", "coordinates": [3.7196, 51.0546]},
        "properties": {"name": stop_names(text)},
    }
    geojson = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    imported = post_form(
        editor,
        "/editor/walks/test-walk/import",
        {"file": (io.BytesIO(geojson), "stops.geojson")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200, imported.data
    publish(editor)
    for language in LANGUAGES:
        assert_shown_literally(client, text, walk=test_walk, stops="alpha,beta", lang=language)
