"""The admin's accounts page: staff accounts, their roles, deactivation and new passwords."""

from collections.abc import Callable, Iterable
from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..auth import for_roles, login_user, signed_in_user
from ..db import get_session
from ..domain.accounts.admin import add_user, change_own_password, get_user, last_sign_ins, list_users, update_user
from ..domain.errors import DomainError
from ..domain.models import ROLES, User
from .blueprint import bp


def _notice() -> str:
    """Say what the last change did, for the account named in the address (after a redirect)."""
    notices: dict[str, Callable[[str], str]] = {
        "created": lambda email: _(
            "Account created for %(email)s. Give them their password in person or by phone, never by email; "
            "they can change it under “My password”.",
            email=email,
        ),
        "role_changed": lambda email: _(
            "Role saved for %(email)s. If they were signed in, they must sign in again.", email=email
        ),
        "password_reset": lambda email: _(
            "New password set for %(email)s. Their open sessions have ended; "
            "give them the new password in person or by phone.",
            email=email,
        ),
        "deactivated": lambda email: _(
            "%(email)s is deactivated: signed out everywhere and unable to sign in. Nothing they made was deleted.",
            email=email,
        ),
        "reactivated": lambda email: _("%(email)s can sign in again, with the same password as before.", email=email),
        "changed": lambda email: _("Saved the changes to %(email)s.", email=email),
    }
    return next((say(request.args[key]) for key, say in notices.items() if request.args.get(key)), "")


def users_page(
    problems: Iterable[str] = (),
    typed: dict[str, str] | None = None,
    problem_for: int | str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """Render the accounts page; `typed` keeps the new-account form's input, `problem_for` marks a row."""
    session = get_session()
    return render_template(
        "editor/users.html",
        users=list_users(session),
        last_sign_in=last_sign_ins(session),
        roles=ROLES,
        problems=list(problems),
        typed=typed or {},
        problem_for=problem_for,
        notice="" if problems else _notice(),
    ), status


@bp.get("/users")
@for_roles("admin")
def users() -> ResponseReturnValue:
    return users_page()


@bp.post("/users")
@for_roles("admin")
def create_user_account() -> ResponseReturnValue:
    typed = {"email": request.form.get("email", ""), "role": request.form.get("role", "")}
    session = get_session()
    try:
        user = add_user(session, signed_in_user(), typed["email"], request.form.get("password", ""), typed["role"])
    except DomainError as exc:
        session.rollback()
        return users_page(getattr(exc, "problems", [exc.message]), typed=typed, problem_for="new", status=exc.status)
    session.commit()
    return redirect(url_for("editor.users", created=user.email, _anchor=f"user-{user.id}"), 303)


@bp.post("/users/<int:user_id>")
@for_roles("admin")
def update_user_account(user_id: int) -> ResponseReturnValue:
    """Change role, active flag and password at once (the form scripts and older pages send)."""
    return _change_account(
        user_id,
        lambda user: (
            request.form.get("role", ""),
            request.form.get("active") == "on",
            request.form.get("password", ""),
        ),
        "changed",
    )


@bp.post("/users/<int:user_id>/role")
@for_roles("admin")
def change_user_role(user_id: int) -> ResponseReturnValue:
    return _change_account(user_id, lambda user: (request.form.get("role", ""), user.active, ""), "role_changed")


@bp.post("/users/<int:user_id>/password")
@for_roles("admin")
def reset_user_password(user_id: int) -> ResponseReturnValue:
    """Set a new password for someone who forgot theirs; their open sessions end."""
    password = request.form.get("password", "")
    if not password:
        return users_page([_("password: type the new password")], problem_for=user_id, status=422)
    return _change_account(user_id, lambda user: (user.role, user.active, password), "password_reset")


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@for_roles("admin")
def deactivate_user(user_id: int) -> ResponseReturnValue:
    """Deactivate only after a confirmation page naming the account and what happens."""
    user = get_user(get_session(), user_id)
    if request.method == "GET" or request.form.get("confirm") != user.email:
        return render_template("editor/user_deactivate.html", account=user, myself=signed_in_user())
    return _change_account(user_id, lambda user: (user.role, False, ""), "deactivated")


@bp.post("/users/<int:user_id>/reactivate")
@for_roles("admin")
def reactivate_user(user_id: int) -> ResponseReturnValue:
    return _change_account(user_id, lambda user: (user.role, True, ""), "reactivated")


def _change_account(user_id: int, values: Callable[[User], tuple[str, bool, str]], done: str) -> ResponseReturnValue:
    """Apply (role, active, new password) from `values(user)`; refused: the page again with the problems."""
    session = get_session()
    user = get_user(session, user_id)
    role, active, password = values(user)
    try:
        update_user(session, signed_in_user(), user_id, role, active, password)
    except DomainError as exc:
        session.rollback()
        return users_page(getattr(exc, "problems", [exc.message]), problem_for=user_id, status=exc.status)
    session.commit()
    notice: dict[str, Any] = {done: user.email}  # url_for's stub types its own options, not query values
    return redirect(url_for("editor.users", **notice, _anchor=f"user-{user.id}"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@for_roles("admin", "editor", "guide")
def own_password() -> ResponseReturnValue:
    """Anyone signed in changes their own password (no admin needed); other devices are signed out."""
    if request.method == "GET":
        return render_template("editor/own_password.html", problems=[])
    session, me = get_session(), signed_in_user()
    form = request.form
    try:
        change_own_password(session, me, form.get("current", ""), form.get("password", ""), form.get("repeat", ""))
    except DomainError as exc:
        session.rollback()
        return render_template("editor/own_password.html", problems=getattr(exc, "problems", [exc.message])), exc.status
    login_user(me)  # every session ended with the old password; this browser gets a fresh one
    session.commit()
    return redirect(url_for("editor.own_password", changed=1), 303)
