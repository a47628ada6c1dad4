"""Shared fixtures: an app on a fresh, migrated, seeded database per test, on SQLite and PostgreSQL.

Every test that uses `app` runs once per database backend. The PostgreSQL run needs a server
(KOTOJI_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test); without one those
runs are skipped with the reason, unless KOTOJI_REQUIRE_POSTGRES=1 (CI), where they fail.

Browser tests run on the first backend only (KOTOJI_BROWSER_BACKENDS to choose): what they check is
what a person sees, which is the same on both; every read and write they rely on runs on both
backends in the API and domain tests, without a browser.
"""

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from server import create_app
from server.domain.models import Stop, User, Walk
from server.domain.publishing.publish import publish_walk
from server.domain.walks.bundles import read_bundles
from server.domain.walks.seeding import seed
from server.migrate import upgrade

from .basemap_walk import PATH, STOPS, WALK, RangeRequestHandler

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ROUTES_DIR = PROJECT_ROOT / "routes"
POSTGRES_URL = os.environ.get("KOTOJI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = os.environ.get("KOTOJI_TEST_BACKENDS", "sqlite,postgresql").split(",")
BROWSER_BACKENDS = os.environ.get("KOTOJI_BROWSER_BACKENDS", BACKENDS[0]).split(",")


def pytest_collection_modifyitems(config, items):
    """Leave out the browser tests' runs on the other backends (they show as deselected)."""
    other = [
        item
        for item in items
        if item.get_closest_marker("browser")
        and getattr(item, "callspec", None)
        and item.callspec.params.get("database_url", BROWSER_BACKENDS[0]) not in BROWSER_BACKENDS
    ]
    if other:
        config.hook.pytest_deselected(items=other)
        left_out = set(other)
        items[:] = [item for item in items if item not in left_out]


def _seeded(url: str, instance: Path) -> None:
    """Migrate and seed the database at `url` with the real walks of routes/."""
    upgrade(url)
    app = create_app({"DATABASE_URL": url})
    with app.extensions["db"].session() as session:
        seed(session, read_bundles(ROUTES_DIR))
        session.commit()
    app.extensions["db"].engine.dispose()


class Postgres:
    """Makes a database per test from a migrated, seeded template (CREATE DATABASE ... TEMPLATE).

    Copying the template costs the server about 0.2 s of CPU (0.75 s of waiting under load) and dropping
    a database waits for the server too: one background thread makes the next test's database while
    this test runs and drops each used one after it. A test never waits for a drop, and for a copy only
    when its predecessor took less time than the copy.
    """

    def __init__(self, admin_url: str):
        import psycopg

        self.psycopg = psycopg
        self.admin_url = admin_url
        self.template = f"kotoji_template_{os.getpid()}"
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases")
        self._next: Future[str] | None = None
        self._drops: list[Future[None]] = []

    def _execute(self, sql: str, connect_timeout: int = 30) -> None:
        # Generous: on a loaded machine with three test processes making and dropping databases, a new
        # connection can take seconds; only the first probe (is there a server at all?) is kept short.
        with self.psycopg.connect(self.admin_url, autocommit=True, connect_timeout=connect_timeout) as connection:
            connection.execute(sql)

    def url(self, name: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + name

    def create_template(self, instance: Path) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self._execute(f"CREATE DATABASE {self.template}")
        _seeded(self.url(self.template), instance)

    def create_database(self) -> str:
        name = f"kotoji_test_{uuid.uuid4().hex[:12]}"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        return name

    def drop_database(self, name: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def fresh_database(self) -> str:
        """Return a new copy of the template (made ahead, in the background) and start on the next one."""
        name = self._next.result() if self._next else self.create_database()
        self._next = self._background.submit(self.create_database)
        return name

    def release_database(self, name: str) -> None:
        """Drop `name` in the background: the test is done with it and every connection is closed."""
        self._drops.append(self._background.submit(self.drop_database, name))

    def close(self) -> None:
        """Drop what is left (the database made ahead, the template) once the background work is done."""
        self._background.shutdown(wait=True)
        for drop in self._drops:
            drop.result()  # a drop that failed fails here, not silently
        if self._next:
            self.drop_database(self._next.result())
        self.drop_database(self.template)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes():
    """Hash passwords with argon2id at its lowest cost: the tests check logins, not argon2's strength.

    Only this test process changes; the server keeps its parameters. The hash that unknown emails are
    checked against (to take as long as known ones) is made again with the same cheap hasher.
    """
    from argon2 import PasswordHasher

    from server.domain.accounts import sign_in, users

    patch = pytest.MonkeyPatch()
    patch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    patch.setattr(sign_in, "_NOBODY", User(password_hash=users.hash_password("only here for timing")))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    try:
        server = Postgres(POSTGRES_URL)
        server._execute("SELECT 1", connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: no server here
        reason = f"PostgreSQL tests skipped: no server at {POSTGRES_URL} ({type(exc).__name__}: {exc})".strip()
        if os.environ.get("KOTOJI_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " and KOTOJI_REQUIRE_POSTGRES=1")
        pytest.skip(reason)
    server.create_template(tmp_path_factory.mktemp("pg-template"))
    yield server
    server.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "kotoji.sqlite3"
    _seeded(f"sqlite:///{path}", folder)
    return path


@contextmanager
def _fresh_database(request, backend: str, folder: Path) -> Iterator[str]:
    """Yield the URL of a new database holding the seeded walks; drop it afterwards."""
    if backend == "sqlite":
        path = folder / "kotoji.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        server = request.getfixturevalue("postgres")
        name = server.fresh_database()
        yield server.url(name)
        server.release_database(name)


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh database holding the seeded walks, on each backend in turn."""
    with _fresh_database(request, request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(request, tmp_path_factory):
    """One fresh database for the tests of a module, on each backend in turn: for an expensive setup
    (app processes, nginx) that those tests share because none of them disturbs the others."""
    with _fresh_database(request, request.param, tmp_path_factory.mktemp("module-database")) as url:
        yield url


@pytest.fixture
def instance_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "instance"
    monkeypatch.setenv("KOTOJI_INSTANCE_PATH", str(path))
    return path


@pytest.fixture
def app(database_url, instance_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "PUBLICATION_CHECK_SECONDS": 0, "SESSION_COOKIE_SECURE": False}
    )
    yield app
    app.extensions["db"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    with app.extensions["db"].session() as session:
        yield session


@pytest.fixture
def manage(app):
    """Run manage.py commands against the test app's database: manage("check") -> click Result."""
    import manage as manage_module

    def run(*args, input=None):
        return CliRunner().invoke(manage_module.cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


class LiveServer:
    """The app on a real port in a background thread; `stop()` takes it off the network."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # shutdown() waits for the loop to look at its flag: every 0.5 s by default, 0.25 s lost per test.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def stop(self):
        if self._thread.is_alive():
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)


@pytest.fixture
def live_server(app):
    server = LiveServer(app)
    yield server
    server.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    # Lets Playwright see (and tests route) requests made by service workers too.
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: install Debian's chromium (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_context(browser, live_server):
    """A fresh browser profile whose every request outside 127.0.0.1 fails the test."""
    context = browser.new_context(base_url=live_server.url, service_workers="allow")
    escaped = []

    def refuse_other_hosts(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            escaped.append(url)
            route.abort()

    context.route("**/*", refuse_other_hosts)
    yield context
    context.close()
    assert not escaped, f"requests left 127.0.0.1: {escaped}"


# The basemap: a synthetic planet behind a Range-capable server, a published walk, an installed extract.


@pytest.fixture(scope="session")
def planet_dir(tmp_path_factory) -> Path:
    from .basemap_planet import make_planet

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
    walk = Walk(
        slug=WALK,
        city="Gent",
        country="BE",
        default_language="nl",
        languages=["nl", "en"],
        title={"nl": "Proefwandeling", "en": "Test walk"},
        intro={},
        path=PATH,
        status="published",
    )
    for n, (lat, lon) in enumerate(STOPS, start=1):
        walk.stops.append(
            Stop(slug=f"stop-{n}", position=n, lat=lat, lon=lon, name={"nl": f"Halte {n}"}, status="published")
        )
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
