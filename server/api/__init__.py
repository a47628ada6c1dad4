"""The public read API (/api). Published walk documents are answered by `published` before Flask."""

from flask import Blueprint, Response

from ..errors import error_response

bp = Blueprint("api", __name__)


@bp.route("/", defaults={"rest": ""})
@bp.route("/<path:rest>")
def unknown(rest: str) -> Response:
    return error_response(404, "not_found", f"There is no API resource at /api/{rest}.")
