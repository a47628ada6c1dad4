"""The OpenAPI description is valid, covers every public route exactly, and its page is readable offline."""

import re

import pytest
from openapi_spec_validator import validate

from server.api.openapi import OWN_PAGES
from server.domain.ogc.query import ACCEPTED_PARAMETERS as OGC_PARAMETERS
from server.published.fast_path import ACCEPTED_PARAMETERS as DOCUMENT_PARAMETERS
from server.published.store import DOCUMENTS, WALK_URL

# Routes under /api and /ogc that are not API operations, each with the reason.
NOT_OPERATIONS = {
    "api.unknown": "the catch-all that answers a JSON 404 for every unknown /api path",
    "ogc.static": "the stylesheet of the HTML pages",
}


@pytest.fixture
def database_url(module_database_url):
    """These tests only read: they share one database per backend (each still gets an app of its own)."""
    return module_database_url


@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def flask_paths(app) -> dict[str, set[str]]:
    """Return every public Flask route under /api and /ogc as an OpenAPI path with its methods."""
    paths = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/api", "/ogc")) or rule.endpoint in NOT_OPERATIONS:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        paths.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return paths


def test_the_description_is_valid_openapi_3_0(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.0")


def test_every_flask_route_under_api_and_ogc_is_described_and_nothing_else(app, spec):
    documented = {path: set(ops) for path, ops in spec["paths"].items() if not path.startswith("/api/walks")}
    assert documented == flask_paths(app)


def test_the_documents_served_before_flask_are_described_and_nothing_else(spec):
    documented = {path for path in spec["paths"] if path.startswith("/api/walks")}
    assert documented == {"/api/walks", "/api/walks/{walk}", *(f"/api/walks/{{walk}}/{d}" for d in DOCUMENTS)}
    for path in documented:  # each documented path is one the WSGI layer really answers
        assert WALK_URL.match(path.replace("{walk}", "some-walk"))
    assert not WALK_URL.match("/api/walks/some-walk/not-a-document")


def query_names(operation) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def test_query_parameters_are_exactly_the_ones_each_route_accepts(spec):
    paths = spec["paths"]
    for document in DOCUMENTS:
        assert query_names(paths[f"/api/walks/{{walk}}/{document}"]["get"]) == DOCUMENT_PARAMETERS.get(document, set())
    assert query_names(paths["/api/walks"]["get"]) == query_names(paths["/api/walks/{walk}"]["get"]) == set()
    kinds = {
        "/ogc": "landing",
        "/ogc/": "landing",
        "/ogc/conformance": "conformance",
        "/ogc/api": "api",
        "/ogc/collections": "collections",
        "/ogc/collections/{walk}": "collection",
        "/ogc/collections/{walk}/items": "items",
        "/ogc/collections/{walk}/items/{stop}": "item",
    }
    assert set(kinds) == {p for p in paths if p.startswith("/ogc")}
    for path, kind in kinds.items():
        assert query_names(paths[path]["get"]) == OGC_PARAMETERS[kind], path
    for path, (*_, names) in OWN_PAGES.items():
        assert query_names(paths[path]["get"]) == set(names)


def test_path_parameters_carry_real_published_examples(client, spec):
    walk = spec["paths"]["/api/walks/{walk}"]["get"]["parameters"][0]
    assert client.get(f"/api/walks/{walk['example']}").status_code == 200
    item = spec["paths"]["/ogc/collections/{walk}/items/{stop}"]["get"]["parameters"]
    examples = {p["name"]: p["example"] for p in item if p["in"] == "path"}
    assert client.get(f"/ogc/collections/{examples['walk']}/items/{examples['stop']}").status_code == 200


def test_every_operation_describes_its_errors_in_the_one_error_shape(spec):
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "message"]
    for path, item in spec["paths"].items():
        responses = item["get"]["responses"]
        assert "400" in responses, path
        assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_ogc_api_serves_the_same_description(client, spec):
    response = client.get("/ogc/api")
    assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response.json["paths"] == spec["paths"]


def test_the_api_page_lists_every_operation_without_script_or_cdn(client, spec):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in page, path
    assert "<script" not in page and "style=" not in page
    loads_from_elsewhere = re.search(r"<(link|script|img|iframe)[^>]+(src|href)=\"(https?:)?//", page)
    assert not loads_from_elsewhere


def test_the_api_page_speaks_the_requested_language(client):
    page = client.get("/api/docs?lang=ja").get_data(as_text=True)
    assert '<html lang="ja">' in page and "API ドキュメント" in page


def test_unknown_parameters_on_the_description_are_refused(client):
    response = client.get("/api/openapi.json?format=yaml")
    assert response.status_code == 400
    assert response.json == {
        "error": "bad_request",
        "message": "Unknown query parameter 'format'. It takes no parameters.",
    }


def test_the_description_answers_304_to_its_etag_and_is_open_to_other_origins(client):
    first = client.get("/api/openapi.json", headers={"Origin": "https://editor.example"})
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/api/openapi.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
