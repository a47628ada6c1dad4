"""Published bytes: rendered once at publication, answered from memory with ETag, 304 and gzip.

- `store`: this process's copy of the published documents, reloaded when something is published
- `fast_path`: the WSGI layer answering /api/walks documents before Flask
- `immutable`: the WSGI layer remembering answers of immutable URLs (media, versioned tiles)
- `answers`: `send_bytes`, the one way Flask views answer bytes (ETag, 304, gzip, Cache-Control)
"""

from flask import Flask, current_app

from ..domain.ogc.documents import PublishedJson
from .fast_path import PublishedDocumentsMiddleware
from .immutable import ImmutableResponses
from .store import PublishedDocuments


def init_app(app: Flask) -> None:
    """Build the store once and put both WSGI layers in front of Flask."""
    documents = PublishedDocuments(app.extensions["db"].sessions, app.config["PUBLICATION_CHECK_SECONDS"])
    app.extensions["published_documents"] = documents
    app.extensions["published_json"] = PublishedJson(documents)
    immutable = app.wsgi_app = ImmutableResponses(app.wsgi_app, app.config["IMMUTABLE_CACHE_BYTES"],
                                                  app.config["IMMUTABLE_CACHE_ENTRIES"])
    app.extensions["immutable_responses"] = immutable
    fast_path = app.wsgi_app = PublishedDocumentsMiddleware(app.wsgi_app, documents)
    # server/request_buffering.py answers these on its event loop, skipping the hop to a thread.
    app.extensions["answers_from_memory"] = (
        lambda environ: fast_path.answers_from_memory(environ) or immutable.answers_from_memory(environ))


def published_documents() -> PublishedDocuments:
    """Return this app's published documents (each with .body, .etag, .gzip_body)."""
    return current_app.extensions["published_documents"]


def published_json() -> PublishedJson:
    """Return this app's parsed copy of the published documents (shared by /api, /ogc and /guide)."""
    return current_app.extensions["published_json"]
