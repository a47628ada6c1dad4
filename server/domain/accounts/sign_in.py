"""Signing in: check the password, within the login limits, in constant work whether the account exists."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import DomainError, ValidationError
from ..messages import _, ngettext
from ..models import User
from .audit import record_event
from .login_limits import LimitReached, count_attempt, forgive_attempt, limits_for
from .password_checks import UNBOUNDED, PasswordCheckSlots
from .users import credential_problems, hash_password, normalize_email, verify_password

# Verifying against a real hash even for unknown emails keeps the answer time the same,
# so response times do not tell which addresses have accounts.
_NOBODY = User(password_hash=hash_password("not a password anyone uses, only here for timing"))


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int):
        minutes = max(1, round(retry_after / 60))
        super().__init__(
            ngettext(
                "Too many failed logins. Try again in about %(num)d minute.",
                "Too many failed logins. Try again in about %(num)d minutes.",
                minutes,
            )
        )
        self.retry_after = retry_after


def sign_in(
    session: Session,
    email: str,
    password: str,
    address: str,
    device: str | None = None,
    slots: PasswordCheckSlots = UNBOUNDED,
) -> User:
    """Return the user for these credentials; count the attempt first; refuse while limited.

    `device` is the nonce of the browser's valid device cookie for this email (see device_cookies),
    or None for an untrusted client. Commits the count, and failures with their audit events, itself.
    `slots` bounds the checks running at once: when none is free in time, SignInBusy is raised before
    the attempt is counted.
    """
    email = normalize_email(email)
    problems = credential_problems(email, password)
    if problems:  # refused before any lookup: no account could hold them, and no failure is counted
        raise ValidationError(problems)
    with slots.slot():
        try:
            attempt = count_attempt(session, limits_for(email, address, device))
        except LimitReached as exc:
            raise TooManyAttempts(exc.retry_after) from None
        user = session.scalar(select(User).where(func.lower(User.email) == email)) if email else None
        # Verify first, even for a disabled account, so the time taken does not tell (L2).
        verified = verify_password(user if user is not None else _NOBODY, password or "")
    if user is None or not user.active or not verified:
        trusted = {"trusted_device": True} if device else {}
        record_event(session, None, "login.failed", "user", email, address=address, **trusted)
        for key in attempt.keys_now_locked():
            record_event(
                session,
                None,
                "login.locked",
                "user",
                email,
                address=address,
                key=key,
                until=attempt.window_ends[key].isoformat(timespec="seconds"),
            )
        session.commit()
        raise InvalidCredentials(_("The email address or password is wrong, or the account is disabled."))
    forgive_attempt(session, attempt)
    return user
