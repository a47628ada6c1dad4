"""One error shape for JSON (/api, /ogc) and one for HTML pages, chosen by where the request went."""

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from .domain.errors import DomainError

JSON_PREFIXES = ("/api/", "/ogc", "/tiles/", "/media/")


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

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        response = error_response(exc.code, code, exc.description or exc.name)
        for name, value in exc.get_headers():
            if name != "Content-Type":
                response.headers[name] = value  # e.g. Allow on a 405
        return response
