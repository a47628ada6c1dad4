"""The OpenAPI 3.0 description of every public route of /api and /ogc, and the API page for people.

The /api/walks documents are described from the same constants the WSGI layer routes with
(`published.DOCUMENTS`, `published.ACCEPTED_PARAMETERS`), the OGC query parameters from
`ogc_query.ACCEPTED_PARAMETERS`; tests compare the paths with app.url_map, so neither can drift.
"""

from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from ..domain.errors import DomainError
from ..domain.json_types import JSONObject
from ..domain.languages import LANGUAGES
from ..domain.ogc.collections import first_stop
from ..domain.ogc.query import ACCEPTED_PARAMETERS as OGC_PARAMETERS
from ..domain.ogc.query import DEFAULT_LIMIT, FORMATS, MAX_LIMIT, MAX_OFFSET
from ..domain.ogc.texts import LANGUAGE_NAMES, labels
from ..public_url import public_base_url
from ..published import published_json
from ..published.answers import send_bytes
from ..published.fast_path import ACCEPTED_PARAMETERS as DOCUMENT_PARAMETERS
from ..published.store import DOCUMENTS
from .openapi_schemas import SCHEMAS, ref

bp = Blueprint("openapi", __name__)

WALK_DOCUMENTS = {  # document -> (summary, media type, schema)
    "stops": ("The published stops, in walking order (GeoJSON)", "application/geo+json", ref("StopCollection")),
    "path": ("The walking path (GeoJSON LineString)", "application/geo+json", ref("PathFeature")),
    "gpx": (
        "The walk as GPX 1.1: a waypoint per stop, a track for the path",
        "application/gpx+xml",
        {"type": "string"},
    ),
    "offline": (
        "The offline manifest: every URL the walk needs offline, with bytes and sha256",
        "application/json",
        ref("OfflineManifest"),
    ),
}
OGC_OPERATIONS = {  # path -> (kind, summary, media type of the JSON answer, schema)
    "/ogc": ("landing", "Landing page of the OGC API – Features service", "application/json", ref("LandingPage")),
    "/ogc/": ("landing", "Landing page (the same, with a trailing slash)", "application/json", ref("LandingPage")),
    "/ogc/conformance": ("conformance", "Conformance classes implemented", "application/json", ref("Conformance")),
    "/ogc/api": (
        "api",
        "This API description (OpenAPI 3.0)",
        "application/vnd.oai.openapi+json;version=3.0",
        ref("OpenAPI"),
    ),
    "/ogc/collections": (
        "collections",
        "The published walks, one collection each",
        "application/json",
        ref("Collections"),
    ),
    "/ogc/collections/{walk}": ("collection", "One walk as a collection", "application/json", ref("Collection")),
    "/ogc/collections/{walk}/items": (
        "items",
        "The walk's published stops (GeoJSON), paged and filtered",
        "application/geo+json",
        ref("FeatureCollection"),
    ),
    "/ogc/collections/{walk}/items/{stop}": (
        "item",
        "One published stop (GeoJSON Feature)",
        "application/geo+json",
        ref("Feature"),
    ),
}
OWN_PAGES = {  # path -> (summary, media type, schema, query parameters)
    "/api/openapi.json": ("This API description (OpenAPI 3.0)", "application/json", ref("OpenAPI"), ()),
    "/api/docs": ("This API description as a page for people", "text/html", {"type": "string"}, ("lang",)),
}


def _error(description: str) -> JSONObject:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


ERRORS = {
    "400": _error("A query parameter is unknown, repeated or malformed; the message says which."),
    "404": _error(
        "No such published walk or stop (or, for /api/walks, nothing is published yet). "
        "Caches may keep it as long as the documents (Cache-Control: public, max-age)."
    ),
    "503": _error(
        "The database cannot be reached and nothing is cached yet. "
        "Try again after Retry-After; shared caches may repeat it for as long (s-maxage)."
    ),
}


def _query_parameter(name: str) -> JSONObject:
    schemas = {
        "lang": ({"type": "string", "enum": list(LANGUAGES)}, "Language of titles and texts (else Accept-Language)."),
        "f": ({"type": "string", "enum": list(FORMATS)}, "Format: json (GeoJSON/JSON) or html (else Accept)."),
        "limit": (
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            "The most features to return.",
        ),
        "offset": (
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
            "How many matching features to skip (the next link does this for you).",
        ),
        "bbox": (
            {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number", "minimum": -90, "maximum": 90}},
            "Only features inside west,south,east,north (CRS84 degrees; six values with heights are also "
            "accepted). South must not be above north; a west greater than east crosses 180°.",
        ),
        "datetime": (
            {"type": "string", "format": "date-time"},
            "An RFC 3339 date-time or interval. Stops are permanent places: it filters none out.",
        ),
    }
    schema, description = schemas[name]
    parameter = {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
    if name == "bbox":
        parameter.update(style="form", explode=False)
    return parameter


def _path_parameters(path: str, examples: JSONObject) -> list[JSONObject]:
    described = {"walk": "The walk's slug.", "stop": "The stop's slug (the feature id)."}
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": text,
            "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 80},
            **({"example": examples[name]} if examples.get(name) else {}),
        }
        for name, text in described.items()
        if "{" + name + "}" in path
    ]


def _operation(
    operation_id: str,
    summary: str,
    content: JSONObject,
    parameters: list[JSONObject],
    errors: tuple[str, ...] = ("400", "404"),
) -> JSONObject:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": summary, "content": content},
                "304": {"description": "Not modified (the ETag sent in If-None-Match still holds)."},
                **{code: ERRORS[code] for code in (*errors, "503")},
            },
        }
    }


def build_openapi(server_url: str, examples: JSONObject) -> JSONObject:
    """Return the OpenAPI document; `examples` gives real walk and stop slugs to show and try."""
    paths = {
        "/api/walks": _operation(
            "listWalks",
            "The published walks with counts, length, duration, version",
            {"application/json": {"schema": ref("WalkIndex")}},
            [],
        )
    }
    paths["/api/walks/{walk}"] = _operation(
        "getWalk",
        "One walk: metadata, path and stop summaries",
        {"application/json": {"schema": ref("Walk")}},
        _path_parameters("{walk}", examples),
    )
    for document in DOCUMENTS:
        summary, media_type, schema = WALK_DOCUMENTS[document]
        parameters = _path_parameters("{walk}", examples) + [
            _query_parameter(name) for name in sorted(DOCUMENT_PARAMETERS.get(document, ()))
        ]
        paths[f"/api/walks/{{walk}}/{document}"] = _operation(
            f"getWalk{document.title()}", summary, {media_type: {"schema": schema}}, parameters
        )
    for path, (summary, media_type, schema, names) in OWN_PAGES.items():
        paths[path] = _operation(
            path.rsplit("/", 1)[1].split(".")[0] + "Page",
            summary,
            {media_type: {"schema": schema}},
            [_query_parameter(n) for n in names],
            errors=("400",),
        )
    for path, (kind, summary, media_type, schema) in OGC_OPERATIONS.items():
        parameters = _path_parameters(path, examples) + [_query_parameter(n) for n in sorted(OGC_PARAMETERS[kind])]
        content = {media_type: {"schema": schema}, "text/html": {"schema": {"type": "string"}}}
        operation_id = "ogc" + kind.title() + ("Slash" if path.endswith("/") else "")
        paths[path] = _operation(
            operation_id, summary, content, parameters, errors=("400", "404") if "{" in path else ("400",)
        )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Kotoji public API",
            "version": "1.0.0",
            "description": "The published heritage walks: JSON, GeoJSON, GPX, offline manifests and an OGC "
            "API – Features service. Read-only, open to any origin (CORS). Only published "
            'data appears here. Errors are JSON: {"error": code, "message": text}.',
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }


def _examples() -> JSONObject:
    """Return a real published walk and stop, so people and Schemathesis have something to try."""
    source = published_json()
    for summary in (source("/api/walks") or {"walks": []})["walks"]:
        stop = first_stop(source, summary["slug"])  # never the walk's whole document: it may be tens of MB
        if stop:
            return {"walk": summary["slug"], "stop": stop}
    return {}


def _refuse_unknown_parameters(path: str) -> None:
    accepted = OWN_PAGES[path][3]
    for name, values in request.args.lists():
        if name not in accepted:
            takes = f"It accepts: {', '.join(accepted)}." if accepted else "It takes no parameters."
            raise DomainError(f"Unknown query parameter '{name[:40]}'. {takes}")
        if len(values) > 1:
            raise DomainError(f"The query parameter '{name}' is given more than once.")
    if request.args.get("lang", "en") not in LANGUAGES:
        raise DomainError(f"lang must be one of: {', '.join(LANGUAGES)}.")


def openapi_document() -> Response:
    """Answer the OpenAPI document as JSON."""
    return _cacheable(jsonify(build_openapi(public_base_url(), _examples())))


def _cacheable(response: Response) -> Response:
    return send_bytes(
        response.get_data(),
        content_type=response.content_type,
        cache_control="public, max-age=60",
        vary=("Accept-Language",),
    )


def api_page() -> Response:
    """Answer the API description as an HTML page (no script, no CDN)."""
    lang = request.args.get("lang") or request.accept_languages.best_match(LANGUAGES) or "en"
    lang = lang if lang in LANGUAGES else "en"
    examples = _examples()
    spec = build_openapi(public_base_url(), examples)
    page = render_template(
        "ogc/api_docs.html",
        spec=spec,
        examples=examples,
        words=labels(lang),
        lang=lang,
        json_href="/api/openapi.json",
        language_links={
            code: (name, request.path + "?" + urlencode({"lang": code})) for code, name in LANGUAGE_NAMES.items()
        },
    )
    return _cacheable(current_app.response_class(page, content_type="text/html; charset=utf-8"))


@bp.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    _refuse_unknown_parameters("/api/openapi.json")
    return openapi_document()


@bp.get("/docs")
def docs_page() -> ResponseReturnValue:
    _refuse_unknown_parameters("/api/docs")
    return api_page()
