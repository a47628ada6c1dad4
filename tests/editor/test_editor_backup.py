"""`manage.py backup` and `restore`: a consistent copy of everything, checked, and a faithful restore."""

import sqlite3

from sqlalchemy import func, select

from server.domain.models import Revision, Stop, Walk
from server.domain.walks.lookup import stop_state


def snapshot(app):
    with app.extensions["db"].session() as session:
        stops = {f"{s.walk.slug}/{s.slug}": stop_state(s) for s in session.scalars(select(Stop))}
        return stops, session.scalar(select(func.count()).select_from(Revision))


def test_backup_then_restore_brings_back_exactly_what_was_there(app, manage, tmp_path):
    before = snapshot(app)
    target = tmp_path / "site.backup"
    result = manage("backup", target)
    assert result.exit_code == 0, result.output
    assert "checked" in result.output and target.stat().st_size > 0
    # Work happens after the backup: a stop changes, another walk disappears.
    with app.extensions["db"].session() as session:
        stop = session.scalars(select(Stop)).first()
        stop.name = {"nl": "Veranderd"}
        session.delete(session.scalars(select(Walk)).all()[-1])
        session.commit()
    assert snapshot(app) != before
    app.extensions["db"].engine.dispose()  # the site is stopped while it is restored
    result = manage("restore", target, "--yes")
    assert result.exit_code == 0, result.output
    assert snapshot(app) == before
    if app.config["DATABASE_URL"].startswith("sqlite"):
        path = app.config["DATABASE_URL"].split("sqlite:///", 1)[1]
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_refuses_to_overwrite_and_restore_refuses_a_damaged_file(app, manage, tmp_path):
    target = tmp_path / "site.backup"
    target.write_bytes(b"not a backup at all")
    assert manage("backup", target).exit_code != 0
    before = snapshot(app)
    app.extensions["db"].engine.dispose()
    result = manage("restore", target, "--yes")
    assert result.exit_code != 0
    assert snapshot(app) == before
