"""Admins manage staff accounts: roles, deactivation, new passwords; there is always an active admin."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import ROLES, User
from .audit import record_event
from .sessions import end_user_sessions
from .users import MIN_PASSWORD_LENGTH, create_user, credential_problems, hash_password


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def add_user(session: Session, actor: User, email: str, password: str, role: str) -> User:
    """Create an account on behalf of an admin, and log it."""
    user = create_user(session, email, password, role)
    record_event(session, actor.id, "user.create", "user", user.email, role=role)
    return user


def update_user(session: Session, actor: User, user_id: int, role: str, active: bool, new_password: str = "") -> User:
    """Change an account's role, active flag or password; its sessions end when any of them changes."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such account.")
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
        if not others:
            problems.append("role: this is the last active admin; make another admin first")
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
