"""The basemap tests' walk through Ghent and a Range-capable file server (the fixtures are in conftest.py)."""

import re
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

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
