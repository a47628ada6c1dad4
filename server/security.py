"""Security headers: one strict set for pages, one for API documents, applied to every response."""

from collections.abc import Callable, Iterable
from types import TracebackType
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Flask, Response, request

# No inline script or style anywhere: every script and stylesheet is a file from our own origin.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self'; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

COMMON_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"),
]
API_HEADERS = COMMON_HEADERS + [("Content-Security-Policy", API_CSP)]
# Open data: public reads may be fetched from any origin. "*" never lets a browser send cookies along.
CORS_HEADERS = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "ETag, Content-Language")]
PREFLIGHT_HEADERS = [
    ("Access-Control-Allow-Methods", "GET, HEAD"),
    ("Access-Control-Max-Age", "86400"),
    ("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match, If-Modified-Since"),
]


def allow_cross_origin_reads(response: Response, method: str) -> Response:
    """Add the CORS headers of a public read (and of its preflight, for OPTIONS)."""
    if method in ("GET", "HEAD", "OPTIONS"):
        for name, value in CORS_HEADERS + (PREFLIGHT_HEADERS if method == "OPTIONS" else []):
            response.headers.setdefault(name, value)
    return response


# Public, read-only data that other sites' scripts may fetch (the editor's JSON API is not among them).
PUBLIC_READ_PREFIXES = ("/api/", "/ogc")


# Over HTTPS, tell browsers to use nothing else for a year (RFC 6797): a later plain-http link or a
# network that strips TLS can no longer downgrade a visit. Not includeSubDomains: the city decides that
# for its other hosts (docs/operations.md). Browsers ignore it over plain http, as they must.
HSTS_HEADER = ("Strict-Transport-Security", "max-age=31536000")


class StrictTransportSecurity:
    """Outermost WSGI layer adding HSTS to every answer served over HTTPS, from memory or by Flask."""

    def __init__(self, app: WSGIApplication, trusted_proxies: int) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies

    def is_https(self, environ: WSGIEnvironment) -> bool:
        """Like Flask's request.is_secure behind auth's ProxyFix, which sits inside this layer."""
        if environ.get("wsgi.url_scheme") == "https":
            return True
        if not self.trusted_proxies:
            return False
        protos = [p.strip() for p in environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")]
        return len(protos) >= self.trusted_proxies and protos[-self.trusted_proxies] == "https"

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not self.is_https(environ):
            return self.app(environ, start_response)

        def start_with_hsts(
            status: str,
            headers: list[tuple[str, str]],
            exc_info: tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None] | None = None,
        ) -> Callable[[bytes], object]:
            if not any(name.lower() == "strict-transport-security" for name, _ in headers):
                headers = [*headers, HSTS_HEADER]
            return start_response(status, headers, exc_info)

        return self.app(environ, start_with_hsts)


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        if request.path.startswith(PUBLIC_READ_PREFIXES):
            allow_cross_origin_reads(response, request.method)
        is_api = response.mimetype in ("application/json", "application/geo+json", "application/gpx+xml")
        for name, value in API_HEADERS if is_api else COMMON_HEADERS + [("Content-Security-Policy", PAGE_CSP)]:
            response.headers.setdefault(name, value)
        return response
