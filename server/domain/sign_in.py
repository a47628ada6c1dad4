"""Signing in: check the password, within the login limits, in constant work whether the account exists."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .accounts import credential_problems, hash_password, normalize_email, verify_password
from .errors import DomainError, ValidationError
from .login_limits import clear_account_failures, record_failure, seconds_until_allowed
from .models import User

# Verifying against a real hash even for unknown emails keeps the answer time the same,
# so response times do not tell which addresses have accounts.
_DUMMY_HASH = hash_password("not a password anyone uses, only here for timing")


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int):
        minutes = max(1, round(retry_after / 60))
        super().__init__(f"Too many failed logins. Try again in about {minutes} minute(s).")
        self.retry_after = retry_after


def sign_in(session: Session, email: str, password: str, address: str) -> User:
    """Return the user for these credentials; count failures; refuse while limited.

    Commits the failure count itself, so it survives the request's rollback.
    """
    email = normalize_email(email)
    problems = credential_problems(email, password)
    if problems:  # refused before any lookup: no account could hold them, and no failure is counted
        raise ValidationError(problems)
    wait = seconds_until_allowed(session, email, address)
    if wait:
        raise TooManyAttempts(wait)
    user = session.scalar(select(User).where(func.lower(User.email) == email)) if email else None
    if user is None:
        verify_password(User(password_hash=_DUMMY_HASH), password or "")
    ok = user is not None and user.active and verify_password(user, password or "")
    if not ok:
        record_failure(session, email, address)
        session.commit()
        raise InvalidCredentials("The email address or password is wrong, or the account is disabled.")
    clear_account_failures(session, email)
    return user
