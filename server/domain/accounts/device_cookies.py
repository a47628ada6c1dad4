"""Device cookies (OWASP): a browser that signed in to an account before gets its own login allowance.

A device token is `nonce.signature`, the signature an HMAC of the account's email and the nonce with a
key derived from the app's secret. Nothing is stored on the server: only the signature proves the
browser once signed in to that account. One cookie holds the tokens of the last few accounts.
"""

import base64
import hashlib
import hmac
import secrets

from .users import normalize_email

MAX_ACCOUNTS = 5  # tokens kept in one browser's cookie


def _signature(secret: str | bytes, email: str, nonce: str) -> str:
    secret = secret.encode() if isinstance(secret, str) else secret
    email = normalize_email(email)
    key = hmac.new(secret, b"kotoji device cookie", hashlib.sha256).digest()  # not the session's own key
    digest = hmac.new(key, f"{email},{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _tokens(cookie: str | None) -> list[str]:
    return [token for token in (cookie or "").split("|")[:MAX_ACCOUNTS] if token.count(".") == 1]


def trusted_device(cookie: str | None, email: str, secret: str | bytes) -> str | None:
    """Return the nonce of the cookie's token for `email` if its signature is valid, else None."""
    for token in _tokens(cookie):
        nonce, signature = token.split(".")
        if nonce and hmac.compare_digest(signature.encode(), _signature(secret, email, nonce).encode()):
            return nonce
    return None


def remember_device(cookie: str | None, email: str, secret: str | bytes) -> str:
    """Return the cookie with a fresh token for `email` (replacing its old one, keeping a few others)."""
    others = [token for token in _tokens(cookie) if trusted_device(token, email, secret) is None]
    nonce = secrets.token_urlsafe(16)
    return "|".join([*others[-(MAX_ACCOUNTS - 1) :], f"{nonce}.{_signature(secret, email, nonce)}"])
