"""Kill the server process (SIGKILL) while an import is writing: the database stays intact and unchanged."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.slow  # starts the app in a process of its own, then kills it
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVE = (
    "import sys; from werkzeug.serving import run_simple; from server import create_app; "
    "run_simple('127.0.0.1', int(sys.argv[1]), create_app({'SESSION_COOKIE_SECURE': False}))"
)
FEATURES = 3000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def big_import() -> bytes:
    features = [
        {
            "type": "Feature",
            "id": f"crash-{n}",
            "geometry": {"type": "Point", "coordinates": [round(3.72 + n * 1e-6, 6), 51.055]},
            "properties": {"name": {"nl": f"Stop {n}", "en": f"Stop {n}"}, "summary": {"en": "x" * 200}},
        }
        for n in range(FEATURES)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def multipart(fields: dict, file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/geo+json\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def contents(url: str) -> dict:
    """Every row of the tables an import touches, to compare before and after."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return {
                table: sorted(map(repr, connection.execute(text(f"SELECT * FROM {table}")).all()))
                for table in ("walks", "stops", "revisions", "audit_events", "media")
            }
    finally:
        engine.dispose()


class WriteWatcher:
    """Tells when another connection holds an open write transaction on the database."""

    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite"):
            self.connection = sqlite3.connect(url.split("sqlite:///", 1)[1], timeout=0, isolation_level=None)
        else:
            import psycopg

            self.connection = psycopg.connect(url, autocommit=True)

    def writing(self) -> bool:
        if self.url.startswith("sqlite"):
            try:
                self.connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True  # "database is locked": the import holds the write lock
            self.connection.execute("ROLLBACK")
            return False
        return (
            self.connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
            ).fetchone()[0]
            > 0
        )

    def close(self):
        self.connection.close()


@pytest.fixture
def server_process(app, accounts, test_walk):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": app.config["DATABASE_URL"]},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/editor/login", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield process, base
    if process.poll() is None:
        process.kill()
    process.wait(10)


def test_killing_the_server_mid_import_leaves_the_database_intact_and_unchanged(app, accounts, server_process):
    process, base = server_process
    url = app.config["DATABASE_URL"]
    app.extensions["db"].engine.dispose()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/editor/login").read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    login = urllib.parse.urlencode(
        {"email": accounts["editor"], "password": "correct horse battery staple", "csrf_token": token}
    ).encode()
    opener.open(f"{base}/editor/login", login)
    page = opener.open(f"{base}/editor/walks/test-walk").read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    before = contents(url)

    body, content_type = multipart({"csrf_token": token}, "crash.geojson", big_import())
    request = urllib.request.Request(
        f"{base}/editor/walks/test-walk/import", data=body, headers={"Content-Type": content_type}
    )
    outcome = {}

    def send():
        try:
            outcome["status"] = opener.open(request, timeout=120).status
        except Exception as exc:  # the server dies under it: that is the point
            outcome["error"] = exc

    sender = threading.Thread(target=send)
    sender.start()
    watcher = WriteWatcher(url)
    try:
        caught_writing = False
        for _ in range(20000):
            if watcher.writing():
                caught_writing = True
                break
            if not sender.is_alive():
                break
            time.sleep(0.002)
        time.sleep(0.2)  # let the import write a good part of its rows
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        watcher.close()
    sender.join(30)
    assert caught_writing, f"the import was never seen writing (outcome: {outcome})"
    assert "status" not in outcome, "the import finished before the kill; make it larger"
    assert contents(url) == before
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.split("sqlite:///", 1)[1])
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        connection.close()
