"""What the browser tests do with the tourist app: add media, wait for the worker, download a walk."""

import json
import struct
import wave
import zlib
from io import BytesIO

from server.domain.editing.saves import etag_of, save_stop
from server.domain.media import store_media
from server.domain.publishing.publish import publish_walk
from server.domain.walks.lookup import get_stop, get_walk

WALK = "gent-kanazawa"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
METRE_IN_DEGREES = 1 / 111_320


def published_stops(app):
    return json.loads(app.extensions["published_documents"].get(f"/api/walks/{WALK}/stops").body)["features"]


class Walker:
    """Moves the browser's position and waits until the app has taken each fix in."""

    def __init__(self, context, page):
        self.context, self.page, self.sent = context, page, 0

    def move(self, lon, lat, accuracy=8.0):
        self.context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": accuracy})
        self.sent += 1
        self.page.wait_for_function(
            "(n) => Number(document.querySelector('#walking').dataset.fixes || 0) >= n", arg=self.sent
        )

    def progress(self):
        return self.page.text_content("#progress")


def located(lon, lat, **options):
    """Browser context options for a phone standing at (lon, lat) that lets the app read its position."""
    return {"geolocation": {"longitude": lon, "latitude": lat}, "permissions": ["geolocation"], **options}


def tiny_png(rgb=(200, 40, 30), size=8) -> bytes:
    """Return a valid PNG of one colour (no imaging library needed)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def short_wav(seconds=0.5, rate=8000) -> bytes:
    """Return a mono 16-bit WAV of a quiet square tone."""
    buffer = BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(struct.pack("<h", 2000 if (i // 20) % 2 else -2000) for i in range(int(seconds * rate)))
        out.writeframes(frames)
    return buffer.getvalue()


def add_media_to_stop(app, stop_slug="belfort", walk=WALK) -> dict:
    """Give a stop an image and English audio through the domain layer, publish; return their URLs."""
    with app.extensions["db"].session() as session:
        image = store_media(session, tiny_png(), "image")
        audio = store_media(session, short_wav(), "audio")
        session.flush()
        stop = get_stop(session, walk, stop_slug)
        save_stop(
            session,
            stop,
            {
                "images": [
                    {
                        "media": f"{image.sha256}.png",
                        "credit": "Kotoji tests",
                        "alt": {"nl": "Een rood vierkant", "en": "A red square", "ja": "赤い四角"},
                    }
                ],
                "audio": {"en": {"media": f"{audio.sha256}.wav", "transcript": "A short tone for the test."}},
            },
            etag_of(stop),
            None,
            "test media",
        )
        publish_walk(session, walk, None)
        session.commit()
        return {"image": f"/media/{image.sha256}.png", "audio": f"/media/{audio.sha256}.wav"}


def rename_stop_and_publish(app, stop_slug, names: dict, walk=WALK) -> int:
    """Change a stop's name, publish the walk again and return the new version."""
    with app.extensions["db"].session() as session:
        stop = get_stop(session, walk, stop_slug)
        save_stop(session, stop, {"name": {**stop.name, **names}}, etag_of(stop), None, "test rename")
        version = publish_walk(session, walk, None)
        session.commit()
        return version


def walk_version(app, walk=WALK) -> int:
    with app.extensions["db"].session() as session:
        return get_walk(session, walk).version


def open_app(context, path="/"):
    """Open the app and wait until its service worker controls the page."""
    page = context.new_page()
    page.goto(path)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15000)
    return page


def wait_for_map(page, markers):
    page.wait_for_selector("#map[data-drawn='true']")
    page.wait_for_function("(n) => document.querySelectorAll('#map .stop-marker').length === n", arg=markers)


def open_walk(app, context):
    """Open the walk's screen and wait until its map shows every published stop."""
    page = open_app(context, f"/#/walk/{WALK}")
    wait_for_map(page, len(published_stops(app)))
    return page


def download_walk(page):
    """Download the walk shown and wait until the app says it is available offline."""
    page.wait_for_selector("#download-walk:not([hidden])")
    page.click("#download-walk")
    page.wait_for_selector("#download-status[data-state='available']", timeout=20000)


def add_audio_to_stop(app, stop_slug, seconds=20.0, languages=("en",), walk=WALK) -> dict:
    """Give a stop audio of `seconds` in each language through the domain layer, publish; return URLs."""
    urls = {}
    with app.extensions["db"].session() as session:
        audio = {}
        for number, lang in enumerate(languages):
            stored = store_media(session, short_wav(seconds + number * 0.25), "audio")  # one file per language
            audio[lang] = {"media": f"{stored.sha256}.wav", "transcript": f"{stop_slug} in {lang}"}
            urls[lang] = f"/media/{stored.sha256}.wav"
        session.flush()
        stop = get_stop(session, walk, stop_slug)
        save_stop(session, stop, {"audio": audio}, etag_of(stop), None, "test audio")
        publish_walk(session, walk, None)
        session.commit()
    return urls


def record_vibrations(context):
    """Make navigator.vibrate note each pattern in window.kotojiTestVibrations (read by tests)."""
    context.add_init_script("""
        window.kotojiTestVibrations = [];
        navigator.vibrate = (pattern) => { window.kotojiTestVibrations.push(pattern); return true; };
    """)


# A position source the test drives (Chromium's emulation cannot send an error after fixes).
FAKE_GEOLOCATION = """
    (() => {
      const watchers = new Map();
      let next = 1;
      navigator.geolocation.watchPosition = (success, failure, options) => {
        watchers.set(next, { success, failure, options });
        return next++;
      };
      navigator.geolocation.clearWatch = (id) => watchers.delete(id);
      window.kotojiTestGeolocation = {
        fix: (longitude, latitude, accuracy = 8) => watchers.forEach(({ success }) =>
          success({ coords: { longitude, latitude, accuracy }, timestamp: Date.now() })),
        fail: (code) => watchers.forEach(({ failure }) => failure({ code, message: 'test' })),
        watching: () => watchers.size,
        options: () => [...watchers.values()].map((w) => w.options),
      };
    })();
"""

# A screen wake lock that counts what is held.
FAKE_WAKE_LOCK = """
    window.kotojiTestWakeLock = { held: 0 };
    Object.defineProperty(navigator, 'wakeLock', { configurable: true, value: { request: async () => {
      const sentinel = new EventTarget();
      window.kotojiTestWakeLock.held += 1;
      sentinel.release = async () => {
        window.kotojiTestWakeLock.held -= 1;
        sentinel.dispatchEvent(new Event('release'));
      };
      return sentinel;
    } } });
"""
