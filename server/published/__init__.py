"""Published bytes: rendered once at publication, answered from memory with ETag, 304 and gzip.

- `store`: this process's copy of the published documents, reloaded when something is published
- `fast_path`: the WSGI layer answering /api/walks documents before Flask
- `ogc_answers`, `ogc_fast_path`: OGC items assembled from prepared features, answered before Flask
- `immutable`: the WSGI layer remembering answers of immutable URLs (media, versioned tiles)
- `answers`: `send_bytes`, the one way Flask views answer bytes (ETag, 304, gzip, Cache-Control)
"""

from collections.abc import Callable
from functools import lru_cache
from wsgiref.types import WSGIEnvironment

from flask import Flask, current_app
from werkzeug.exceptions import SecurityError
from werkzeug.sansio.utils import get_current_url, get_host

from ..domain.ogc.documents import PublishedJson
from .fast_path import PublishedDocumentsMiddleware
from .immutable import ImmutableResponses
from .ogc_answers import OgcItems
from .ogc_fast_path import OgcItemsMiddleware
from .store import PublishedDocuments


def init_app(app: Flask) -> None:
    """Build the store once and put the WSGI layers in front of Flask."""
    max_age = app.config["PUBLIC_MAX_AGE_SECONDS"]
    documents = PublishedDocuments(app.extensions["db"].sessions, app.config["PUBLICATION_CHECK_SECONDS"], max_age)
    app.extensions["published_documents"] = documents
    app.extensions["published_json"] = PublishedJson(documents)
    app.extensions["ogc_items"] = items = OgcItems(documents)
    # Flask documents wrapping wsgi_app in middleware; its annotations declare it a method.
    immutable = app.wsgi_app = ImmutableResponses(  # type: ignore[method-assign]
        app.wsgi_app, app.config["IMMUTABLE_CACHE_BYTES"], app.config["IMMUTABLE_CACHE_ENTRIES"]
    )
    app.extensions["immutable_responses"] = immutable
    app.wsgi_app = OgcItemsMiddleware(app.wsgi_app, items, _site_origin(app), max_age)  # type: ignore[method-assign]
    fast_path = app.wsgi_app = PublishedDocumentsMiddleware(app.wsgi_app, documents, max_age)  # type: ignore[method-assign]
    # server/request_buffering.py answers these on its event loop, skipping the hop to a thread.
    app.extensions["answers_from_memory"] = lambda environ: (
        fast_path.answers_from_memory(environ) or immutable.answers_from_memory(environ)
    )


def _site_origin(app: Flask) -> Callable[[WSGIEnvironment], str | None]:
    """Return environ -> the origin absolute links use, as Flask's `request.host_url` gives it.

    None when the request's host is not trusted (Flask then refuses it). A configured public URL,
    when there is one, is the answer for every trusted request.
    """
    hops = app.config["TRUSTED_PROXIES"]

    @lru_cache(maxsize=256)  # bounded: a client may send any Host
    def from_headers(scheme: str, forwarded: str | None, host_header: str | None) -> str | None:
        if forwarded:  # what ProxyFix(x_proto=hops) makes of it before Flask reads the request
            values = [v.strip() for v in forwarded.split(",")]
            scheme = values[-hops] if len(values) >= hops else scheme
        try:
            host = get_host(scheme, host_header, None, app.config.get("TRUSTED_HOSTS"))
        except SecurityError:
            return None
        if not host:
            return None
        return app.config.get("PUBLIC_URL") or get_current_url(scheme, host)

    def origin(environ: WSGIEnvironment) -> str | None:
        return from_headers(
            environ["wsgi.url_scheme"],
            environ.get("HTTP_X_FORWARDED_PROTO") if hops else None,
            environ.get("HTTP_HOST"),
        )

    return origin


def published_documents() -> PublishedDocuments:
    """Return this app's published documents (each with .body, .etag, .gzip_body)."""
    documents: PublishedDocuments = current_app.extensions["published_documents"]
    return documents


def published_json() -> PublishedJson:
    """Return this app's parsed copy of the published documents (shared by /api, /ogc and /guide)."""
    parsed: PublishedJson = current_app.extensions["published_json"]
    return parsed


def ogc_items() -> OgcItems:
    """Return this app's prepared OGC items."""
    items: OgcItems = current_app.extensions["ogc_items"]
    return items
