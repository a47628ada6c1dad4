"""A plain form refused for its CSRF token (expired, or signed out in another tab) keeps what was typed.

Instead of a bare 400, the editor shows a page in its layout that says what happened and offers the
typed values back in a form with a fresh token: "Send it again" when still signed in, or sign in
first on the same page when the session ended. Passwords are never echoed back: they are typed again.
"""

from collections.abc import Sequence

from flask import Response, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, Unauthorized

from ..auth import (
    FORM_TYPES,
    CSRFError,
    browser_holds_csrf_token,
    current_user,
    login_user,
    public,
    remember_device,
    safe_next,
    trusted_device,
)
from ..db import get_session
from ..domain.accounts.audit import record_event
from ..domain.accounts.sign_in import TooManyAttempts, sign_in
from ..domain.errors import DomainError
from ..errors import error_response, http_message, wants_json
from .blueprint import bp

# Fields read from a refused form up to this size; past it (a large upload) nothing is parsed.
MAX_KEPT_BYTES = 1024 * 1024
CARRIED = "carried:"  # prefix of the typed values a sign-in on the expired-form page carries along
SECRET_FIELDS = ("password",)


def _typed_fields(form: MultiDict[str, str]) -> list[tuple[str, str]]:
    """Return (name, value) for every typed field, without the stale token."""
    return [(name, value) for name, values in form.lists() if name != "csrf_token" for value in values]


def _refused_form(token_checked: bool) -> tuple[list[tuple[str, str]], list[str], bool]:
    """Return the typed fields, the names of chosen files, and whether they could not be kept.

    A request refused for its token is read only when it comes from a browser our pages gave a token
    (an editor's own tab), is a plain form and is small: anyone else is refused unread, as before.
    """
    readable = request.mimetype in FORM_TYPES and (request.content_length or 0) <= MAX_KEPT_BYTES
    if not (readable and (token_checked or browser_holds_csrf_token())):
        return [], [], True
    files = [upload.filename for upload in request.files.values() if upload.filename]
    return _typed_fields(request.form), files, False


def _editor_path(action: str) -> str:
    """Return the form's address if it is an editor page, else the editor's home (never another site)."""
    path = safe_next(action, "/editor/")
    return path if path.startswith("/editor/") else "/editor/"


def _referring_page() -> str:
    """Return the editor page the form was on (its path), or the editor's home."""
    referrer = request.referrer or ""
    return _editor_path(referrer[referrer.find("/", referrer.find("//") + 2) :] if "//" in referrer else "")


def expired_form_page(
    action: str,
    fields: list[tuple[str, str]],
    back: str,
    files: Sequence[str] = (),
    lost: bool = False,
    problem: str | None = None,
    email: str = "",
    status: int = 400,
) -> tuple[str, int]:
    return render_template(
        "editor/form_expired.html",
        action=_editor_path(action),
        back=_editor_path(back),
        fields=[(name, value) for name, value in fields if name not in SECRET_FIELDS],
        secrets=sorted({name for name, _value in fields if name in SECRET_FIELDS}),
        files=list(files),
        lost=lost,
        signed_in=current_user() is not None,
        problem=problem,
        email=email,
        carried=CARRIED,
    ), status


def _as_before(exc: HTTPException) -> Response:
    """The app's usual answer: JSON for scripts (their sign-in dialog handles it), else its error page."""
    return error_response(exc.code or 400, (exc.name or "error").lower().replace(" ", "_"), http_message(exc))


@bp.errorhandler(CSRFError)
def csrf_refused(exc: CSRFError) -> ResponseReturnValue:
    """A plain form refused for its token: the editor's page with the input, never a bare 400."""
    if wants_json() or "X-CSRF-Token" in request.headers:
        return _as_before(exc)
    fields, files, lost = _refused_form(token_checked=False)
    if request.endpoint == "editor.login":  # the sign-in page itself was left open too long
        page = render_template(
            "editor/login.html",
            next_url=dict(fields).get("next", ""),
            email=dict(fields).get("email", ""),
            problem=_(
                "The sign-in page had been open too long (its security token, CSRF, expired). "
                "Type your password again and sign in."
            ),
        )
        return page, 400
    return expired_form_page(request.path, fields, _referring_page(), files, lost)


@bp.errorhandler(Unauthorized)
def session_ended(exc: Unauthorized) -> ResponseReturnValue:
    """A plain form sent after the session ended (idle too long): sign in on the page, input kept."""
    if wants_json() or request.method == "GET" or "X-CSRF-Token" in request.headers:
        return _as_before(exc)
    fields, files, lost = _refused_form(token_checked=True)  # the token matched: this is our editor's tab
    return expired_form_page(request.path, fields, _referring_page(), files, lost, status=401)


@bp.post("/resume")
@public
def resume_expired_form() -> ResponseReturnValue:
    """Sign in from the expired-form page, then offer the carried values again with a fresh token."""
    form = request.form
    fields = [(name[len(CARRIED) :], value) for name, value in _typed_fields(form) if name.startswith(CARRIED)]
    fields += [(name, "") for name in SECRET_FIELDS if name in form.getlist("secret_field")]  # typed again later
    action, back, email = form.get("action", ""), form.get("back", ""), form.get("email", "")
    session = get_session()
    try:
        user = sign_in(
            session, email, form.get("password", ""), request.remote_addr or "", device=trusted_device(email)
        )
    except DomainError as exc:
        page, status = expired_form_page(action, fields, back, problem=exc.message, email=email, status=exc.status)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else {}
        return page, status, headers
    login_user(user)
    record_event(session, user.id, "login", "user", user.email, address=request.remote_addr or "")
    session.commit()
    page, _status = expired_form_page(action, fields, back, status=200)
    response = make_response(page, 200)
    remember_device(response, user.email)
    return response
