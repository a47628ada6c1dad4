"""Staff accounts: argon2id password hashes, three roles, no default account."""

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..control_characters import character_problem
from ..errors import ValidationError
from ..messages import _
from ..models import ROLES, User

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def credential_problems(email: str | None = None, password: str | None = None) -> list[str]:
    """Name any character an email or password may not hold (PostgreSQL refuses NUL in text)."""
    problems = [character_problem(email or "", "email", one_line=True), character_problem(password or "", "password")]
    return [problem for problem in problems if problem]


def create_user(session: Session, email: str, password: str, role: str) -> User:
    """Create an account, refusing a bad email, a weak password, an unknown role or a duplicate."""
    email = normalize_email(email)
    problems = credential_problems(email, password)
    if problems:
        raise ValidationError(problems)
    if not EMAIL.match(email):
        problems.append("email: " + _("not a valid email address"))
    if len(password or "") < MIN_PASSWORD_LENGTH:
        problems.append("password: " + _("must be at least %(count)d characters", count=MIN_PASSWORD_LENGTH))
    if role not in ROLES:
        problems.append("role: " + _("must be one of %(choices)s", choices=", ".join(ROLES)))
    if not problems and session.scalar(select(User).where(func.lower(User.email) == email)):
        problems.append("email: " + _("an account for %(email)s already exists", email=email))
    if problems:
        raise ValidationError(problems)
    user = User(email=email, password_hash=hash_password(password), role=role, active=True)
    session.add(user)
    session.flush()
    return user


def hash_password(password: str) -> str:
    """Return the argon2id hash of `password` (salted: never the same twice)."""
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
