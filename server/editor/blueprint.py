"""The editor's blueprint and its one guard: roles are checked here for every route, closed by default."""

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from ..auth import guard_blueprint, safe_next
from ..domain.errors import DomainError
from ..domain.messages import _
from ..errors import error_response, http_message, wants_json

bp = Blueprint(
    "editor", __name__, static_folder="../static/editor", static_url_path="/static", template_folder="../templates"
)

# Editors and admins only, unless a view says otherwise: @public (the login page), @for_roles("admin").
guard = guard_blueprint(bp, "editor", "admin")


@bp.errorhandler(413)
def too_large(_exc: Exception) -> Response:
    megabytes = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return error_response(
        413,
        "too_large",
        _(
            "The file is larger than the upload limit of %(megabytes)d MB. "
            "Make it smaller (a photo of 4000 pixels across is plenty) and try again.",
            megabytes=megabytes,
        ),
    )


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError) -> ResponseReturnValue:
    """JSON for scripts; for a plain form, a page in the editor's layout that leads back (never a bare 4xx)."""
    problems = getattr(exc, "problems", [])
    if wants_json():
        return error_response(exc.status, exc.code, exc.message, **({"problems": problems} if problems else {}))
    referrer = request.referrer or ""
    back = safe_next(referrer[referrer.find("/", referrer.find("//") + 2) :] if "//" in referrer else "", "/editor/")
    return render_template("editor/error.html", message=exc.message, problems=problems, back=back), exc.status


@bp.errorhandler(403)
def forbidden(exc: HTTPException) -> ResponseReturnValue:
    """A role that may not use a page gets the editor's layout with a way on, not a bare 403."""
    if wants_json():
        return error_response(403, "forbidden", http_message(exc))
    return render_template("editor/forbidden.html", message=exc.description), 403


@bp.after_request
def private_pages(response: Response) -> Response:
    """Staff pages and answers hold drafts and notes: never kept by a shared cache or the back button."""
    if request.endpoint != "editor.static":
        response.headers["Cache-Control"] = "no-store"
    return response
