"""A database that answers but refuses (privileges revoked, a table missing, a damaged file) is an
outage like any other: 503 with Retry-After, JSON or a page, never a 500."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError, IntegrityError, InternalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from server import create_app
from server.domain.accounts.users import create_user

from ..editor.editor_helpers import PASSWORD, sign_in

UNSEEN_MEDIA = "/media/" + "0" * 64 + ".png"


def make_app(url):
    return create_app(
        {"TESTING": True, "DATABASE_URL": url, "PUBLICATION_CHECK_SECONDS": 0, "SESSION_COOKIE_SECURE": False}
    )


def signed_in_admin(app):
    with app.extensions["db"].session() as session:
        create_user(session, "admin@kotoji.test", PASSWORD, "admin")
        session.commit()
    client = app.test_client()
    assert sign_in(client, "admin@kotoji.test").status_code == 303
    return client


def assert_unavailable(response, what):
    assert response.status_code == 503, (what, response.status_code, response.data[:300])
    assert response.headers["Retry-After"], what


def assert_every_audience_gets_503(staff, public):
    """Staff pages (signed in), media, OGC and guide pages, as JSON and as pages for browsers."""
    html = {"Accept": "text/html"}
    for path in ("/editor/", "/editor/users", "/editor/walks/gent-kanazawa"):
        response = staff.get(path, headers=html)
        assert_unavailable(response, path)
        assert b"<html" in response.data.lower(), path
    assert_unavailable(staff.get("/editor/api/walks/gent-kanazawa"), "/editor/api/walks/gent-kanazawa")
    for path in (
        UNSEEN_MEDIA,
        "/ogc/collections?f=json",
        "/ogc/collections/gent-kanazawa/items",
        "/guide/plan.json?walk=gent-kanazawa",
        "/api/walks",
    ):
        response = public.get(path)  # as a script's fetch() asks: Accept */*
        assert_unavailable(response, path)
        assert response.json["error"] == "unavailable", path
    for path in ("/ogc/collections?f=html", "/guide/"):
        response = public.get(path, headers=html)
        assert_unavailable(response, path)
        assert b"try again" in response.data, path


def test_missing_tables_give_503_on_every_audience(app, database_url):
    staff = signed_in_admin(app)
    with app.extensions["db"].session() as session:
        for table in ("staff_sessions", "media", "published_documents"):
            session.execute(text(f"DROP TABLE {table}"))
        session.commit()
    fresh = make_app(database_url)  # a process that has not loaded the published documents yet
    assert_every_audience_gets_503(staff, fresh.test_client())
    fresh.extensions["db"].engine.dispose()


@pytest.fixture
def limited_role(postgres):
    """A database and a login role holding every table privilege, which the test may revoke."""
    name, role = postgres.create_database(), f"kotoji_app_{uuid.uuid4().hex[:8]}"
    postgres._execute(f"CREATE ROLE {role} LOGIN")
    import psycopg

    def privileges(statement: str):
        with psycopg.connect(postgres.url(name), autocommit=True) as connection:
            connection.execute(statement.format(role=role))

    privileges("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
    privileges("GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
    yield postgres.url(name).replace("postgres@", f"{role}@", 1), privileges
    postgres.drop_database(name)
    postgres._execute(f"DROP ROLE IF EXISTS {role}")


def test_revoked_privileges_give_503_then_recover_by_themselves(limited_role, instance_path):
    url, privileges = limited_role
    app = make_app(url)
    staff = signed_in_admin(app)
    privileges("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
    fresh = make_app(url)
    assert_every_audience_gets_503(staff, fresh.test_client())
    privileges("GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
    assert staff.get("/editor/users").status_code == 200
    assert fresh.test_client().get("/ogc/collections?f=json").status_code == 200
    for each in (app, fresh):
        each.extensions["db"].engine.dispose()


def test_a_damaged_sqlite_file_gives_503(sqlite_template, instance_path, tmp_path):
    import shutil

    path = tmp_path / "damaged.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    staff = signed_in_admin(app)
    app.extensions["db"].engine.dispose()  # the last connection checkpoints and removes the WAL
    path.write_bytes(b"this is not a database " * 4096)
    assert_every_audience_gets_503(staff, make_app(f"sqlite:///{path}").test_client())
    app.extensions["db"].engine.dispose()


@pytest.mark.parametrize(
    "error, status",
    [
        (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")), 500),  # a view expecting it answers 409
        (DataError("SELECT", {}, Exception("integer out of range")), 500),
        (ProgrammingError("SELECT", {}, Exception("permission denied for table media")), 503),
        (InternalError("SELECT", {}, Exception("cache lookup failed")), 503),
        (PoolTimeout("QueuePool limit reached"), 503),
    ],
)
def test_only_faults_of_the_database_itself_are_503(sqlite_template, instance_path, error, status):
    app = create_app({"DATABASE_URL": f"sqlite:///{sqlite_template}"})

    @app.get("/raise")
    def _raise():
        raise error

    response = app.test_client().get("/raise", headers={"Accept": "application/json"})
    assert response.status_code == status
    assert ("Retry-After" in response.headers) == (status == 503)
    app.extensions["db"].engine.dispose()
