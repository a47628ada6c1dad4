"""Admins manage staff accounts: roles, deactivation, new passwords; there is always an active admin."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..messages import _
from ..models import ROLES, AuditEvent, User
from .audit import record_event
from .sessions import end_user_sessions
from .users import MIN_PASSWORD_LENGTH, create_user, credential_problems, hash_password, verify_password


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def last_sign_ins(session: Session) -> dict[int, datetime]:
    """Return {user id: when they last signed in}, from the audit log's login events."""
    rows = session.execute(
        select(AuditEvent.user_id, func.max(AuditEvent.at))
        .where(AuditEvent.action == "login", AuditEvent.user_id.is_not(None))
        .group_by(AuditEvent.user_id)
    ).all()
    return {user_id: at for user_id, at in rows}


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no such account."))
    return user


def add_user(session: Session, actor: User, email: str, password: str, role: str) -> User:
    """Create an account on behalf of an admin, and log it."""
    user = create_user(session, email, password, role)
    record_event(session, actor.id, "user.create", "user", user.email, role=role)
    return user


def update_user(session: Session, actor: User, user_id: int, role: str, active: bool, new_password: str = "") -> User:
    """Change an account's role, active flag or password; its sessions end when any of them changes."""
    user = get_user(session, user_id)
    problems = credential_problems(password=new_password)
    if role not in ROLES:
        problems.append(f"role: must be one of {', '.join(ROLES)}")
    if new_password and len(new_password) < MIN_PASSWORD_LENGTH:
        problems.append(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")
    still_admin = role == "admin" and active
    if user.role == "admin" and user.active and not still_admin:
        others = session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.active.is_(True), User.id != user.id)
        )
        if not others and not active:
            problems.append(
                _(
                    "active: %(email)s is the last active admin and cannot be deactivated; make another admin first",
                    email=user.email,
                )
            )
        elif not others:
            problems.append(_("role: this is the last active admin; make another admin first"))
    if problems:
        raise ValidationError(problems)
    changes: dict[str, object] = {}
    if role != user.role:
        changes["role"] = [user.role, role]
    if active != user.active:
        changes["active"] = [user.active, active]
    if new_password:
        user.password_hash = hash_password(new_password)
        changes["password"] = "reset"
    user.role, user.active = role, active
    if changes:
        end_user_sessions(session, user.id)
        record_event(session, actor.id, "user.update", "user", user.email, **changes)
    return user


def change_own_password(session: Session, user: User, current: str, new: str, repeated: str) -> None:
    """Let a person replace their own password, after proving they know the current one; log it.

    Every session of theirs ends (a stolen one too); the caller signs this browser in again.
    """
    problems = credential_problems(password=new)
    if not verify_password(user, current or ""):
        problems.append(_("current password: this is not your current password"))
    if len(new or "") < MIN_PASSWORD_LENGTH:
        problems.append(_("new password: must be at least %(n)s characters", n=MIN_PASSWORD_LENGTH))
    elif new != repeated:
        problems.append(_("repeat: the two new passwords differ"))
    elif new == current:
        problems.append(_("new password: choose a password other than the current one"))
    if problems:
        raise ValidationError(problems)
    user.password_hash = hash_password(new)
    end_user_sessions(session, user.id)
    record_event(session, user.id, "user.password", "user", user.email, by="self")
