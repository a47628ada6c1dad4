"""OGC API – Features (/ogc): the published walks for GIS tools (QGIS, GDAL, OWSLib, ArcGIS) and people.

Thin: read the query, resolve language and format, call `domain.ogc`, send JSON or an HTML page.
Items come from prepared bytes; JSON ones usually never get here (`published.ogc_fast_path` answers them).
"""

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue

from ..api.openapi import api_page, openapi_document
from ..domain.errors import NotFound
from ..domain.json_types import JSONObject
from ..domain.languages import LANGUAGES, pick_text
from ..domain.ogc import documents as ogc
from ..domain.ogc.collections import collection_document, collections_document
from ..domain.ogc.query import Query, parse_query
from ..domain.ogc.texts import LANGUAGE_NAMES, labels
from ..public_url import public_base_url
from ..published import ogc_items, published_json
from ..published.answers import send_bytes
from ..published.ogc_answers import OgcAnswer

bp = Blueprint("ogc", __name__, static_folder="static", static_url_path="/static")


def _read(kind: str) -> tuple[Query, str | None, ogc.Links]:
    """Return the checked query, the language asked for (None: no preference) and the link maker."""
    query = parse_query(kind, request.args.to_dict(flat=False))
    lang = query.lang or request.accept_languages.best_match(LANGUAGES)
    if lang is None and _wants_html(query):
        lang = "en"  # a page needs one language for its words and titles alike
    return query, lang, ogc.Links(public_base_url(), query.lang)


def _wants_html(query: Query) -> bool:
    if query.format:
        return query.format == "html"
    best = request.accept_mimetypes.best_match(["application/json", "application/geo+json", "text/html"])
    return best == "text/html"


def respond(
    query: Query, lang: str | None, document: JSONObject, media_type: str, template: str, **page: object
) -> Response:
    """Send `document` as JSON, or as the HTML page `template` when the client wants HTML."""
    if _wants_html(query):
        switch = {code: (name, _same_page(lang=code)) for code, name in LANGUAGE_NAMES.items()}
        body = render_template(
            f"ogc/{template}.html",
            doc=document,
            words=labels(lang),
            lang=lang,
            json_href=_same_page(f="json"),
            language_links=switch,
            **page,
        ).encode("utf-8")
        content_type = "text/html; charset=utf-8"
    else:
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        content_type = media_type
    # Without a preference, titles are in each walk's own language: no single Content-Language.
    return send_bytes(
        body,
        content_type=content_type,
        cache_control=_cache_control(),
        vary=("Accept", "Accept-Language"),
        headers=(("Content-Language", lang),) if lang else (),
    )


def _cache_control() -> str:
    """The same freshness as the published documents these answers are built from."""
    return f"public, max-age={current_app.config['PUBLIC_MAX_AGE_SECONDS']}"


def _same_page(**changes: str) -> str:
    """Return this page's URL with some query parameters changed."""
    return request.path + "?" + urlencode({**request.args.to_dict(), **changes})


@bp.get("", endpoint="landing")
@bp.get("/", endpoint="landing_slash")
def landing() -> ResponseReturnValue:
    query, lang, links = _read("landing")
    return respond(query, lang, ogc.landing_page(links, lang), ogc.JSON, "landing")


@bp.get("/conformance")
def conformance() -> ResponseReturnValue:
    query, lang, _ = _read("conformance")
    return respond(query, lang, ogc.conformance(), ogc.JSON, "conformance")


@bp.get("/api")
def api_definition() -> ResponseReturnValue:
    """Serve the OpenAPI description (JSON) or the API page (HTML), the same as /api/openapi.json."""
    query, lang, _ = _read("api")
    if _wants_html(query):
        return api_page()
    response = openapi_document()
    response.content_type = ogc.OPENAPI
    return response


@bp.get("/collections")
def collections() -> ResponseReturnValue:
    query, lang, links = _read("collections")
    return respond(query, lang, collections_document(published_json(), links, lang), ogc.JSON, "collections")


@bp.get("/collections/<string:walk>")
def collection(walk: str) -> ResponseReturnValue:
    query, lang, links = _read("collection")
    return respond(query, lang, collection_document(published_json(), walk, links, lang), ogc.JSON, "collection")


def _prepared(walk: str, stop: str | None, query: Query) -> OgcAnswer:
    """Return the answer assembled from the walk's prepared stops (as the WSGI layer does), or raise NotFound."""
    found = ogc_items().find(walk, stop, query, public_base_url())
    answer = found and ogc_items().answer(found[0], query)
    if answer:
        return answer
    if ogc_items().prepared(walk) is None:
        raise NotFound(f"There is no published walk called '{walk[:80]}'.")
    raise NotFound(f"The walk '{walk}' has no published stop called '{(stop or '')[:80]}'.")


def _items_answer(query: Query, lang: str | None, answer: OgcAnswer, walk: str, template: str) -> Response:
    if _wants_html(query):  # the page shows the same features, read back from the same bytes
        prepared = ogc_items().prepared(walk)
        if prepared is None:  # withdrawn since the answer was assembled
            raise NotFound(f"There is no published walk called '{walk[:80]}'.")
        about = prepared[0].walk
        title = pick_text(about["title"], lang or about["default_language"])
        return respond(query, lang, json.loads(answer.body), ogc.GEOJSON, template, walk=walk, walk_title=title)
    return send_bytes(
        answer.body,
        content_type=ogc.GEOJSON,
        cache_control=_cache_control(),
        etag=answer.tag,
        gzip_body=answer.gzip_body,
        vary=("Accept", "Accept-Language"),
        headers=(("Content-Language", lang),) if lang else (),
    )


@bp.get("/collections/<string:walk>/items")
def items(walk: str) -> ResponseReturnValue:
    query, lang, _ = _read("items")
    return _items_answer(query, lang, _prepared(walk, None, query), walk, "items")


@bp.get("/collections/<string:walk>/items/<string:stop>")
def item(walk: str, stop: str) -> ResponseReturnValue:
    query, lang, _ = _read("item")
    return _items_answer(query, lang, _prepared(walk, stop, query), walk, "item")
