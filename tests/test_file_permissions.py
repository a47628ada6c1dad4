"""The secret key, the SQLite database (with its -wal and -shm files) and backups are readable by their
owner only: they hold the session key, password hashes, staff notes and every upload."""

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from server import create_app
from server.migrate import upgrade


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    """The usual umask, under which files made with open()'s default mode are world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_secret_key_is_created_private_and_whole(tmp_path, monkeypatch, usual_umask):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setenv("KOTOJI_INSTANCE_PATH", str(instance))
    first = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}"})
    second = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}"})
    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600
    assert len(first.config["SECRET_KEY"]) == 64
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert sorted(p.name for p in instance.iterdir()) == ["secret_key"]  # no draft left behind
    for app in (first, second):
        app.extensions["db"].engine.dispose()


def test_a_new_sqlite_database_and_its_wal_files_are_private(tmp_path, instance_path, usual_umask):
    path = tmp_path / "new.sqlite3"
    upgrade(f"sqlite:///{path}")
    app = create_app({"DATABASE_URL": f"sqlite:///{path}"})
    with app.extensions["db"].engine.connect() as connection:
        connection.execute(text("CREATE TABLE probe (x)"))
        connection.commit()
        files = sorted(path.parent.glob("new.sqlite3*"))
        assert [f.name for f in files] == ["new.sqlite3", "new.sqlite3-shm", "new.sqlite3-wal"]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    app.extensions["db"].engine.dispose()


def test_a_backup_is_private(app, manage, tmp_path, usual_umask):
    target = tmp_path / "backups" / "site.backup"
    result = manage("backup", target)
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600


def test_a_restore_onto_a_new_machine_makes_a_private_database(app, manage, tmp_path, monkeypatch, usual_umask):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("PostgreSQL restores into a database the server owns")
    target = tmp_path / "site.backup"
    assert manage("backup", target).exit_code == 0
    new = tmp_path / "elsewhere" / "kotoji.sqlite3"
    new.parent.mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{new}")
    result = manage("restore", target, "--yes")
    assert result.exit_code == 0, result.output
    assert {f.name: mode(f) for f in new.parent.iterdir()} == {f.name: 0o600 for f in new.parent.iterdir()}


def test_a_failed_backup_leaves_no_file_behind(tmp_path, usual_umask):
    from server.domain.backups import backup_database

    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database " * 100)
    target = tmp_path / "site.backup"
    with pytest.raises(Exception, match="not a database"):
        backup_database(f"sqlite:///{damaged}", target)
    assert not target.exists()
