"""The PWA's shell: the files a phone precaches, their sha256, and one version for all of them.

The service worker installs exactly this list and checks every file against its hash, so a
half-deployed update can never end up in a phone's cache. The version is the service worker's
own identity: when any shell file changes, `/sw.js` changes, and the browser installs the new
worker next to the old one (which keeps running until the walker taps "Update").
"""

import gzip
import hashlib
import json
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path

from ..domain.json_types import JSONObject
from .vendor_files import SHELL_VENDOR_FILES, vendor_path

# What the shell's files looked like at the last look: (url, mtime, size) per file, then (mtime, size) of sw.js.
Stamp = tuple[tuple[str | int, ...], ...]

VERSION_TOKEN = "__KOTOJI_SHELL_VERSION__"  # replaced in sw.js by the shell version
NOT_IN_SHELL = {"sw.js"}  # the browser keeps the worker script itself
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
}
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


@dataclass(frozen=True)
class ShellFile:
    """One file as served: its bytes, gzip bytes (if worth it), type and hash."""

    url: str
    body: bytes
    gzip_body: bytes | None
    content_type: str
    sha256: str


def load_file(url: str, path: Path) -> ShellFile:
    """Read a file and prepare both representations (gzip only for text that shrinks)."""
    body = path.read_bytes()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    packed = gzip.compress(body, compresslevel=9, mtime=0) if content_type in COMPRESSIBLE else None
    if packed is not None and len(packed) >= len(body):
        packed = None
    return ShellFile(url, body, packed, content_type, hashlib.sha256(body).hexdigest())


class AppShell:
    """The shell files of a pwa/ folder plus the vendor files it uses, reread when one changes."""

    def __init__(self, pwa_dir: Path, vendor_dir: Path):
        self.pwa_dir = Path(pwa_dir)
        self.vendor_dir = Path(vendor_dir)
        self._lock = threading.Lock()
        self._stamp: Stamp | None = None
        self._files: dict[str, ShellFile] = {}
        self._worker = b""
        self.version = ""

    def _sources(self) -> dict[str, Path]:
        sources = {}
        for path in sorted(self.pwa_dir.rglob("*")):
            relative = path.relative_to(self.pwa_dir).as_posix()
            if path.is_file() and relative not in NOT_IN_SHELL and not relative.startswith("."):
                sources["/" if relative == "index.html" else f"/{relative}"] = path
        for package, file_path in SHELL_VENDOR_FILES:
            sources[f"/vendor/{package}/{file_path}"] = vendor_path(self.vendor_dir, package, file_path)
        return sources

    def refresh(self) -> None:
        """Reload the files if any was added, removed or modified since the last look."""
        sources = self._sources()
        worker = self.pwa_dir / "sw.js"
        stamp: Stamp = tuple((url, p.stat().st_mtime_ns, p.stat().st_size) for url, p in sources.items())
        stamp += ((worker.stat().st_mtime_ns, worker.stat().st_size),)
        with self._lock:
            if stamp == self._stamp:
                return
            files = {url: load_file(url, path) for url, path in sources.items()}
            worker_source = worker.read_bytes()
            digest = hashlib.sha256(worker_source)
            for url, item in files.items():
                digest.update(f"\n{url} {item.sha256}".encode())
            version = digest.hexdigest()[:16]
            self._files, self.version, self._stamp = files, version, stamp
            self._worker = worker_source.replace(VERSION_TOKEN.encode(), version.encode())

    def file(self, url: str) -> ShellFile | None:
        self.refresh()
        return self._files.get(url)

    def worker(self) -> ShellFile:
        """Return sw.js with the shell version written into it."""
        self.refresh()
        return load_file_from_bytes("/sw.js", self._worker, "text/javascript")

    def manifest(self) -> JSONObject:
        """Return the precache list: version, and every URL with its size and sha256."""
        self.refresh()
        entries = [{"url": f.url, "bytes": len(f.body), "sha256": f.sha256} for f in self._files.values()]
        return {"version": self.version, "total_bytes": sum(e["bytes"] for e in entries), "files": entries}

    def manifest_file(self) -> ShellFile:
        body = json.dumps(self.manifest(), separators=(",", ":")).encode()
        return load_file_from_bytes("/shell-manifest.json", body, "application/json")


def load_file_from_bytes(url: str, body: bytes, content_type: str) -> ShellFile:
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return ShellFile(
        url, body, packed if len(packed) < len(body) else None, content_type, hashlib.sha256(body).hexdigest()
    )
