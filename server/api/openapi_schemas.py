"""JSON Schemas (OpenAPI 3.0 dialect) of every public document; Schemathesis checks responses against them.

Objects are closed (`additionalProperties: false`) so that a field added to a document without
being described here fails tests/test_openapi*.py instead of drifting silently.
"""

from ..domain.json_types import JSONObject


def ref(name: str) -> JSONObject:
    return {"$ref": f"#/components/schemas/{name}"}


def closed(required: list[str], **properties: JSONObject) -> JSONObject:
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    return {**schema, "required": required} if required else schema  # OpenAPI 3.0 forbids "required": []


STRING, INTEGER, NUMBER = {"type": "string"}, {"type": "integer"}, {"type": "number"}
NULLABLE_STRING = {"type": "string", "nullable": True}
POSITION = {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 3, "description": "[longitude, latitude]"}
BBOX = {"type": "array", "items": NUMBER, "minItems": 4, "maxItems": 4, "description": "[west, south, east, north]"}
TEXTS = {"type": "object", "additionalProperties": STRING, "description": "A text per language code (nl, en, ja)."}
POINT = closed(["type", "coordinates"], type={"type": "string", "enum": ["Point"]}, coordinates=POSITION)
LINESTRING = closed(
    ["type", "coordinates"],
    type={"type": "string", "enum": ["LineString"]},
    coordinates={"type": "array", "items": POSITION},
)

WALK_SUMMARY: dict[str, JSONObject] = {
    "slug": STRING,
    "city": STRING,
    "country": STRING,
    "title": TEXTS,
    "languages": {"type": "array", "items": STRING},
    "default_language": STRING,
    "stop_count": INTEGER,
    "length_m": INTEGER,
    "walking_minutes": INTEGER,
    "duration_minutes": INTEGER,
    "path_accuracy": {
        "type": "string",
        "enum": ["schematic", "surveyed", "routed"],
        "description": "schematic: drawn by hand; length and times are estimates.",
    },
    "bbox": BBOX,
    "version": INTEGER,
    "published_at": {**NULLABLE_STRING, "format": "date-time"},
    "url": STRING,
}
STOP_SUMMARY = closed(
    ["slug", "order", "name", "coordinates"],
    slug=STRING,
    order=INTEGER,
    name=TEXTS,
    summary=TEXTS,
    coordinates=POSITION,
    trigger_radius_m=INTEGER,
    position_confidence=STRING,
)
TWIN = {
    **closed(
        ["walk", "stop"],
        walk=STRING,
        stop=STRING,
        city=STRING,
        name=TEXTS,
        coordinates=POSITION,
        distance_km=INTEGER,
        bearing_deg=INTEGER,
    ),
    "nullable": True,
}
STOP_PROPERTIES = closed(
    ["order", "name"],
    order=INTEGER,
    name=TEXTS,
    name_reading=TEXTS,
    summary=TEXTS,
    body=TEXTS,
    address=STRING,
    opening_hours=STRING,
    accessibility=TEXTS,
    position_confidence=STRING,
    trigger_radius_m=INTEGER,
    images={"type": "array", "items": closed(["url"], url=STRING, alt=TEXTS, credit=STRING)},
    audio={"type": "object", "additionalProperties": closed(["url"], url=STRING, transcript=STRING)},
    twin=TWIN,
    sources={
        "type": "array",
        "description": "Where the stop's facts come from.",
        "items": closed(["title", "publisher"], title=STRING, publisher=STRING, url=STRING, date=STRING),
    },
)
LINK = {
    "type": "object",
    "required": ["href"],
    "properties": {"href": STRING, "rel": STRING, "type": STRING, "title": STRING, "hreflang": STRING},
}
LINKS = {"type": "array", "items": ref("Link")}
FLAT_VALUE = {"nullable": True, "oneOf": [STRING, NUMBER]}

BASEMAP = {
    **closed(
        ["version", "tiles", "tilejson"],
        version=STRING,
        tiles=STRING,
        tilejson=STRING,
        minzoom=INTEGER,
        maxzoom=INTEGER,
        bounds=BBOX,
        attribution=STRING,
        tile_count=INTEGER,
        bytes=INTEGER,
    ),
    "nullable": True,
    "description": "The installed vector basemap along this walk (null: none installed).",
}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {**STRING, "description": "A stable code, e.g. not_found, bad_request."},
            "message": {**STRING, "description": "What went wrong, written for a person."},
            "problems": {"type": "array", "items": STRING},
        },
    },
    "WalkIndex": closed(["walks"], walks={"type": "array", "items": closed(list(WALK_SUMMARY), **WALK_SUMMARY)}),
    "Walk": closed(
        [*WALK_SUMMARY, "intro", "path", "stops", "links"],
        **WALK_SUMMARY,
        intro=TEXTS,
        path=LINESTRING,
        license={**STRING, "description": "SPDX identifier of the walk's texts, e.g. CC-BY-4.0."},
        attribution={**STRING, "description": "How to credit the walk's texts."},
        basemap=BASEMAP,
        stops={"type": "array", "items": STOP_SUMMARY},
        links=closed(["stops", "path", "gpx", "offline"], stops=STRING, path=STRING, gpx=STRING, offline=STRING),
    ),
    "StopCollection": closed(
        ["type", "features"],
        type={"type": "string", "enum": ["FeatureCollection"]},
        features={
            "type": "array",
            "items": closed(
                ["type", "id", "geometry", "properties"],
                type={"type": "string", "enum": ["Feature"]},
                id=STRING,
                geometry=POINT,
                properties=STOP_PROPERTIES,
            ),
        },
    ),
    "PathFeature": closed(
        ["type", "geometry", "properties"],
        type={"type": "string", "enum": ["Feature"]},
        id=STRING,
        geometry=LINESTRING,
        properties=closed(["walk"], walk=STRING, title=TEXTS, length_m=INTEGER, accuracy=STRING),
    ),
    "OfflineManifest": closed(
        ["walk", "version", "total_bytes", "urls"],
        walk=STRING,
        version=INTEGER,
        total_bytes=INTEGER,
        urls={
            "type": "array",
            "items": closed(
                ["url", "bytes", "sha256"],
                url=STRING,
                bytes=INTEGER,
                sha256={"type": "string", "pattern": "^[0-9a-f]{64}$"},
            ),
        },
    ),
    "Link": LINK,
    "LandingPage": closed(["links"], title=STRING, description=STRING, links=LINKS),
    "Conformance": closed(["conformsTo"], conformsTo={"type": "array", "items": STRING}),
    "Collection": closed(
        ["id", "links"],
        id=STRING,
        title=STRING,
        description=STRING,
        itemType={"type": "string", "enum": ["feature"]},
        extent=closed([], spatial=closed(["bbox"], bbox={"type": "array", "items": BBOX}, crs=STRING)),
        crs={"type": "array", "items": STRING},
        storageCrs=STRING,
        links=LINKS,
    ),
    "Collections": closed(
        ["links", "collections"], links=LINKS, collections={"type": "array", "items": ref("Collection")}
    ),
    "Feature": closed(
        ["type", "geometry", "properties"],
        type={"type": "string", "enum": ["Feature"]},
        id=STRING,
        geometry=POINT,
        properties={
            "type": "object",
            "additionalProperties": FLAT_VALUE,
            "description": "Flat columns: name_nl, name_en, name_ja, summary_*, body_*, order, ...",
        },
        links=LINKS,
    ),
    "FeatureCollection": closed(
        ["type", "features"],
        type={"type": "string", "enum": ["FeatureCollection"]},
        features={"type": "array", "items": ref("Feature")},
        links=LINKS,
        numberMatched={"type": "integer", "minimum": 0},
        numberReturned={"type": "integer", "minimum": 0},
    ),
    "OpenAPI": {"type": "object", "required": ["openapi", "paths"]},
}
