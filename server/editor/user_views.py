"""The admin's accounts page: staff accounts, their roles, deactivation and new passwords."""

from flask import redirect, render_template, request, url_for

from ..auth import current_user, for_roles
from ..db import get_session
from ..domain.accounts.admin import add_user, list_users, update_user
from ..domain.errors import DomainError
from ..domain.models import ROLES
from .blueprint import bp


@bp.get("/users")
@for_roles("admin")
def users():
    return render_template("editor/users.html", users=list_users(get_session()), roles=ROLES, problems=[])


@bp.post("/users")
@for_roles("admin")
def create_user_account():
    return _change_accounts(
        lambda session: add_user(
            session,
            current_user(),
            request.form.get("email", ""),
            request.form.get("password", ""),
            request.form.get("role", ""),
        )
    )


@bp.post("/users/<int:user_id>")
@for_roles("admin")
def update_user_account(user_id: int):
    return _change_accounts(
        lambda session: update_user(
            session,
            current_user(),
            user_id,
            request.form.get("role", ""),
            request.form.get("active") == "on",
            request.form.get("password", ""),
        )
    )


def _change_accounts(change):
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
