"""A newcomer's mistakes with the command line end in one clear line, never a traceback."""

import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs manage.py in a new Python process each time
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env=None, tmp_path: Path) -> subprocess.CompletedProcess:
    environment = {"PATH": "/usr/bin:/bin", "KOTOJI_INSTANCE_PATH": str(tmp_path / "instance"), **(env or {})}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("notaurl", "DATABASE_URL is not a database URL"),
        ("mysql://u@localhost/db", "DATABASE_URL is not a database URL"),
        ("sqlite:////nonexistent-kotoji-folder/x.sqlite3", "the folder /nonexistent-kotoji-folder does not exist"),
    ],
)
def test_a_bad_database_url_is_one_line(url, says, tmp_path):
    result = manage("upgrade", env={"DATABASE_URL": url}, tmp_path=tmp_path)
    assert result.returncode == 1
    assert says in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_check_needs_no_database(tmp_path):
    result = manage("check", env={"DATABASE_URL": "notaurl"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "bundle(s) OK" in result.stdout


def test_a_database_without_tables_says_to_upgrade(tmp_path):
    result = manage("seed", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "run `manage.py upgrade` first" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_postgresql_database_says_to_create_it(postgres, tmp_path):
    url = postgres.url("kotoji_no_such_database")
    result = manage("upgrade", env={"DATABASE_URL": url}, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "createdb" in result.stderr and "Traceback" not in result.stderr


def test_serving_on_a_port_in_use_says_so_instead_of_sharing_it(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = manage(
            "serve", "--port", str(port), env={"DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}"}, tmp_path=tmp_path
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "Traceback" not in result.stderr
