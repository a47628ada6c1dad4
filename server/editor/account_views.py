"""Signing in and out, and the admin's pages: accounts and the audit log."""

from collections.abc import Callable

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from ..auth import (
    current_user,
    for_roles,
    login_user,
    logout_user,
    public,
    remember_device,
    safe_next,
    signed_in_user,
    trusted_device,
)
from ..db import get_session
from ..domain.accounts.admin import add_user, list_users, update_user
from ..domain.accounts.audit import recent_events, record_event
from ..domain.accounts.sign_in import TooManyAttempts, sign_in
from ..domain.errors import DomainError
from ..domain.models import ROLES
from .blueprint import bp

HOME_BY_ROLE = {"admin": "/editor/", "editor": "/editor/", "guide": "/guide/"}


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    next_url = request.values.get("next", "")
    if request.method == "GET":
        return render_template("editor/login.html", next_url=next_url, email="", problem=None)
    email = request.form.get("email", "")
    session = get_session()
    try:
        user = sign_in(
            session, email, request.form.get("password", ""), request.remote_addr or "", device=trusted_device(email)
        )
    except DomainError as exc:
        page = render_template("editor/login.html", next_url=next_url, email=email, problem=exc.message)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else {}
        return page, exc.status, headers
    login_user(user)
    record_event(session, user.id, "login", "user", user.email, address=request.remote_addr or "")
    session.commit()
    response = redirect(safe_next(next_url, HOME_BY_ROLE[user.role]), 303)
    remember_device(response, user.email)
    return response


@bp.post("/logout")
@public
def logout() -> ResponseReturnValue:
    user = current_user()
    if user is not None:
        record_event(get_session(), user.id, "logout", "user", user.email)
    logout_user()
    get_session().commit()
    return redirect(url_for("editor.login"), 303)


@bp.get("/users")
@for_roles("admin")
def users() -> ResponseReturnValue:
    return render_template("editor/users.html", users=list_users(get_session()), roles=ROLES, problems=[])


@bp.post("/users")
@for_roles("admin")
def create_user_account() -> ResponseReturnValue:
    return _change_accounts(
        lambda session: add_user(
            session,
            signed_in_user(),
            request.form.get("email", ""),
            request.form.get("password", ""),
            request.form.get("role", ""),
        )
    )


@bp.post("/users/<int:user_id>")
@for_roles("admin")
def update_user_account(user_id: int) -> ResponseReturnValue:
    return _change_accounts(
        lambda session: update_user(
            session,
            signed_in_user(),
            user_id,
            request.form.get("role", ""),
            request.form.get("active") == "on",
            request.form.get("password", ""),
        )
    )


def _change_accounts(change: Callable[[Session], object]) -> ResponseReturnValue:
    """Apply an account change; if it is refused, show the accounts page again with the problems."""
    session = get_session()
    try:
        change(session)
    except DomainError as exc:
        session.rollback()
        return render_template(
            "editor/users.html",
            users=list_users(session),
            roles=ROLES,
            problems=getattr(exc, "problems", [exc.message]),
        ), exc.status
    session.commit()
    return redirect(url_for("editor.users"), 303)


@bp.get("/audit")
@for_roles("admin")
def audit_log() -> ResponseReturnValue:
    return render_template("editor/audit.html", events=recent_events(get_session()))
