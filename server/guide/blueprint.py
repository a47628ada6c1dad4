"""The guide tools' blueprint and its one guard: planning is open to all, saved tours need an account."""

from flask import Blueprint, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException, RequestURITooLarge
from werkzeug.sansio.response import Response as SansIOResponse

from ..auth import guard_blueprint, is_public
from ..domain.errors import DomainError
from ..domain.tours.planning import MAX_STOPS
from ..errors import error_response, http_message, wants_json

bp = Blueprint(
    "guide", __name__, static_folder="../static/guide", static_url_path="/static", template_folder="../templates"
)

# Saved tours hold a guide's private notes: a view is for guides (and admins) unless marked @public,
# as the planner, handout, map, GPX and QR code are.
guard = guard_blueprint(bp, "guide", "admin")


# A tour link of MAX_STOPS stops with long slugs, a title and labels fits in a few KB. Refusing longer
# ones before the query string is parsed keeps a hostile link as cheap as a 404.
MAX_LINK_BYTES = 16 * 1024


@bp.before_request
def refuse_overlong_links() -> None:
    if len(request.query_string) > MAX_LINK_BYTES:
        raise RequestURITooLarge(
            f"This link is too long ({len(request.query_string)} bytes; at most "
            f"{MAX_LINK_BYTES}): a tour has at most {MAX_STOPS} stops."
        )


@bp.after_request
def private_answers(response: Response) -> Response:
    """Saved tours, and anything drawn for a signed-in person (their notes on a handout), are never stored."""
    view = current_app.view_functions.get(request.endpoint or "")
    if (view is not None and not is_public(view)) or g.get("current_user") is not None:
        response.headers["Cache-Control"] = "no-store"
    return response


def _answers_json() -> bool:
    """The .json URLs and JSON writes answer errors in JSON, whatever the client's Accept says."""
    return request.path.endswith(".json") or request.is_json or wants_json()


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError) -> Response:
    extra = {"problems": exc.problems} if hasattr(exc, "problems") else {}
    if _answers_json():
        response = jsonify({"error": exc.code, "message": exc.message, **extra})
        response.status_code = exc.status
        return response
    return error_response(exc.status, exc.code, exc.message, **extra)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> SansIOResponse:
    if exc.response is not None:  # e.g. the redirect to the sign-in page
        return exc.response
    code = (exc.name or "error").lower().replace(" ", "_")
    if _answers_json():
        response = jsonify({"error": code, "message": http_message(exc)})
        response.status_code = exc.code or 500
    else:
        response = error_response(exc.code or 500, code, http_message(exc))
    for name, value in exc.get_headers():
        if name != "Content-Type":
            response.headers[name] = value
    return response
