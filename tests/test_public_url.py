"""Absolute links (QR code, handout, GPX, plan link, OGC, OpenAPI) come from KOTOJI_PUBLIC_URL, never
from a forged Host or X-Forwarded-Host: cached answers must not send tourists elsewhere."""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from server import create_app
from server.domain.tours.exports import render_qr_svg
from server.public_url import parse_public_url

WALK = "gent-kanazawa"
PUBLIC = "https://walks.gent.be"
FORGED = "evil.example"
NAMESPACES = {"http://www.w3.org", "http://www.topografix.com", "http://www.opengis.net"}
# The stops cite their sources with links to other sites: content, not links to this one.
ROUTES = Path(__file__).resolve().parent.parent / "routes"
CITED = {
    m.decode() for path in ROUTES.glob("*/*.*json") for m in re.findall(rb"https?://[^/\"'<>\s]+", path.read_bytes())
}
# These pages link only relatively; the QR code holds its link as an image.
WITHOUT_ABSOLUTE_LINKS = {"ogc collections html", "ogc item html", "api page", "qr code"}


def origins(body: bytes) -> set[str]:
    """Return the origins of every absolute link in `body`, XML namespaces aside."""
    return {m.decode() for m in re.findall(rb"https?://[^/\"'<>\s]+", body)} - NAMESPACES - CITED


def assert_links_point_to(origin: str, name: str, body: bytes) -> None:
    expected = set() if name in WITHOUT_ABSOLUTE_LINKS else {origin}
    assert origins(body) == expected, name


def answers_with_links(client) -> dict[str, str]:
    """Return {name: URL} of every answer that holds absolute links to the site."""
    stops = [f["id"] for f in client.get(f"/api/walks/{WALK}/stops").get_json()["features"]]
    tour = urlencode({"walk": WALK, "stops": ",".join(stops[:3]), "lang": "en"})
    return {
        "plan link": f"/guide/plan.json?{tour}",
        "handout": f"/guide/handout?{tour}",
        "tour gpx": f"/guide/tour.gpx?{tour}",
        "qr code": f"/guide/qr.svg?{tour}",
        "ogc landing json": "/ogc?f=json",
        "ogc landing html": "/ogc?f=html",
        "ogc collections json": "/ogc/collections?f=json",
        "ogc collections html": "/ogc/collections?f=html",
        "ogc items json": f"/ogc/collections/{WALK}/items?f=json",
        "ogc item html": f"/ogc/collections/{WALK}/items/{stops[0]}?f=html",
        "openapi": "/api/openapi.json",
        "ogc api": "/ogc/api?f=json",
        "api page": "/api/docs",
    }


@pytest.fixture
def public_app(database_url, instance_path):
    """The app behind one proxy, with its public address configured."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "PUBLICATION_CHECK_SECONDS": 0,
            "PUBLIC_URL": PUBLIC + "/",
            "TRUSTED_PROXIES": 1,
        }
    )
    yield app
    app.extensions["db"].engine.dispose()


def test_a_forged_host_is_refused_on_every_answer_with_links(client):
    for name, url in answers_with_links(client).items():
        response = client.get(url, base_url=f"http://{FORGED}")
        assert response.status_code == 400, name
        assert FORGED.encode() not in response.data, name
        assert b"KOTOJI_PUBLIC_URL" in response.data, name
        assert response.headers.get("Cache-Control") is None, name


def test_without_a_public_url_links_use_this_machines_own_name(client):
    for name, url in answers_with_links(client).items():
        response = client.get(url, base_url="http://127.0.0.1:5000")
        assert response.status_code == 200, name
        assert_links_point_to("http://127.0.0.1:5000", name, response.data)


def test_a_forwarded_host_is_never_reflected(database_url, instance_path, monkeypatch):
    monkeypatch.setenv("KOTOJI_TRUSTED_PROXIES", "1")
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    client = app.test_client()
    for name, url in answers_with_links(client).items():
        response = client.get(url, headers={"X-Forwarded-Host": FORGED, "X-Forwarded-Proto": "https"})
        assert response.status_code == 200, name
        assert_links_point_to("https://localhost", name, response.data)
    app.extensions["db"].engine.dispose()


def test_links_are_built_from_the_public_url_whatever_host_is_sent(public_app):
    client = public_app.test_client()
    for name, url in answers_with_links(client).items():
        assert client.get(url, base_url=f"http://{FORGED}").status_code == 400, name
        for host in ("walks.gent.be", "localhost"):
            response = client.get(
                url, base_url=f"http://{host}", headers={"X-Forwarded-Host": FORGED, "X-Forwarded-Proto": "http"}
            )
            assert response.status_code == 200, (name, host)
            assert_links_point_to(PUBLIC, name, response.data)


def test_the_qr_code_and_plan_link_point_to_the_public_site(public_app):
    client = public_app.test_client()
    urls = answers_with_links(client)
    plan = client.get(urls["plan link"], headers={"X-Forwarded-Host": FORGED}).get_json()
    assert plan["link"].startswith(f"{PUBLIC}/#/tour/{WALK}/")
    qr = client.get(urls["qr code"], headers={"X-Forwarded-Host": FORGED})
    assert qr.data == render_qr_svg(plan["link"], "Open this tour in Kotoji")
    assert qr.headers["Cache-Control"] == "public, max-age=3600"


def test_the_ogc_landing_page_names_the_public_address_for_gis_tools(public_app):
    page = public_app.test_client().get("/ogc?f=html", headers={"X-Forwarded-Host": FORGED}).get_data(as_text=True)
    assert f"<code>{PUBLIC}/ogc</code>" in page


@pytest.mark.parametrize(
    "value",
    [
        "walks.gent.be",
        "ftp://walks.gent.be",
        "https://walks.gent.be/kotoji",
        "https://walks.gent.be/?a=1",
        "https://user:pw@walks.gent.be",
        "https://",
    ],
)
def test_a_public_url_that_is_not_an_origin_is_refused(value):
    with pytest.raises(ValueError, match="KOTOJI_PUBLIC_URL"):
        parse_public_url(value)


def test_serving_beyond_this_machine_needs_the_public_url(manage, monkeypatch):
    import manage as manage_module

    monkeypatch.delenv("KOTOJI_PUBLIC_URL", raising=False)
    monkeypatch.setattr("server.cli.serve.run_granian", lambda *args, **kwargs: pytest.fail("must not start"))
    from click.testing import CliRunner

    result = CliRunner().invoke(manage_module.cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "set KOTOJI_PUBLIC_URL" in result.output


def test_published_documents_link_relatively_so_they_stay_valid_at_any_address(public_app):
    from sqlalchemy import select

    from server.domain.models import PublishedDocument

    with public_app.extensions["db"].session() as session:
        documents = session.scalars(select(PublishedDocument)).all()
    assert documents
    for document in documents:
        assert not {o for o in origins(document.body) if "localhost" in o or "127.0.0.1" in o}, document.url
    manifest = public_app.test_client().get(f"/api/walks/{WALK}/offline").get_json()
    assert all(entry["url"].startswith("/") for entry in manifest["urls"])
