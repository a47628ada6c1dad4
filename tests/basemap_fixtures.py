"""Fixtures for the basemap tests: a synthetic planet behind a Range-capable server, a walk, an install."""

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from server.domain.models import Stop, Walk
from server.domain.publishing.publish import publish_walk

from .basemap_planet import make_planet

WALK = "basemap-proef"
# A short walk through Ghent's centre: Korenmarkt, Graslei, Gravensteen, Vrijdagmarkt.
PATH = [[3.7209, 51.0546], [3.7196, 51.0556], [3.7207, 51.0571], [3.7224, 51.0575], [3.7256, 51.0566]]
STOPS = [(51.0546, 3.7209), (51.0571, 3.7207), (51.0580, 3.7262)]  # the last is ~160 m off the path


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """Static files with single-range support (like the CDN the real planet sits behind)."""

    requests_seen = []

    def log_message(self, *args):
        pass

    def send_head(self):
        self.requests_seen.append(self.headers.get("Range"))
        match = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range") or "")
        path = Path(self.translate_path(self.path))
        if match is None or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start, end = int(match[1]), min(int(match[2]), size - 1)
        file = open(path, "rb")
        file.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        self._remaining = end - start + 1
        return file

    def copyfile(self, source, outputfile):
        remaining = getattr(self, "_remaining", None)
        outputfile.write(source.read() if remaining is None else source.read(remaining))


@pytest.fixture(scope="session")
def planet_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("planet")
    make_planet(folder / "planet.pmtiles", minzoom=10, maxzoom=15)
    return folder


@pytest.fixture(scope="session")
def planet_url(planet_dir):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeRequestHandler, directory=str(planet_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/planet.pmtiles"
    server.shutdown()
    server.server_close()


@pytest.fixture
def walk(session):
    """A published walk through Ghent's centre (the tests do not depend on routes/)."""
    walk = Walk(slug=WALK, city="Gent", country="BE", default_language="nl", languages=["nl", "en"],
                title={"nl": "Proefwandeling", "en": "Test walk"}, intro={}, path=PATH, status="published")
    for n, (lat, lon) in enumerate(STOPS, start=1):
        walk.stops.append(Stop(slug=f"stop-{n}", position=n, lat=lat, lon=lon, name={"nl": f"Halte {n}"},
                               status="published"))
    session.add(walk)
    session.flush()
    publish_walk(session, WALK, user_id=None)
    session.commit()
    return walk


@pytest.fixture
def installed(manage, walk, planet_url, instance_path):
    result = manage("basemap", "extract", "--walk", WALK, "--source", planet_url, "--buffer-m", 300)
    assert result.exit_code == 0, result.output
    return next((instance_path / "basemap").glob("basemap-*.pmtiles"))
