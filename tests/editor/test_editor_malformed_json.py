"""Malformed JSON, deep nesting, wrong top-level types and bad GeoJSON geometry: a 422 naming the problem,
never a 500, and nothing written."""

import io
import json

import pytest
from sqlalchemy import func, select

from server.domain.models import Revision, Stop, Walk
from server.domain.walks.lookup import stop_state, walk_state

from .editor_helpers import csrf_of, post_form, write

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
WRITES = [
    ("PUT", "/editor/api/walks/test-walk/stops/alpha"),
    ("PUT", "/editor/api/walks/test-walk"),
    ("PUT", "/editor/api/walks/test-walk/order"),
    ("POST", "/editor/api/walks/test-walk/stops"),
]


def snapshot(session):
    session.expire_all()
    walk = session.scalar(select(Walk).where(Walk.slug == "test-walk"))
    return (
        walk_state(walk),
        [stop_state(s) for s in walk.stops],
        session.scalar(select(func.count()).select_from(Revision)),
    )


def send_raw(client, method, url, body: str, etag):
    headers = {"X-CSRF-Token": csrf_of(client), "If-Match": etag, "Content-Type": "application/json"}
    return client.open(url, method=method, data=body.encode("utf-8", "surrogatepass"), headers=headers)


@pytest.mark.parametrize(
    "body, expected",
    [
        (DEEP, "nested more than"),
        (DEEP_OBJECT, "nested more than"),
        ('{"order": ' + DEEP + "}", "nested more than"),
        ("[]", "must be a JSON object"),
        ('"x"', "must be a JSON object"),
        ("1", "must be a JSON object"),
        ("null", "must be a JSON object"),
        ("{not json", "not valid JSON"),
        ('{"name": NaN}', "not valid JSON"),
        ("", "not valid JSON"),
    ],
)
def test_malformed_bodies_get_422_naming_the_problem_and_change_nothing(signed_in, test_walk, session, body, expected):
    editor = signed_in("editor")
    before = snapshot(session)
    for method, url in WRITES:
        etag = editor.get("/editor/api/walks/test-walk" if "stops/alpha" not in url else url).headers["ETag"]
        response = send_raw(editor, method, url, body, etag)
        assert response.status_code == 422, (url, body[:20], response.status_code, response.data[:300])
        assert expected in response.get_json()["message"], (url, response.get_json())
    assert snapshot(session) == before


def test_a_stale_save_with_a_deep_body_still_answers_cleanly(signed_in, test_walk):
    editor = signed_in("editor")
    response = send_raw(editor, "PUT", "/editor/api/walks/test-walk/stops/alpha", DEEP, '"stop-1-r999"')
    assert response.status_code == 422


def test_order_must_be_a_list_of_the_walks_stops(signed_in, test_walk, session):
    editor = signed_in("editor")
    etag = editor.get("/editor/api/walks/test-walk").headers["ETag"]
    for order in ("alpha,beta,gamma", None, {"a": 1}, [["alpha"], "beta", "gamma"]):
        response = write(editor, "PUT", "/editor/api/walks/test-walk/order", {"order": order}, etag)
        assert response.status_code == 422, (order, response.data)


def import_geojson(client, document):
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return post_form(
        client,
        "/editor/walks/test-walk/import",
        {"file": (io.BytesIO(content), "stops.geojson")},
        content_type="multipart/form-data",
    )


def feature(**changes):
    return {
        "type": "Feature",
        "id": "alpha",
        "geometry": {"type": "Point", "coordinates": [3.7196, 51.0546]},
        "properties": {},
        **changes,
    }


@pytest.mark.parametrize(
    "document, expected",
    [
        ({"type": "FeatureCollection", "features": [feature(geometry=[1, 2])]}, "geometry must be a Point"),
        ({"type": "FeatureCollection", "features": [feature(geometry="Point")]}, "geometry must be a Point"),
        (
            {"type": "FeatureCollection", "features": [feature(geometry={"type": "Point", "coordinates": "1,2"})]},
            "geometry must be a Point",
        ),
        (
            {"type": "FeatureCollection", "features": [feature(properties={"images": [{"file": ["a"]}]})]},
            "images[1]: file",
        ),
        (
            {"type": "FeatureCollection", "features": [feature(properties={"images": [{"file": {"a": 1}}]})]},
            "images[1]: file",
        ),
        (
            {"type": "FeatureCollection", "features": [feature(properties={"audio": {"en": {"file": [1]}}})]},
            "audio (en): file",
        ),
        ({"type": "FeatureCollection", "features": [feature(properties={"images": ["media/x.jpg"]})]}, "images[1]"),
        (
            {"type": "FeatureCollection", "features": [feature(properties={"name": {"en": "A\x00"}})]},
            "name (en): contains a control character (U+0000)",
        ),
        ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, [4]]]}}, "path position 2"),
        ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": "x"}}, "path: needs"),
        (("[" * 1000 + "]" * 1000).encode(), "nested more than"),
        (('{"type": "FeatureCollection", "features": ' + "[" * 990 + "]" * 990 + "}").encode(), "nested more than"),
    ],
)
def test_bad_geojson_imports_get_422_naming_the_problem_and_import_nothing(
    signed_in, test_walk, session, document, expected
):
    editor = signed_in("editor")
    before = snapshot(session)
    response = import_geojson(editor, document)
    assert response.status_code == 422, response.data[:500]
    assert expected in response.get_data(as_text=True).replace("&#39;", "'")
    assert snapshot(session) == before


def test_a_stop_slug_with_a_trailing_line_break_is_refused_on_import(signed_in, test_walk, session):
    stop = {
        "type": "Feature",
        "id": "epsilon\n",
        "geometry": {"type": "Point", "coordinates": [3.722, 51.0552]},
        "properties": {},
    }
    content = json.dumps({"type": "FeatureCollection", "features": [stop]}).encode()
    editor = signed_in("editor")
    response = post_form(
        editor,
        "/editor/walks/test-walk/import",
        {"file": (io.BytesIO(content), "x.geojson")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert session.scalar(select(func.count()).select_from(Stop).where(Stop.slug.like("epsilon%"))) == 0
