"""Staff authentication for every blueprint: sessions, roles, CSRF (the contract others build on).

- `current_user()` returns the signed-in User or None.
- `require_role(*roles)` guards a blueprint: `bp.before_request(require_role("editor", "admin"))`,
  or call it inside a before_request function (it checks at once when a request is active).
- `csrf_token()` is a template global; every POST/PUT/PATCH/DELETE must carry it as the header
  `X-CSRF-Token` (scripts) or the form field `csrf_token` (HTML forms), checked here for the whole app.
"""

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, has_request_context, redirect, request, session, url_for
from werkzeug.exceptions import BadRequest, Forbidden, Unauthorized
from werkzeug.middleware.proxy_fix import ProxyFix

from .db import get_session
from .domain.models import User
from .domain.staff_sessions import end_session, find_session_user, start_session

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_TOKEN_KEY = "staff_token"
_CSRF_KEY = "csrf"
_exempt_views: set[str] = set()


class CSRFError(BadRequest):
    description = ("The form's security token (CSRF) is missing or out of date. "
                   "Reload the page and try again.")


def current_user() -> User | None:
    """Return the signed-in, active user of this request, or None."""
    if "current_user" not in g:
        g.current_user = find_session_user(get_session(), session.get(_TOKEN_KEY))
    return g.current_user


def csrf_token() -> str:
    """Return this browser session's CSRF token (created on first use)."""
    if _CSRF_KEY not in session:
        session[_CSRF_KEY] = secrets.token_urlsafe(32)
    return session[_CSRF_KEY]


def csrf_exempt(view):
    """Mark a view that takes unsafe methods without a CSRF token (only for non-browser clients)."""
    _exempt_views.add(f"{view.__module__}.{view.__name__}")
    return view


def login_user(user: User) -> None:
    """Start a fresh session for `user`: a new token and a new CSRF token (no fixation)."""
    end_session(get_session(), session.get(_TOKEN_KEY))
    session.clear()
    session[_TOKEN_KEY] = start_session(get_session(), user, request.remote_addr or "")
    session[_CSRF_KEY] = secrets.token_urlsafe(32)
    g.current_user = user


def logout_user() -> None:
    """End the session on the server and in the browser."""
    end_session(get_session(), session.get(_TOKEN_KEY))
    session.clear()
    g.current_user = None


def safe_next(target: str | None, default: str) -> str:
    """Return `target` if it is a path on this site, else `default` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


def _deny_anonymous():
    from .errors import wants_json
    if request.method == "GET" and not wants_json():
        abort(redirect(url_for("editor.login", next=request.full_path.rstrip("?"))))
    raise Unauthorized("Sign in first: this page is for Kotoji staff.")


def require_role(*roles: str):
    """Return a guard admitting signed-in users with one of `roles`; inside a request, check now."""
    def guard():
        user = current_user()
        if user is None:
            _deny_anonymous()
        if user.role not in roles:
            raise Forbidden(f"Your account ({user.role}) may not use this page.")
        return None

    return guard() if has_request_context() else guard


def _check_csrf():
    if request.method not in UNSAFE_METHODS:
        return
    if request.routing_exception is not None:
        return  # no view takes this method here: let the 404/405 (with Allow) answer, not a CSRF 400
    view = current_app.view_functions.get(request.endpoint)
    if view is not None and f"{view.__module__}.{view.__name__}" in _exempt_views:
        return
    expected = session.get(_CSRF_KEY)
    if not expected:
        raise CSRFError()  # no session, no token: refused before a byte of the body is read
    sent = _sent_csrf_token()
    if not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CSRFError()


def _sent_csrf_token() -> str:
    """The header if the request has one (scripts: JSON, uploads), else an HTML form's field."""
    # The header first: checking it never touches the body, which may be large (an upload) or slow.
    header = request.headers.get("X-CSRF-Token")
    if header is not None:
        return header
    if request.mimetype in FORM_TYPES:
        return request.form.get("csrf_token") or ""
    return ""


def init_app(app: Flask) -> None:
    # Behind nginx every request comes from 127.0.0.1: trust that many proxies' X-Forwarded-For so
    # login limits count the real address (KOTOJI_TRUSTED_PROXIES=1 behind one proxy).
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.before_request(_check_csrf)
    app.add_template_global(csrf_token)
    app.add_template_global(current_user)
