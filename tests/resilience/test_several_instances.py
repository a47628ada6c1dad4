"""Two app processes on one database behind nginx act as one site: edits, login limits and media
are shared at once, on PostgreSQL and on one SQLite file alike."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from .instances import STAFF_PASSWORD, StaffClient, manage, two_instances

pytestmark = pytest.mark.slow  # two app processes behind nginx
EDITOR = "editor@kotoji.test"
STOP_URL = "/editor/api/walks/gent-kanazawa/stops/belfort"


@pytest.fixture(scope="module")
def site(module_database_url, tmp_path_factory):
    """Two instances (A, B) with their own instance folders, one database, nginx in front.

    Shared by this module's tests (starting it takes 6-11 s): none of them changes what another
    relies on (the login-limit test locks an account of its own).
    """
    with two_instances(module_database_url, tmp_path_factory.mktemp("site"), EDITOR) as site:
        yield site


def test_an_edit_through_one_instance_is_visible_through_the_other_at_once(site):
    a, b, _ = site
    staff = StaffClient(a.url)
    assert staff.login(EDITOR) == 303
    status, headers, before = staff.get_json(STOP_URL)
    assert status == 200
    summary = {**before["stop"]["summary"], "en": "Edited through instance A."}
    status, _, saved = staff.put_json(STOP_URL, {"summary": summary}, headers["ETag"])
    assert status == 200, saved

    # The same session cookie works on B (sessions live in the database) and B sees the edit.
    status, headers_b, seen = staff.get_json(STOP_URL, base_url=b.url)
    assert status == 200
    assert seen["stop"]["summary"]["en"] == "Edited through instance A."
    assert headers_b["ETag"] == saved["etag"]

    # Publishing through B reaches A's public documents at once.
    staff.fetch_csrf("/editor/", base_url=b.url)
    status, _, _ = staff.post_form("/editor/walks/gent-kanazawa/publish", base_url=b.url)
    assert status == 303
    _, _, stops = staff.request("GET", "/api/walks/gent-kanazawa/stops", base_url=a.url)
    assert "Edited through instance A." in stops.decode()


def test_login_limits_hold_across_instances(site):
    a, b, _ = site
    locked = "locked-out@kotoji.test"  # not EDITOR: the other tests on this site sign in with it
    created = manage(a.env, "create-user", "--email", locked, "--role", "editor", "--password", STAFF_PASSWORD)
    assert created.returncode == 0, created.stderr
    assert StaffClient(b.url).login(locked) == 303  # the account works, before the wrong passwords
    for attempt in range(5):  # the account limit, spread over both instances
        status = StaffClient(a.url if attempt % 2 else b.url).login(locked, "wrong password, sorry")
        assert status == 401 or status == 400 or status == 403, status
    # The right password is now refused on both, until the window passes.
    assert StaffClient(a.url).login(locked) == 429
    assert StaffClient(b.url).login(locked) == 429


def test_media_uploaded_through_one_is_served_by_the_other(site):
    a, b, _ = site
    staff = StaffClient(a.url)
    assert staff.login(EDITOR) == 303
    picture = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 40)).save(picture, "JPEG")
    status, _, uploaded = staff.upload("/editor/api/media", "lantern.jpg", picture.getvalue())
    assert status == 201, uploaded
    status_a, _, body_a = staff.request("GET", uploaded["url"])
    status_b, headers_b, body_b = StaffClient(b.url).request("GET", uploaded["url"])
    assert status_a == status_b == 200
    assert body_a == body_b and headers_b["Content-Type"].startswith("image/")


def test_nginx_spreads_one_session_over_both_instances(site):
    a, b, nginx = site
    staff = StaffClient(nginx.url)
    assert staff.login(EDITOR) == 303
    # Round-robin sends these to A and B in turn; every one must find the session.
    for _ in range(6):
        status, _, data = staff.get_json(STOP_URL)
        assert status == 200 and data["stop"]["slug"] == "belfort"
    status, headers, data = staff.get_json(STOP_URL)
    name = {**data["stop"]["name"], "ja": "鐘楼（ベルフォート）"}
    status, _, saved = staff.put_json(STOP_URL, {"name": name}, headers["ETag"])
    assert status == 200, saved
    assert json.dumps(saved["stop"]["name"], ensure_ascii=False).count("ベルフォート") == 1


def test_a_basemap_installed_once_is_served_by_every_instance(site, tmp_path):
    from tests.basemap_planet import make_planet

    a, b, nginx = site
    b_basemap = Path(b.env["KOTOJI_INSTANCE_PATH"]) / "basemap"
    planet = tmp_path / "ghent.pmtiles"
    make_planet(planet, radius_km=1.0, minzoom=12, maxzoom=14)
    installed = manage(a.env, "basemap", "install", str(planet))
    assert installed.returncode == 0, installed.stderr
    assert not b_basemap.exists()  # B was never told about the file

    staff = StaffClient(b.url)
    _, _, manifest = staff.request("GET", "/api/walks/gent-kanazawa/offline")
    tiles = [entry for entry in json.loads(manifest)["urls"] if entry["url"].startswith("/tiles/")]
    assert tiles, "the walk lists the basemap's tiles once it is installed"
    for entry in tiles[:3] + tiles[-3:]:
        answers = [staff.request("GET", entry["url"], base_url=url) for url in (a.url, b.url, nginx.url)]
        assert [status for status, _, _ in answers] == [200, 200, 200], entry["url"]
        assert len({body for _, _, body in answers}) == 1 and len(answers[0][2]) == entry["bytes"]
    assert list(b_basemap.glob("basemap-*.pmtiles")), "B keeps its own copy once read"
