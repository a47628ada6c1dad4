"""Errors say how long they may be kept: a public 404 as long as the public 200s, a 503 briefly by shared
caches only, staff and write errors never. tests/resilience/test_shared_cache.py shows nginx using it."""

import pytest

from server import create_app
from server.domain.accounts.users import create_user

from .editor.editor_helpers import PASSWORD, sign_in

MISSING_PUBLIC = [
    "/api/walks/no-such-walk",  # answered by the WSGI layer before Flask
    "/api/walks/no-such-walk/stops",
    "/api/no-such-resource",
    "/ogc/collections/no-such-walk",
    "/ogc/collections/no-such-walk/items?limit=5",
    "/ogc/collections/gent-kanazawa/items/no-such-stop",
    "/ogc/no-such-page",
    "/tiles/no-such-version/3/4/2.mvt",
    "/media/" + "0" * 64 + ".jpg",
]


def test_a_public_404_may_be_kept_as_long_as_the_public_answers(database_url, instance_path, monkeypatch):
    for setting, max_age in ((None, "60"), ("7", "7")):  # the default, then a site's own
        if setting:
            monkeypatch.setenv("KOTOJI_PUBLIC_MAX_AGE_SECONDS", setting)
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, "PUBLICATION_CHECK_SECONDS": 0})
        client = app.test_client()
        for url in MISSING_PUBLIC:
            for answer in (client.get(url), client.head(url)):
                assert answer.status_code == 404, url
                assert answer.headers["Cache-Control"] == f"public, max-age={max_age}", url
        app.extensions["db"].engine.dispose()


def test_a_public_404_varies_on_what_its_words_depend_on(client):
    walk = client.get("/api/walks/no-such-walk")  # one English message, the same bytes for everyone
    assert "Vary" not in walk.headers
    for url in ("/ogc/no-such-page", "/media/" + "0" * 64 + ".jpg"):  # Flask's texts may be translated
        answer = client.get(url, headers={"Accept-Language": "ja"})
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in answer.headers["Vary"].split(",")}, url
    japanese = client.get("/ogc/no-such-page", headers={"Accept-Language": "ja"}).json["message"]
    assert japanese != client.get("/ogc/no-such-page", headers={"Accept-Language": "en"}).json["message"]


def test_errors_of_staff_guide_and_write_urls_are_never_kept(client, app):
    for url in ("/editor/no-such-page", "/guide/no-such-page", "/no-such-file.js"):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert answer.headers["Cache-Control"] == "no-store", url
    for method in ("post", "put", "delete"):
        answer = getattr(client, method)("/api/walks/no-such-walk")
        assert answer.status_code == 405 and answer.headers["Cache-Control"] == "no-store", method
    staff = app.test_client()
    with app.extensions["db"].session() as session:
        create_user(session, "editor@kotoji.test", PASSWORD, "editor")
        session.commit()
    assert sign_in(staff, "editor@kotoji.test").status_code == 303
    answer = staff.get("/editor/walks/no-such-walk")
    assert answer.status_code == 404 and answer.headers["Cache-Control"] == "no-store"


@pytest.fixture
def app_without_database(instance_path):
    """An instance whose database refuses connections (nothing listens on port 1)."""
    app = create_app({"TESTING": True, "DATABASE_URL": "postgresql://kotoji@127.0.0.1:1/kotoji"})
    yield app
    app.extensions["db"].engine.dispose()


def test_a_public_503_is_repeated_by_shared_caches_only_for_its_retry_after(app_without_database):
    client = app_without_database.test_client()
    for url in ("/api/walks/gent-kanazawa", "/media/" + "0" * 64 + ".jpg", "/ogc/collections"):
        answer = client.get(url)
        assert answer.status_code == 503, url
        assert answer.headers["Retry-After"] == "5", url
        assert answer.headers["Cache-Control"] == "public, max-age=0, s-maxage=5", url
    guide = client.get("/guide/plan.json?walk=gent-kanazawa")  # not under a public read prefix: kept by nobody
    assert guide.status_code == 503 and "public" not in guide.headers.get("Cache-Control", "")
