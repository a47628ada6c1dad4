"""The OGC collections (one per published walk), from the few facts publishing stored for each walk.

A collection needs a walk's title, intro, default language and extent, never its stops. Publishing
stores those facts beside the walk's documents (`collection_url`), so a request reads a few hundred
bytes per walk, however many stops the walks have, and a process never holds a walk's full document
for it. A walk published before these facts were stored is read from its full walk document, which
gives the same collection, until its next publication.
"""

from ..errors import NotFound
from ..json_types import JSONObject
from ..languages import pick_text
from .documents import CRS84, GEOJSON, HTML, JSON, DocumentSource, Links

COLLECTION_TYPE = "application/vnd.kotoji.ogc-collection"  # stored at publication, never sent as it is
COLLECTION_KEYS = ("slug", "title", "intro", "default_language", "bbox")  # what `_collection` reads of a walk


def collection_url(slug: str) -> str:
    """Return where publishing stores a walk's collection facts."""
    return f"/ogc/collections/{slug}"


def collection_facts(walk_head: JSONObject, first_stop: str | None) -> JSONObject:
    """Return what the walk's collection needs (COLLECTION_KEYS of its walk document) and its first stop.

    The first stop's slug is what the API definition offers as an example (None without stops).
    """
    return {**{key: walk_head[key] for key in COLLECTION_KEYS}, "first_stop": first_stop}


def _facts(source: DocumentSource, slug: str) -> JSONObject | None:
    """Return the walk's collection facts, or its full walk document when published without them."""
    return source(collection_url(slug)) or source(f"/api/walks/{slug}")


def first_stop(source: DocumentSource, slug: str) -> str | None:
    """Return the slug of the walk's first published stop (None without stops or without the walk)."""
    facts = _facts(source, slug)
    if facts is None:
        return None
    if "first_stop" in facts:
        return str(facts["first_stop"]) if facts["first_stop"] else None
    stops = facts["stops"]  # a full walk document
    return str(stops[0]["slug"]) if stops else None


def _collection(walk: JSONObject, links: Links, lang: str | None) -> JSONObject:
    slug, language = walk["slug"], lang or walk["default_language"]
    items = f"/ogc/collections/{slug}/items"
    return {
        "id": slug,
        "title": pick_text(walk["title"], language),
        "description": pick_text(walk["intro"], language),
        "itemType": "feature",
        "extent": {"spatial": {"bbox": [walk["bbox"]], "crs": CRS84}},
        "crs": [CRS84],
        "storageCrs": CRS84,
        "links": [
            *links.pair(f"/ogc/collections/{slug}", "self", JSON, "This walk"),
            {"href": links.url(items, f="json"), "rel": "items", "type": GEOJSON, "title": "The stops"},
            {"href": links.url(items, f="html"), "rel": "items", "type": HTML, "title": "The stops (HTML)"},
            {
                "href": links.url(f"/api/walks/{slug}/path"),
                "rel": "related",
                "type": GEOJSON,
                "title": "The walking path (LineString)",
            },
            {
                "href": links.url(f"/api/walks/{slug}/gpx"),
                "rel": "related",
                "type": "application/gpx+xml",
                "title": "The walk as GPX",
            },
        ],
    }


def collections_document(source: DocumentSource, links: Links, lang: str | None) -> JSONObject:
    """Return every published walk as a collection of its stops, in the order of the public index."""
    index = source("/api/walks") or {"walks": []}
    walks = [_facts(source, summary["slug"]) for summary in index["walks"]]
    return {
        "links": links.pair("/ogc/collections", "self", JSON, "The walks"),
        "collections": [_collection(walk, links, lang) for walk in walks if walk is not None],
    }


def collection_document(source: DocumentSource, slug: str, links: Links, lang: str | None) -> JSONObject:
    """Return one published walk as a collection, or raise NotFound."""
    walk = _facts(source, slug)
    if walk is None:
        raise NotFound(f"There is no published walk called '{slug[:80]}'.")
    return _collection(walk, links, lang)
