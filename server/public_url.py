"""The site's public address: absolute links (QR codes, GPX, OGC, OpenAPI) never come from a Host header.

A forged `Host` would otherwise end up in answers that caches keep and share (a QR code sending a whole
group of tourists elsewhere). With `KOTOJI_PUBLIC_URL` set, links are built from it. Without it (a
laptop, the tests) links use the request's host, and `TRUSTED_HOSTS` accepts only this machine's own
names, so a forged host gets 400 instead of being reflected. `manage.py serve` refuses to listen on
another interface without the setting, and a proxy passing the real site name gets 400 until it is set.
"""

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import SecurityError

from .errors import error_response

# Names that only reach this machine; always accepted, so that health checks and the test client work.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def parse_public_url(value: str) -> str:
    """Return the site's origin (`https://walks.gent.be`) or raise ValueError saying what is wrong."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"KOTOJI_PUBLIC_URL must be an http(s) address such as https://walks.gent.be, not {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(
            f"KOTOJI_PUBLIC_URL is the site's origin only (Kotoji is served at the root of "
            f"its host), such as https://walks.gent.be, not {value!r}"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def init_app(app: Flask) -> None:
    public = app.config.get("PUBLIC_URL")
    if public:
        app.config["PUBLIC_URL"] = public = parse_public_url(public)
    if app.config.get("TRUSTED_HOSTS") is None:
        site = [urlsplit(public).hostname] if public else []
        app.config["TRUSTED_HOSTS"] = site + list(LOOPBACK_HOSTS)
    app.add_template_global(absolute_url)

    @app.errorhandler(SecurityError)
    def _unknown_host(_exc: SecurityError) -> Response:
        return error_response(
            400,
            "unknown_host",
            "This site does not answer to that host name. Operators: "
            "KOTOJI_PUBLIC_URL names the site's address (see README, Configuration).",
        )


def public_base_url() -> str:
    """Return the origin for absolute links: the configured public URL, else this (trusted) request's."""
    return current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")


def absolute_url(path: str) -> str:
    """Return `path` (starting with /) as an absolute link on the public site."""
    return public_base_url() + path


def is_loopback(host: str) -> bool:
    """Return True when a listening address only reaches this machine."""
    return host in LOOPBACK_HOSTS or host.startswith("127.") or host == "::1"
