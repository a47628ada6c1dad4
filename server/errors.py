"""One error shape for JSON (/api, /ogc) and one for HTML pages, chosen by where the request went."""

from flask import Flask, jsonify, make_response, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from .domain.errors import DomainError

JSON_PREFIXES = ("/api/", "/ogc", "/tiles/", "/media/", "/editor/api/")


def wants_json() -> bool:
    if request.path.startswith(JSON_PREFIXES):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(status: int, code: str, message: str, **extra):
    """Return the error as JSON {"error", "message"} or as a small HTML page."""
    if wants_json():
        response = jsonify({"error": code, "message": message, **extra})
    else:
        response = make_response(render_template("error.html", status=status, message=message))
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        extra = {"problems": exc.problems} if hasattr(exc, "problems") else {}
        return error_response(exc.status, exc.code, exc.message, **extra)

    @app.errorhandler(OperationalError)
    def _database_failure(exc: DBAPIError):
        # The transaction was rolled back, so nothing was half-written: say what happened plainly.
        reason = str(exc.orig).lower()
        if "disk is full" in reason or "no space left" in reason:  # SQLITE_FULL, PostgreSQL's DiskFull
            app.logger.error("storage full: %s", exc.orig)
            return error_response(507, "storage_full", "The server's storage is full, so this was not saved. "
                                  "Nothing was changed; please tell the site's administrator.")
        # A lost database is an outage, not a bug. The pool pre-pings connections, so the first
        # request after the database returns succeeds.
        app.logger.warning("database unreachable: %s", exc.orig)
        response = error_response(503, "unavailable", "Kotoji cannot reach its database right now. "
                                  "Nothing was changed; please try again in a moment.")
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        response = error_response(exc.code, code, exc.description or exc.name)
        for name, value in exc.get_headers():
            if name != "Content-Type":
                response.headers[name] = value  # e.g. Allow on a 405
        return response
