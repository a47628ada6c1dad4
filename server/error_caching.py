"""How long a cache may keep an error answer: public 404s as long as the public 200s, 503s briefly, others never.

A popular public URL that fails used to be stored nowhere: behind nginx's `proxy_cache_lock` every
request for it queued for the one before and then reached the app anyway. docs/operations.md, "A
shared cache in front", gives the policy to operators.
"""

# Read-only and public: what these answer is the same for everyone (cookies never change it).
PUBLIC_READ_PREFIXES = ("/api/", "/ogc", "/tiles/", "/media/")
RETRY_AFTER_SECONDS = 5  # a 503's Retry-After, and how long a shared cache may repeat it
# RFC 9111 4.2.2: statuses a cache may keep without being told to; an error that must not be kept says so.
HEURISTICALLY_CACHEABLE = frozenset({404, 405, 410, 414, 501})


def error_cache_control(method: str, path: str, status: int, public_max_age: int) -> str | None:
    """Return the Cache-Control of an error answer; None when the answer needs none (nothing keeps it).

    - A 404 or 410 of a public read says what is not published, as true as the 200s beside it say what
      is: it may be kept as long as they are (`public_max_age`, KOTOJI_PUBLIC_MAX_AGE_SECONDS), so a
      publication is seen within that time either way.
    - A 503 of a public read may be repeated by a shared cache for as long as it tells clients to wait
      (`s-maxage`): an outage is not hammered through the cache. Browsers keep it not at all.
    - Anything else a cache might keep on its own (a 404 of a staff, guide or write URL) says no-store.
    """
    public_read = method in ("GET", "HEAD") and path.startswith(PUBLIC_READ_PREFIXES)
    if public_read and status in (404, 410):
        return f"public, max-age={public_max_age}"
    if public_read and status == 503:
        return f"public, max-age=0, s-maxage={RETRY_AFTER_SECONDS}"
    if status in HEURISTICALLY_CACHEABLE:
        return "no-store"
    return None
