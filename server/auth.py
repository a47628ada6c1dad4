"""Staff authentication for every blueprint: sessions, roles, CSRF (the contract others build on).

- `current_user()` returns the signed-in User or None.
- `guard_blueprint(bp, *roles)` closes every view of a blueprint to all but `roles`; a view opens
  only when marked `@public`, or asks for other roles with `@for_roles(...)` (closed by default).
- `require_role(*roles)` checks the signed-in user's role at once inside a request.
- `trusted_device(email)` / `remember_device(response, email)` read and renew the device cookie that
  gives a browser which signed in before its own login allowance (domain/device_cookies.py).
- `csrf_token()` is a template global; every POST/PUT/PATCH/DELETE must carry it as the header
  `X-CSRF-Token` (scripts) or the form field `csrf_token` (HTML forms), checked here for the whole app.
"""

import hmac
import secrets
from collections.abc import Callable
from typing import NoReturn, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import BadRequest, Forbidden, Unauthorized
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as WerkzeugResponse

from .db import get_session
from .domain.accounts import device_cookies
from .domain.accounts.password_checks import PasswordCheckSlots
from .domain.accounts.sessions import end_session, find_session_user, start_session
from .domain.messages import _, role_name, role_names
from .domain.models import User

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_TOKEN_KEY = "staff_token"
_CSRF_KEY = "csrf"
DEVICE_COOKIE = "kotoji_device"
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
_exempt_views: set[str] = set()
View = TypeVar("View", bound=Callable[..., object])


class CSRFError(BadRequest):
    def __init__(self) -> None:
        super().__init__(
            _("The form's security token (CSRF) is missing or out of date. Reload the page and try again.")
        )


def current_user() -> User | None:
    """Return the signed-in, active user of this request, or None."""
    if "current_user" not in g:
        g.current_user = find_session_user(get_session(), session.get(_TOKEN_KEY))
    user: User | None = g.current_user
    return user


def signed_in_user() -> User:
    """Return the signed-in user in a view its blueprint's guard admitted (so never None there)."""
    user = current_user()
    if user is None:
        _deny_anonymous()
    return user


def csrf_token() -> str:
    """Return this browser session's CSRF token (created on first use)."""
    if _CSRF_KEY not in session:
        session[_CSRF_KEY] = secrets.token_urlsafe(32)
    token: str = session[_CSRF_KEY]
    return token


def browser_holds_csrf_token() -> bool:
    """Whether this browser session was given a CSRF token by one of our pages (before this request)."""
    return bool(session.get(_CSRF_KEY))


def csrf_exempt(view: View) -> View:
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


def trusted_device(email: str) -> str | None:
    """Return the device nonce if this browser holds a valid device cookie for `email`, else None."""
    return device_cookies.trusted_device(request.cookies.get(DEVICE_COOKIE), email, _secret_key())


def remember_device(response: WerkzeugResponse, email: str) -> None:
    """Give this browser a fresh device cookie for `email` (after it signed in)."""
    value = device_cookies.remember_device(request.cookies.get(DEVICE_COOKIE), email, _secret_key())
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_MAX_AGE,
        path=url_for("editor.login"),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def _secret_key() -> str | bytes:
    key = current_app.secret_key
    if key is None:  # create_app always sets one; without it no cookie may be signed
        raise RuntimeError("The app has no SECRET_KEY.")
    return key


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


def _deny_anonymous() -> NoReturn:
    from .errors import wants_json

    if request.method == "GET" and not wants_json():
        abort(redirect(url_for("editor.login", next=request.full_path.rstrip("?"))))
    raise Unauthorized(_("Sign in first: this page is for Kotoji staff."))


def require_role(*roles: str) -> Callable[[], None] | None:
    """Return a guard admitting signed-in users with one of `roles`; inside a request, check now."""

    def guard() -> None:
        user = current_user()
        if user is None:
            _deny_anonymous()
        if user.role not in roles:
            raise Forbidden(_("Your account (%(role)s) may not use this page.", role=role_name(user.role)))
        return None

    if has_request_context():
        guard()
        return None
    return guard


def public(view: View) -> View:
    """Mark a view that anyone may reach, signed in or not."""
    view.__dict__["required_roles"] = ()  # a function attribute, read by guard_blueprint
    return view


def for_roles(*roles: str) -> Callable[[View], View]:
    """Mark a view for `roles` instead of its blueprint's default roles."""

    def mark(view: View) -> View:
        view.__dict__["required_roles"] = roles
        return view

    return mark


def is_public(view: Callable[..., object]) -> bool:
    return getattr(view, "required_roles", None) == ()


def guard_blueprint(bp: Blueprint, *default_roles: str) -> Callable[[], None]:
    """Guard every view of `bp` in one place: its marked roles, else `default_roles`, unless @public.

    A view nobody marked gets the default roles, so forgetting a marking closes a view, never opens it.
    """
    if not default_roles:
        raise ValueError("a guarded blueprint needs the roles its views require by default")

    @bp.before_request
    def guard() -> None:
        if request.endpoint == f"{bp.name}.static":
            return None  # the blueprint's own scripts and stylesheets (the login page needs them)
        view = current_app.view_functions.get(request.endpoint or "")
        roles = getattr(view, "required_roles", default_roles)
        if roles:
            require_role(*roles)  # inside a request it checks at once
        return None

    return guard


def _check_csrf() -> None:
    if request.method not in UNSAFE_METHODS:
        return
    if request.routing_exception is not None:
        return  # no view takes this method here: let the 404/405 (with Allow) answer, not a CSRF 400
    view = current_app.view_functions.get(request.endpoint or "")
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
        # Flask documents wrapping wsgi_app in middleware; its annotations declare it a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.before_request(_check_csrf)
    # One bound per process on the argon2 checks running at once (64 MiB each): see password_checks.
    app.extensions["password_check_slots"] = PasswordCheckSlots(
        app.config["SIGN_IN_CONCURRENCY"], app.config["SIGN_IN_WAIT_SECONDS"]
    )
    app.add_template_global(csrf_token)
    app.add_template_global(current_user)
    app.add_template_global(role_names)
