"""Backups of the whole site (walks, revisions, media, accounts): one file, checked after writing and restoring.

SQLite is copied with its online backup API (safe while the site runs); PostgreSQL with pg_dump in
its custom format, restored by pg_restore in a single transaction (all or nothing).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from .models import Media, Revision, Stop, User, Walk

COUNTED = {"walks": Walk, "stops": Stop, "revisions": Revision, "media": Media, "users": User}


class BackupError(Exception):
    """A backup or restore that could not be made or did not check out."""


def _sqlite_path(url: str) -> Path:
    return Path(url.split("sqlite:///", 1)[1])


def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _create_private(path: Path) -> None:
    """Create `path` empty, readable by its owner only (it will hold password hashes and every upload).

    sqlite3 and pg_dump write into the file and keep its mode; SQLite's -wal and -shm files take it too.
    """
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run([tool, *command[1:]], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _sqlite_integrity(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database ({exc})") from exc
    finally:
        connection.close()
    if verdict != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {verdict}")


def database_summary(url: str) -> dict[str, int]:
    """Return the row counts that say what a database holds (and prove it can be read)."""
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    )
    try:
        with engine.connect() as connection:
            if url.startswith("sqlite"):
                verdict = connection.execute(text("PRAGMA integrity_check")).scalar()
                if verdict != "ok":
                    raise BackupError(f"integrity check failed: {verdict}")
            return {
                name: connection.execute(select(func.count()).select_from(model)).scalar_one()
                for name, model in COUNTED.items()
            }
    finally:
        engine.dispose()


def backup_database(url: str, target: Path) -> dict[str, int]:
    """Write a consistent backup of the database at `url` to `target`; return what it holds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        _create_private(target)
    except FileExistsError:
        raise BackupError(f"{target} exists already; choose a new file name") from None
    try:
        return _write_backup(url, target)
    except BaseException:
        target.unlink(missing_ok=True)  # a failed backup leaves no file that could pass for one
        raise


def _write_backup(url: str, target: Path) -> dict[str, int]:
    if url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(url))
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
        _sqlite_integrity(target)
        return database_summary(f"sqlite:///{target}")
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", _libpq_url(url)])
    _run(["pg_restore", "--list", str(target)])  # proves the archive is complete and readable
    return database_summary(url)


def restore_database(url: str, source: Path) -> dict[str, int]:
    """Replace the database at `url` with the backup `source` (all or nothing); return what it holds."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    if url.startswith("sqlite"):
        _sqlite_integrity(source)
        if not _sqlite_path(url).exists():
            _create_private(_sqlite_path(url))  # restoring onto a new machine
        backup = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(url), timeout=30)
        try:
            backup.backup(live)  # the online API in reverse: page by page, under the database's own lock
        finally:
            live.close()
            backup.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={_libpq_url(url)}",
                str(source),
            ]
        )
    return database_summary(url)
