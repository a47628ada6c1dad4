"""A real shared cache (nginx proxy_cache, configured as docs/operations.md says) in front of two instances
on PostgreSQL: public documents come from the cache, private pages never do, variants stay apart."""

import gzip
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .instances import CachingNginx, StaffClient, two_instances

EDITOR = "editor@kotoji.test"
WALK = "gent-kanazawa"
PUBLIC = [
    "/api/walks",
    f"/api/walks/{WALK}",
    f"/api/walks/{WALK}/stops",
    f"/api/walks/{WALK}/path",
    f"/api/walks/{WALK}/gpx",
    f"/api/walks/{WALK}/offline",
    "/ogc/collections",
    f"/ogc/collections/{WALK}",
    f"/ogc/collections/{WALK}/items?limit=10",
    f"/ogc/collections/{WALK}/items/belfort",
    f"/ogc/collections/{WALK}/items?bbox=3.70,51.03,3.73,51.06&limit=5",
]
VARIANTS = [{}, {"Accept-Encoding": "gzip"}, {"Accept-Encoding": "gzip", "Accept-Language": "ja"}]


MAX_AGE = 2  # seconds (KOTOJI_PUBLIC_MAX_AGE_SECONDS) for the publication test: it waits for max-age to pass


@pytest.fixture(scope="module")
def cached_site(module_database_url, tmp_path_factory):
    """Shared by the tests that only read through the cache or sign in (none changes a document)."""
    if not module_database_url.startswith("postgresql"):
        pytest.skip("the shared-cache setup is two instances on PostgreSQL")
    folder = tmp_path_factory.mktemp("site")
    with two_instances(module_database_url, folder, EDITOR, front=CachingNginx, access_logs=True) as site:
        yield site


@pytest.fixture
def quickly_expiring_site(database_url, tmp_path):
    """A site of its own whose documents may be kept MAX_AGE seconds instead of a minute."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the shared-cache setup is two instances on PostgreSQL")
    settings = {"KOTOJI_PUBLIC_MAX_AGE_SECONDS": str(MAX_AGE)}
    with two_instances(database_url, tmp_path, EDITOR, front=CachingNginx, settings=settings) as site:
        yield site


def test_the_public_mix_comes_from_the_cache_and_variants_stay_apart(cached_site):
    _, _, cache = cached_site
    statuses = []
    for _ in range(25):
        for url in PUBLIC:
            for headers in VARIANTS:
                status, answer, body = cache.get(url, headers)
                assert status == 200, (url, status)
                statuses.append(answer["X-Cache-Status"])
                packed = answer.get("Content-Encoding") == "gzip"
                assert packed == ("gzip" in headers.get("Accept-Encoding", "")) or "Accept-Encoding" not in answer.get(
                    "Vary", ""
                ), url
                if packed:
                    body = gzip.decompress(body)
                if url.startswith("/ogc/collections/gent") and "items" not in url:
                    title = json.loads(body)["title"]
                    assert ("金沢" in title or "散" in title) == ("Accept-Language" in headers), (title, headers)
    hits = statuses.count("HIT") / len(statuses)
    assert hits >= 0.95, f"{hits:.1%} hits: {sorted(set(statuses))}"


def test_a_publication_is_seen_through_the_cache_within_max_age(quickly_expiring_site):
    a, b, cache = quickly_expiring_site
    url = f"/api/walks/{WALK}/stops"
    _, first, before = cache.get(url)
    assert cache.get(url)[1]["X-Cache-Status"] == "HIT"
    max_age = int(first["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age == MAX_AGE
    staff = StaffClient(a.url)
    assert staff.login(EDITOR) == 303
    stop = f"/editor/api/walks/{WALK}/stops/belfort"
    _, headers, current = staff.get_json(stop)
    summary = {**current["stop"]["summary"], "en": "Seen through the cache."}
    assert staff.put_json(stop, {"summary": summary}, headers["ETag"])[0] == 200
    published_at = time.monotonic()
    assert staff.post_form(f"/editor/walks/{WALK}/publish", base_url=b.url)[0] == 303
    while b"Seen through the cache." not in cache.get(url)[2]:
        assert time.monotonic() - published_at <= max_age + 5, "the cache kept the old walk past max-age"
        time.sleep(0.2)


def test_a_burst_for_a_missing_public_walk_reaches_the_instances_once_per_max_age(cached_site):
    """A withdrawn walk's link, or a typo in a printed QR code, asked for by many at once."""
    a, b, cache = cached_site
    for path, query in (("/api/walks/no-such-walk", ""), ("/ogc/collections/no-such-walk/items", "?limit=5")):
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(cache.get, [path + query] * 64))
        assert {status for status, _, _ in answers} == {404}, path
        reached = a.requests_for(path) + b.requests_for(path)
        assert reached == 1, f"{reached} of {len(answers)} requests for {path} reached the instances"
        assert {answer["Cache-Control"] for _, answer, _ in answers} == {"public, max-age=60"}, path


def test_staff_pages_private_tours_and_sessions_are_never_stored(cached_site):
    _, _, cache = cached_site
    for _ in range(3):
        status, answer, _ = cache.get("/editor/login")
        assert answer["X-Cache-Status"] != "HIT" and "no-store" in answer.get("Cache-Control", "")
    staff = StaffClient(cache.url)
    staff.base_url = cache.url
    staff.request = _through(staff.request)
    assert staff.login(EDITOR) == 303
    for _ in range(3):
        status, answer, body = staff.request("GET", "/editor/")
        assert status == 200 and answer["X-Cache-Status"] == "BYPASS"
        # With a session even a public document is fetched fresh, and not stored for others.
        assert staff.request("GET", "/api/walks")[1]["X-Cache-Status"] == "BYPASS"
    _, answer, body = cache.get("/editor/")  # anonymous (sent on to the login page): never the staff page
    assert EDITOR.encode() not in body and answer["X-Cache-Status"] != "HIT"
    _, answer, body = cache.get("/guide/tours")  # a guide's saved tours: never from the cache
    assert answer["X-Cache-Status"] != "HIT" and EDITOR.encode() not in body


def test_a_forged_host_is_refused_before_it_reaches_a_cache_key(cached_site):
    _, _, cache = cached_site
    assert cache.get("/ogc/collections", host="evil.example")[0] == 421
    status, _, body = cache.get("/ogc/collections")
    assert status == 200 and b"evil.example" not in body and CachingNginx.SITE.encode() in body


def _through(request):
    """Send a StaffClient's requests to nginx with the site's Host, as a browser at the site would."""

    def send(method, path, body=None, headers=None, base_url=None):
        return request(method, path, body, {"Host": CachingNginx.SITE, **(headers or {})}, base_url)

    return send
