"""Signing in and out, and the admin's audit log."""

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..auth import (
    current_user,
    for_roles,
    login_user,
    logout_user,
    public,
    remember_device,
    safe_next,
    trusted_device,
)
from ..db import get_session
from ..domain.accounts.audit import recent_events, record_event
from ..domain.accounts.password_checks import SignInBusy
from ..domain.accounts.sign_in import TooManyAttempts, sign_in
from ..domain.errors import DomainError
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
            session,
            email,
            request.form.get("password", ""),
            request.remote_addr or "",
            device=trusted_device(email),
            slots=current_app.extensions["password_check_slots"],
        )
    except DomainError as exc:
        page = render_template("editor/login.html", next_url=next_url, email=email, problem=exc.message)
        retry_after = exc.retry_after if isinstance(exc, TooManyAttempts | SignInBusy) else None
        headers = {"Retry-After": str(retry_after)} if retry_after else {}
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


@bp.get("/audit")
@for_roles("admin")
def audit_log() -> ResponseReturnValue:
    return render_template("editor/audit.html", events=recent_events(get_session()))
