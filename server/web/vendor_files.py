"""The npm files the site serves at /vendor/<package>/<path>: an allow-list, nothing else.

node_modules holds far more than the browser needs (build scripts, tests, READMEs); only the
files named here are reachable. To serve another file, add it to VENDOR_FILES.
"""

from pathlib import Path

VENDOR_FILES = {
    # Leaflet's minified build (42 KB gzip): its ES module build is unminified (109 KB gzip) and
    # Kotoji has no bundler, so the page loads this one and pwa/js/leaflet.js hands it to modules.
    "leaflet": {"dist/leaflet.js", "dist/leaflet.css"},
    "protomaps-leaflet": {"dist/protomaps-leaflet.js"},
}

# The vendor files the PWA cannot start without: precached with the app shell.
SHELL_VENDOR_FILES = [
    ("leaflet", "dist/leaflet.js"),
    ("leaflet", "dist/leaflet.css"),
    # draws the offline basemap (pwa/js/basemap.js): needed with no network too
    ("protomaps-leaflet", "dist/protomaps-leaflet.js"),
]


def is_allowed(package: str, file_path: str) -> bool:
    return file_path in VENDOR_FILES.get(package, ())


def vendor_path(vendor_dir: Path, package: str, file_path: str) -> Path:
    """Return where an allow-listed file lives in node_modules (ValueError if not allowed)."""
    if not is_allowed(package, file_path):
        raise ValueError(f"{package}/{file_path} is not an allow-listed vendor file")
    return Path(vendor_dir) / package / file_path
