"""One error shape for JSON (/api, /ogc) and one for HTML pages, chosen by where the request went."""

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .domain.errors import DomainError
from .domain.messages import _
from .error_caching import RETRY_AFTER_SECONDS, error_cache_control

JSON_PREFIXES = ("/api/", "/ogc", "/tiles/", "/media/", "/editor/api/")


def wants_json() -> bool:
    if request.path.startswith(JSON_PREFIXES) or request.path.endswith(".json"):
        return True  # e.g. /guide/plan.json, fetched by scripts that send Accept: */*
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def http_message(exc: HTTPException) -> str:
    """Return the error's own description, or a translated one for werkzeug's stock English texts."""
    if exc.description and exc.description != type(exc).description:
        return exc.description
    stock = {
        400: _("The request was not understood."),
        401: _("Sign in first: this page is for Kotoji staff."),
        403: _("You may not use this page."),
        404: _("There is nothing at this address."),
        405: _("This address does not accept that kind of request."),
        413: _("What you sent is too large."),
        429: _("Too many requests. Wait a moment and try again."),
        500: _(
            "Something went wrong on the server. "
            "Please try again; if it keeps happening, tell the site's administrator."
        ),
    }
    return stock.get(exc.code or 500, exc.description or exc.name)


def error_response(status: int, code: str, message: str, **extra: object) -> Response:
    """Return the error as JSON {"error", "message"} or as a small HTML page."""
    if wants_json():
        response = jsonify({"error": code, "message": message, **extra})
    else:
        response = make_response(render_template("error.html", status=status, message=message))
    response.status_code = status
    cache_control = error_cache_control(
        request.method, request.path, status, current_app.config["PUBLIC_MAX_AGE_SECONDS"]
    )
    if cache_control:
        response.headers["Cache-Control"] = cache_control
        if cache_control.startswith("public"):
            # The words may be translated: by the browser's languages, or a language cookie or account.
            response.vary.update(("Accept-Language", "Cookie"))
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError) -> Response:
        extra = {"problems": exc.problems} if hasattr(exc, "problems") else {}
        return error_response(exc.status, exc.code, exc.message, **extra)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def _database_failure(exc: DBAPIError | PoolTimeout) -> Response:
        if isinstance(exc, (IntegrityError, DataError)):
            # About the request's own data: views that expect it answer 409/422 themselves; anything
            # else is a bug, and stays Flask's logged 500.
            raise exc
        # The transaction was rolled back, so nothing was half-written: say what happened plainly.
        cause = getattr(exc, "orig", exc)
        reason = str(cause).lower()
        if "disk is full" in reason or "no space left" in reason:  # SQLITE_FULL, PostgreSQL's DiskFull
            app.logger.error("storage full: %s", cause)
            return error_response(
                507,
                "storage_full",
                _(
                    "The server's storage is full, so this was not saved. "
                    "Nothing was changed; please tell the site's administrator."
                ),
            )
        if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout)):
            # A lost database is an outage, not a bug. The pool pre-pings connections, so the first
            # request after the database returns succeeds.
            app.logger.warning("database unreachable: %s", cause)
            message = _(
                "Kotoji cannot reach its database right now. Nothing was changed; please try again in a moment."
            )
        else:
            # Reachable but refusing (privileges revoked, a table missing after a bad restore, a
            # damaged file): not the visitor's fault either, and an operator must look.
            app.logger.error("database refused the request: %s", cause)
            message = _("Kotoji's database cannot answer right now. Nothing was changed; please try again in a moment.")
        response = error_response(503, "unavailable", message)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        code = (exc.name or "error").lower().replace(" ", "_")
        response = error_response(exc.code or 500, code, http_message(exc))
        for name, value in exc.get_headers():
            if name != "Content-Type":
                response.headers[name] = value  # e.g. Allow on a 405
        return response
