"""The server side of the tourist app: shell manifest, service worker, npm files, compression, icons."""

import gzip
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from server.web.vendor_files import SHELL_VENDOR_FILES

PWA = Path(__file__).resolve().parent.parent / "pwa"
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"


@pytest.fixture
def database_url(module_database_url):
    """These tests only read: they share one database per backend (each still gets an app of its own)."""
    return module_database_url


class ShellPage(HTMLParser):
    """Collects what the CSP cares about: scripts, styles and style attributes."""

    def __init__(self):
        super().__init__()
        self.scripts, self.inline_scripts, self.style_attributes, self.style_elements = [], 0, 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs.get("src"))
            self.inline_scripts += attrs.get("src") is None
        self.style_attributes += "style" in attrs
        self.style_elements += tag == "style"


def test_the_app_page_has_no_inline_script_or_style_and_a_strict_csp(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    page = ShellPage()
    page.feed(response.get_data(as_text=True))
    assert page.scripts == ["/js/main.js"]
    assert (page.inline_scripts, page.style_attributes, page.style_elements) == (0, 0, 0)


def test_no_file_of_the_app_names_another_host():
    for path in PWA.rglob("*"):
        if path.suffix in (".js", ".html", ".css", ".webmanifest"):
            text = path.read_text()
            # links to read (OpenStreetMap's copyright page) are allowed; nothing may load from another host
            loaded = re.findall(r"""(?:src|href|url|import|fetch)\s*[=(]?\s*["'`]?(https?://[^"'`\s)]+)""", text)
            assert [u for u in loaded if not u.startswith("https://www.openstreetmap.org/copyright")] == [], path


def test_shell_manifest_lists_every_app_file_with_its_hash(client):
    manifest = client.get("/shell-manifest.json").get_json()
    files = {entry["url"]: entry for entry in manifest["files"]}
    expected = {
        "/" if p.name == "index.html" else "/" + p.relative_to(PWA).as_posix()
        for p in PWA.rglob("*")
        if p.is_file() and p.name != "sw.js"
    }
    vendor = {f"/vendor/{package}/{path}" for package, path in SHELL_VENDOR_FILES}
    assert "/vendor/leaflet/dist/leaflet.js" in vendor
    assert expected | vendor == set(files)
    for url, entry in files.items():
        body = client.get(url).get_data()
        assert hashlib.sha256(body).hexdigest() == entry["sha256"], url
        assert len(body) == entry["bytes"]
    assert manifest["total_bytes"] == sum(e["bytes"] for e in manifest["files"])


def test_service_worker_is_served_at_the_root_with_the_shell_version(client):
    response = client.get("/sw.js")
    version = client.get("/shell-manifest.json").get_json()["version"]
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"
    assert f'const SHELL_VERSION = "{version}";' in response.get_data(as_text=True)


def test_changing_any_app_file_changes_the_shell_version(app, tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(PWA, copy)
    app.config["PWA_DIR"] = str(copy)
    client = app.test_client()
    before = client.get("/shell-manifest.json").get_json()["version"]
    assert client.get("/shell-manifest.json").get_json()["version"] == before  # stable while nothing changes
    (copy / "styles" / "app.css").write_text((copy / "styles" / "app.css").read_text() + "\n/* changed */\n")
    after = client.get("/shell-manifest.json").get_json()["version"]
    assert after != before
    assert f'"{after}"' in client.get("/sw.js").get_data(as_text=True)


def test_text_files_are_sent_compressed_and_revalidate_by_etag(client):
    response = client.get("/js/main.js", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.get_data()) == (PWA / "js" / "main.js").read_bytes()
    again = client.get("/js/main.js", headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    plain = client.get("/js/main.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.get_data() == (PWA / "js" / "main.js").read_bytes()


def test_vendor_route_serves_only_allow_listed_npm_files(client):
    response = client.get("/vendor/leaflet/dist/leaflet.js")
    assert response.status_code == 200
    assert response.get_data() == (NODE_MODULES / "leaflet" / "dist" / "leaflet.js").read_bytes()
    for url in [
        "/vendor/leaflet/package.json",
        "/vendor/leaflet/dist/leaflet-src.js",
        "/vendor/leaflet/../axe-core/axe.min.js",
        "/vendor/axe-core/axe.min.js",
        "/vendor/nothing/x.js",
    ]:
        assert client.get(url).status_code == 404, url


def test_unknown_paths_are_404_and_index_html_has_one_address(client):
    assert client.get("/no-such-file.js").status_code == 404
    assert client.get("/index.html").status_code == 404  # the app lives at "/" only
    assert client.get("/sw.js").status_code == 200


def test_web_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data())
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"] and manifest["theme_color"] and manifest["background_color"]
    sizes = {}
    for icon in manifest["icons"]:
        image = Image.open(BytesIO(client.get(icon["src"]).get_data()))
        assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    assert sizes["any"] >= {"192x192", "512x512"}
    assert "512x512" in sizes["maskable"]


def _message_keys(language: str) -> set:
    return set(re.findall(r'^\s*"([a-z_.]+)":', (PWA / "js" / "i18n" / f"{language}.js").read_text(), re.M))


def test_every_interface_string_exists_in_dutch_english_and_japanese():
    english = _message_keys("en")
    assert _message_keys("nl") == english
    assert _message_keys("ja") == english
    used = set()
    for path in (PWA / "js").glob("*.js"):
        text = path.read_text()
        # every "group.name" literal whose group is a message group (t("..."), section("..."), ternaries)
        groups = {key.split(".")[0] for key in english}
        used |= {m for m in re.findall(r'"([a-z]+\.[a-z_]+)"', text) if m.split(".")[0] in groups}
        used |= {f"compass.{p}" for p in ("n", "ne", "e", "se", "s", "sw", "w", "nw")} if "compass." in text else set()
    used |= set(re.findall(r'data-i18n(?:-label)?="([a-z_.]+)"', (PWA / "index.html").read_text()))
    assert used - english == set()


def test_the_page_preloads_every_module_so_imports_cost_no_extra_round_trips(client):
    page = client.get("/").get_data(as_text=True)
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', page))
    modules = {"/" + p.relative_to(PWA).as_posix() for p in (PWA / "js").rglob("*.js")} - {"/js/main.js"}
    assert preloaded == modules
