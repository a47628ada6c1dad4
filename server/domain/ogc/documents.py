"""OGC API – Features (Part 1) documents for the published walks: one collection per walk, stops as items.

Everything here is built from the published documents (the same bytes /api/walks serves), never from
the editing tables, so a draft stop or a staff note cannot reach a GIS tool. Properties are flattened
per language (`name_nl`, `name_en`, ...) because GIS tools show scalar columns, not nested objects.
The collections themselves are in `collections`, built from small facts stored at publication.
"""

import json
from collections.abc import Callable, Iterable
from typing import Protocol
from urllib.parse import urlencode

from ..errors import NotFound
from ..json_types import JSONObject
from ..languages import LANGUAGES
from .query import Query, bbox_contains
from .texts import site_text

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
LANGUAGE_FIELDS = ("name", "summary", "body", "accessibility")
DocumentSource = Callable[[str], JSONObject | None]  # published URL -> its parsed JSON, or None


class _Served(Protocol):
    @property
    def body(self) -> bytes: ...


class _ServedDocuments(Protocol):
    def get(self, url: str) -> _Served | None: ...


class PublishedJson:
    """A `DocumentSource` over the served documents (anything with .get(url) -> obj with .body).

    Each document is parsed once per published version: a new publication brings new objects.
    """

    def __init__(self, documents: _ServedDocuments) -> None:
        self._documents = documents
        self._parsed: dict[str, tuple[object, JSONObject]] = {}

    def __call__(self, url: str) -> JSONObject | None:
        served = self._documents.get(url)
        if served is None:
            return None
        cached = self._parsed.get(url)
        if cached is None or cached[0] is not served:
            cached = (served, json.loads(served.body))
            self._parsed[url] = cached
        return cached[1]


class Links:
    """Absolute links of one request: the site's base URL and the language the client asked for."""

    def __init__(self, base_url: str, lang: str | None):
        self.base_url = base_url.rstrip("/")
        self.lang = lang  # kept in every link only when the client chose it explicitly

    def url(self, path: str, **params: str | int | None) -> str:
        query = {k: v for k, v in params.items() if v is not None}
        if self.lang:
            query["lang"] = self.lang
        return self.base_url + path + ("?" + urlencode(query) if query else "")

    def media(self, path: str | None) -> str | None:
        return self.base_url + path if path else None

    def pair(self, path: str, rel: str, json_type: str, title: str, **params: str | int | None) -> list[JSONObject]:
        """Return the JSON and HTML links to one resource (`rel` for the JSON one)."""
        html_rel = "alternate" if rel == "self" else rel
        return [
            {"href": self.url(path, f="json", **params), "rel": rel, "type": json_type, "title": title},
            {"href": self.url(path, f="html", **params), "rel": html_rel, "type": HTML, "title": f"{title} (HTML)"},
        ]


def landing_page(links: Links, lang: str | None) -> JSONObject:
    """Return the landing page: what this service is and where everything is."""
    return {
        "title": site_text("title", lang),
        "description": site_text("description", lang),
        "links": [
            *links.pair("/ogc", "self", JSON, "This document"),
            {
                "href": links.url("/ogc/api", f="json"),
                "rel": "service-desc",
                "type": OPENAPI,
                "title": "The API definition (OpenAPI 3.0)",
            },
            {"href": links.url("/api/docs"), "rel": "service-doc", "type": HTML, "title": "The API documentation"},
            {
                "href": links.url("/ogc/conformance", f="json"),
                "rel": "conformance",
                "type": JSON,
                "title": "Conformance classes implemented",
            },
            {
                "href": links.url("/ogc/conformance", f="json"),
                "type": JSON,
                "title": "Conformance classes implemented",
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/conformance",
            },
            {"href": links.url("/ogc/collections", f="json"), "rel": "data", "type": JSON, "title": "The walks"},
            {
                "href": links.url("/ogc/collections", f="json"),
                "type": JSON,
                "title": "The walks",
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/data",
            },
        ],
    }


def conformance() -> JSONObject:
    return {"conformsTo": list(CONFORMANCE)}


def _walk(source: DocumentSource, slug: str) -> JSONObject:
    walk = source(f"/api/walks/{slug}")
    if walk is None:
        raise NotFound(f"There is no published walk called '{slug[:80]}'.")
    return walk


def _stop_features(source: DocumentSource, walk: JSONObject) -> list[JSONObject]:
    stops = source(f"/api/walks/{walk['slug']}/stops") or {"features": []}
    features: list[JSONObject] = stops["features"]
    return features


def reading_languages(features: list[JSONObject]) -> list[str]:
    return languages_with_reading(f["properties"].get("name_reading") for f in features)


def languages_with_reading(name_readings: Iterable[JSONObject | None]) -> list[str]:
    """Return the languages in which any stop has a reading of its name (each gets a column)."""
    found = {lang for readings in name_readings for lang, text in (readings or {}).items() if text}
    return [lang for lang in LANGUAGES if lang in found]


def flat_properties(walk: JSONObject, properties: JSONObject, links: Links, reading_languages: list[str]) -> JSONObject:
    """Return a stop's properties as flat columns, one per field and language (null when missing)."""
    languages = walk["languages"]
    flat = {"walk": walk["slug"], "order": properties["order"]}
    for field in LANGUAGE_FIELDS:
        texts = properties.get(field) or {}
        flat.update({f"{field}_{lang}": texts.get(lang) or None for lang in languages})
    readings = properties.get("name_reading") or {}
    flat.update({f"name_reading_{lang}": readings.get(lang) or None for lang in reading_languages})
    for field in ("address", "opening_hours", "position_confidence", "trigger_radius_m"):
        value = properties.get(field)
        flat[field] = None if value == "" else value
    images = properties.get("images") or []
    first = images[0] if images else {}
    flat["image_count"] = len(images)
    flat["image_url"] = links.media(first.get("url"))
    flat.update({f"image_alt_{lang}": (first.get("alt") or {}).get(lang) or None for lang in languages})
    flat["image_credit"] = first.get("credit") or None
    audio = properties.get("audio") or {}
    flat.update({f"audio_url_{lang}": links.media((audio.get(lang) or {}).get("url")) for lang in languages})
    twin = properties.get("twin") or {}
    flat["twin_walk"], flat["twin_stop"], flat["twin_city"] = twin.get("walk"), twin.get("stop"), twin.get("city")
    flat.update({f"twin_name_{lang}": (twin.get("name") or {}).get(lang) or None for lang in languages})
    flat["twin_distance_km"], flat["twin_bearing_deg"] = twin.get("distance_km"), twin.get("bearing_deg")
    flat["sources"] = (
        "; ".join(
            " ".join(filter(None, (f"{s.get('publisher')}: {s.get('title')}", s.get("date"), s.get("url"))))
            for s in properties.get("sources") or []
        )
        or None
    )
    return flat


def stop_feature(walk: JSONObject, feature: JSONObject, links: Links, readings: list[str]) -> JSONObject:
    slug, stop = walk["slug"], feature["id"]
    return {
        "type": "Feature",
        "id": stop,
        "geometry": feature["geometry"],
        "properties": flat_properties(walk, feature["properties"], links, readings),
        "links": [
            *links.pair(f"/ogc/collections/{slug}/items/{stop}", "self", GEOJSON, "This stop"),
            {
                "href": links.url(f"/ogc/collections/{slug}", f="json"),
                "rel": "collection",
                "type": JSON,
                "title": "The walk",
            },
        ],
    }


def items(source: DocumentSource, slug: str, query: Query, links: Links) -> JSONObject:
    """Return a page of the walk's stops (in walking order) that lie in the query's bbox.

    Stops are permanent places with no time of their own, so a datetime filter keeps them all.
    """
    walk = _walk(source, slug)
    features = _stop_features(source, walk)
    readings = reading_languages(features)
    matched = [f for f in features if query.bbox is None or bbox_contains(query.bbox, *f["geometry"]["coordinates"])]
    page = matched[query.offset : query.offset + query.limit]
    return {
        "type": "FeatureCollection",
        "features": [stop_feature(walk, f, links, readings) for f in page],
        "numberMatched": len(matched),
        "numberReturned": len(page),
        "links": page_links(slug, query, len(matched), links),
    }


def page_links(slug: str, query: Query, matched: int, links: Links) -> list[JSONObject]:
    """Return the links of one page of items: itself (JSON, HTML), next and previous, the walk."""
    params = {
        "limit": query.limit,
        "bbox": ",".join(f"{n:g}" for n in query.bbox) if query.bbox else None,
        "datetime": query.datetime,
    }
    path = f"/ogc/collections/{slug}/items"
    result = links.pair(path, "self", GEOJSON, "This page", offset=query.offset or None, **params)
    if query.offset + query.limit < matched:
        result.append(
            {
                "href": links.url(path, f="json", offset=query.offset + query.limit, **params),
                "rel": "next",
                "type": GEOJSON,
                "title": "Next page",
            }
        )
    if query.offset > 0:
        previous = max(0, query.offset - query.limit) or None
        result.append(
            {
                "href": links.url(path, f="json", offset=previous, **params),
                "rel": "prev",
                "type": GEOJSON,
                "title": "Previous page",
            }
        )
    result.append(
        {
            "href": links.url(f"/ogc/collections/{slug}", f="json"),
            "rel": "collection",
            "type": JSON,
            "title": "The walk",
        }
    )
    return result


def item(source: DocumentSource, slug: str, stop: str, links: Links) -> JSONObject:
    """Return one published stop as a Feature, or raise NotFound."""
    walk = _walk(source, slug)
    features = _stop_features(source, walk)
    for feature in features:
        if feature["id"] == stop:
            return stop_feature(walk, feature, links, reading_languages(features))
    raise NotFound(f"The walk '{slug}' has no published stop called '{stop[:80]}'.")
