"""Helpers for the editor tests: the test walk, accounts and requests sent the way the editor sends them."""

from server.domain.editing.revisions import record_revision
from server.domain.models import Stop, Walk
from server.domain.publishing.publish import publish_walk

PASSWORD = "correct horse battery staple"
ROLE_EMAILS = {"admin": "admin@kotoji.test", "editor": "editor@kotoji.test", "guide": "guide@kotoji.test"}
# A short walk around Ghent's Korenmarkt, far from the real walks' stops.
PATH = [[3.7195, 51.0545], [3.7205, 51.0548], [3.7215, 51.0551], [3.7225, 51.0553]]
TEXTS = {"nl": "Tekst", "en": "Text", "ja": "テキスト"}


def _stop(slug, position, lon, lat, status, languages=("nl", "en", "ja")):
    texts = lambda word: {lang: f"{word} {slug} {lang}" for lang in languages}  # noqa: E731
    return Stop(
        slug=slug,
        position=position,
        lat=lat,
        lon=lon,
        position_confidence="high",
        trigger_radius_m=30,
        name=texts("Name"),
        summary=texts("Summary"),
        body={lang: f"<p>Story of {slug} in {lang}</p>" for lang in languages},
        accessibility=texts("Access"),
        status=status,
        staff_note=f"secret note about {slug}",
        sources=[
            {"title": f"Source for {slug}", "publisher": "Kotoji tests", "url": "https://example.org/", "date": "2026"}
        ],
    )


def make_test_walk(session) -> Walk:
    """Create and publish 'test-walk': alpha and beta published, gamma a draft without Japanese."""
    walk = Walk(
        slug="test-walk",
        city="Gent",
        country="BE",
        default_language="nl",
        languages=["nl", "en", "ja"],
        title=dict(TEXTS),
        intro=dict(TEXTS),
        path=PATH,
        status="published",
    )
    walk.stops = [
        _stop("alpha", 1, 3.7196, 51.0546, "published"),
        _stop("beta", 2, 3.7210, 51.0550, "published"),
        _stop("gamma", 3, 3.7224, 51.0552, "draft", languages=("nl", "en")),
    ]
    session.add(walk)
    record_revision(session, walk, None, "test fixture")
    for stop in walk.stops:
        record_revision(session, stop, None, "test fixture")
    publish_walk(session, "test-walk", None)
    session.commit()
    return walk


def csrf_of(client) -> str:
    with client.session_transaction() as cookie_session:
        return cookie_session.get("csrf", "")


def ensure_csrf(client) -> str:
    """Visit the login page so the browser session holds a CSRF token; return it."""
    if not csrf_of(client):
        client.get("/editor/login")
    return csrf_of(client)


def sign_in(client, email, password=PASSWORD, next=None, **request_options):
    """Post the login form; `request_options` (headers, environ_base) go to the request itself."""
    token = ensure_csrf(client)
    form = {"email": email, "password": password, "csrf_token": token, **({"next": next} if next else {})}
    return client.post("/editor/login", data=form, **request_options)


def write(client, method, url, json=None, etag=None, **kwargs):
    """Send a write the way the editor's scripts do: CSRF header, If-Match when given."""
    headers = {"X-CSRF-Token": csrf_of(client), **kwargs.pop("headers", {})}
    if etag:
        headers["If-Match"] = etag
    return client.open(url, method=method, json=json, headers=headers, **kwargs)


def post_form(client, url, data=None, **kwargs):
    return client.post(url, data={"csrf_token": csrf_of(client), **(data or {})}, **kwargs)
