"""The guide tools' blueprint and its one guard: planning is open to all, saved tours need an account."""

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException, RequestURITooLarge

from ..auth import require_role
from ..domain.errors import DomainError
from ..domain.tours import MAX_STOPS
from ..errors import error_response, wants_json

bp = Blueprint("guide", __name__, static_folder="../static/guide", static_url_path="/static",
               template_folder="../templates")

# Saved tours hold a guide's private notes: only guides (and admins) reach them.
ACCOUNT_ENDPOINTS = {"guide.saved_tours", "guide.save_tour", "guide.saved_tour", "guide.update_tour",
                     "guide.delete_tour", "guide.open_saved_tour"}


# A tour link of MAX_STOPS stops with long slugs, a title and labels fits in a few KB. Refusing longer
# ones before the query string is parsed keeps a hostile link as cheap as a 404.
MAX_LINK_BYTES = 16 * 1024


@bp.before_request
def guard():
    """Let anyone plan, print and export; ask for the guide role for saved tours."""
    if len(request.query_string) > MAX_LINK_BYTES:
        raise RequestURITooLarge(f"This link is too long ({len(request.query_string)} bytes; at most "
                                 f"{MAX_LINK_BYTES}): a tour has at most {MAX_STOPS} stops.")
    if request.endpoint in ACCOUNT_ENDPOINTS:
        return require_role("guide", "admin")
    return None


def _answers_json() -> bool:
    """The .json URLs and JSON writes answer errors in JSON, whatever the client's Accept says."""
    return request.path.endswith(".json") or request.is_json or wants_json()


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    extra = {"problems": exc.problems} if hasattr(exc, "problems") else {}
    if _answers_json():
        response = jsonify({"error": exc.code, "message": exc.message, **extra})
        response.status_code = exc.status
        return response
    return error_response(exc.status, exc.code, exc.message, **extra)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    if exc.response is not None:  # e.g. the redirect to the sign-in page
        return exc.response
    code = (exc.name or "error").lower().replace(" ", "_")
    if _answers_json():
        response = jsonify({"error": code, "message": exc.description})
        response.status_code = exc.code
    else:
        response = error_response(exc.code, code, exc.description or exc.name)
    for name, value in exc.get_headers():
        if name != "Content-Type":
            response.headers[name] = value
    return response
