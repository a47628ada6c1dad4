"""The tourist's side of the site: the PWA's shell, its service worker, npm files and the media."""

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from ..config import PROJECT_ROOT
from ..db import get_session
from ..domain.messages import _
from ..domain.models import Media
from ..published.answers import send_bytes
from .app_shell import AppShell, ShellFile, load_file
from .vendor_files import is_allowed, vendor_path

bp = Blueprint("web", __name__)

MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
# no-cache: browsers and the service worker revalidate by ETag, so a new release reaches phones at
# their next visit while an unchanged file costs a 304.
REVALIDATE = "no-cache"


def app_shell() -> AppShell:
    shell = current_app.extensions.get("app_shell")
    if shell is None:
        vendor_dir = current_app.config.get("VENDOR_DIR") or PROJECT_ROOT / "node_modules"
        shell = current_app.extensions["app_shell"] = AppShell(current_app.config["PWA_DIR"], vendor_dir)
    return shell


@bp.get("/")
def index() -> ResponseReturnValue:
    page = app_shell().file("/")
    if page is None:  # a deployment without pwa/index.html
        raise NotFound()
    return _send(page, REVALIDATE)


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    """Serve the service worker at the root scope, with the shell version it precaches."""
    response = _send(app_shell().worker(), REVALIDATE)
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/shell-manifest.json")
def shell_manifest() -> ResponseReturnValue:
    """List the shell files with their sha256 (the service worker checks each one it caches)."""
    return _send(app_shell().manifest_file(), REVALIDATE)


@bp.get("/vendor/<string:package>/<path:file_path>")
def vendor_file(package: str, file_path: str) -> ResponseReturnValue:
    """Serve an allow-listed file of an npm package (never anything else from node_modules)."""
    if not is_allowed(package, file_path):
        raise NotFound("This file is not one the site serves.")
    shell = app_shell()
    item = shell.file(f"/vendor/{package}/{file_path}")
    if item is None:
        path = vendor_path(shell.vendor_dir, package, file_path)
        if not path.is_file():
            raise NotFound("This vendor file is not installed (run npm ci).")
        item = load_file(request.path, path)
    return _send(item, REVALIDATE)


@bp.get("/media/<string:sha256>.<string:extension>")
def media(sha256: str, extension: str) -> ResponseReturnValue:
    """Serve a media file by its content hash: the URL never changes meaning, so it caches forever."""
    item = get_session().get(Media, sha256) if len(sha256) == 64 else None
    if item is None or item.extension != extension:
        raise NotFound("No such media file.")
    return send_bytes(
        item.data,
        content_type=item.content_type,
        etag=item.sha256,
        cache_control=MEDIA_CACHE_CONTROL,
        headers=(("Access-Control-Allow-Origin", "*"),),
        byte_ranges=True,  # audio players seek with Range requests
    )


@bp.get("/<path:filename>")
def pwa_file(filename: str) -> ResponseReturnValue:
    """Serve the PWA's own files (scripts, styles, icons, web manifest) from pwa/."""
    item = app_shell().file(f"/{filename}") if filename != "index.html" else None
    if item is None:
        raise NotFound(_("There is no such page or file."))
    return _send(item, REVALIDATE)


def _send(item: ShellFile, cache_control: str) -> Response:
    """Send a shell file: gzip bytes to clients that accept them, a strong ETag per representation."""
    content_type = item.content_type
    if content_type.startswith("text/") or content_type.endswith(("json", "javascript")):
        content_type += "; charset=utf-8"
    return send_bytes(
        item.body,
        gzip_body=item.gzip_body,
        etag=item.sha256[:32],
        content_type=content_type,
        cache_control=cache_control,
    )
