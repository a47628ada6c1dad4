"""Security headers: one strict set for pages, one for API documents, applied to every response."""

from flask import Flask

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


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response):
        is_api = response.mimetype in ("application/json", "application/geo+json", "application/gpx+xml")
        for name, value in API_HEADERS if is_api else COMMON_HEADERS + [("Content-Security-Policy", PAGE_CSP)]:
            response.headers.setdefault(name, value)
        return response
