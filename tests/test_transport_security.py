"""HSTS: answers over HTTPS (directly, or from a trusted proxy that says so) tell browsers to stay on it."""

import pytest

from server import create_app

PAGES = ["/", "/guide/", "/editor/login", "/api/walks", "/api/walks/gent-kanazawa/stops", "/no-such-page"]


@pytest.fixture
def database_url(module_database_url):
    """These tests only read: they share one database per backend (each still gets an app of its own)."""
    return module_database_url


@pytest.fixture
def proxied(app):
    """The same site configured behind one trusted reverse proxy (KOTOJI_TRUSTED_PROXIES=1)."""
    behind_proxy = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "SESSION_COOKIE_SECURE": False,
            "TRUSTED_PROXIES": 1,
        }
    )
    yield behind_proxy.test_client()
    behind_proxy.extensions["db"].engine.dispose()


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_over_https_carries_hsts_and_none_over_plain_http(client, path):
    secure = client.get(path, base_url="https://walks.example")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get(path).headers


def test_behind_a_trusted_proxy_x_forwarded_proto_decides(proxied):
    told_https = proxied.get("/guide/", headers={"X-Forwarded-Proto": "https"})
    assert told_https.headers["Strict-Transport-Security"] == "max-age=31536000"
    hot_path = proxied.get("/api/walks", headers={"X-Forwarded-Proto": "https"})
    assert hot_path.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in proxied.get("/guide/", headers={"X-Forwarded-Proto": "http"}).headers


def test_without_a_trusted_proxy_a_client_cannot_claim_https(client):
    response = client.get("/guide/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
