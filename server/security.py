"""Security headers: one strict set for pages, one for API documents, applied to every response."""

from flask import Flask, request

# No inline script or style anywhere: every script and stylesheet is a file from our own origin.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
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
PREFLIGHT_HEADERS = [("Access-Control-Allow-Methods", "GET, HEAD"), ("Access-Control-Max-Age", "86400"),
                     ("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match, If-Modified-Since")]


def allow_cross_origin_reads(response, method: str):
    """Add the CORS headers of a public read (and of its preflight, for OPTIONS)."""
    if method in ("GET", "HEAD", "OPTIONS"):
        for name, value in CORS_HEADERS + (PREFLIGHT_HEADERS if method == "OPTIONS" else []):
            response.headers.setdefault(name, value)
    return response


# Public, read-only data that other sites' scripts may fetch (the editor's JSON API is not among them).
PUBLIC_READ_PREFIXES = ("/api/", "/ogc")


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response):
        if request.path.startswith(PUBLIC_READ_PREFIXES):
            allow_cross_origin_reads(response, request.method)
        is_api = response.mimetype in ("application/json", "application/geo+json", "application/gpx+xml")
        for name, value in API_HEADERS if is_api else COMMON_HEADERS + [("Content-Security-Policy", PAGE_CSP)]:
            response.headers.setdefault(name, value)
        return response
