"""The tourist's side of the site: the PWA's files and the immutable media."""

from flask import Blueprint, Response, current_app, request, send_from_directory
from werkzeug.exceptions import NotFound

from ..db import get_session
from ..domain.models import Media

bp = Blueprint("web", __name__)

MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


@bp.get("/")
def index():
    return _pwa_file("index.html", cache="no-cache")


@bp.get("/media/<string:sha256>.<string:extension>")
def media(sha256: str, extension: str):
    """Serve a media file by its content hash: the URL never changes meaning, so it caches forever."""
    item = get_session().get(Media, sha256) if len(sha256) == 64 else None
    if item is None or item.extension != extension:
        raise NotFound("No such media file.")
    response = Response(item.data, content_type=item.content_type)
    response.set_etag(item.sha256)
    response.headers["Cache-Control"] = MEDIA_CACHE_CONTROL
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


@bp.get("/<path:filename>")
def pwa_file(filename: str):
    """Serve the PWA's own files (scripts, styles, icons, service worker) from pwa/."""
    return _pwa_file(filename, cache="no-cache")


def _pwa_file(filename: str, cache: str):
    # no-cache: the service worker and the browser revalidate by ETag, so an update reaches users
    # at their next visit, while unchanged files cost only a 304.
    response = send_from_directory(current_app.config["PWA_DIR"], filename, max_age=0, conditional=True)
    response.headers["Cache-Control"] = cache
    return response

