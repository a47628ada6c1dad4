"""`manage.py serve`: Granian in front of the app, after creating and seeding an empty database."""

import errno
import os
import socket
import sys
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from ..config import PROJECT_ROOT
from ..domain.models import Walk
from ..migrate import upgrade
from ..public_url import is_loopback
from .site import app_of, database_problem
from .walks import seed_walks

# One logging setup for Granian, its access log and the app's own loggers (the root logger).
LOGGING_CONFIG = Path(__file__).with_name("logging.json")
# One line per request: when, who, what, the answer and how long it took (ms).
ACCESS_LOG_FORMAT = '[%(time)s] %(addr)s "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1f'


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="processes  [default: 1]")
@click.option(
    "--access-log/--no-access-log", default=True, show_default=True, help="a line per request on standard output"
)
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, workers: int | None, access_log: bool) -> None:
    """Serve with Granian (a production server), creating and seeding an empty database first."""
    app = app_of(ctx)
    if not app.config["PUBLIC_URL"] and not is_loopback(host):
        # Reachable from elsewhere, links and QR codes need the site's real address, never a Host header.
        raise click.ClickException(
            f"set KOTOJI_PUBLIC_URL (such as https://walks.gent.be) to serve on {host}: "
            "links, QR codes and GPX files are built from it"
        )
    refuse_a_taken_port(host, port)
    try:
        upgrade(app.config["DATABASE_URL"])
        with app.extensions["db"].session() as session:
            empty = session.scalar(select(Walk.id).limit(1)) is None
        if empty:
            seed_walks(app)
    except OperationalError as exc:
        # Serve anyway: every request answers a clear 503 until the database is back.
        click.echo(
            f"warning: {database_problem(exc, app.config['DATABASE_URL'])} Serving 503 until it answers.", err=True
        )
    app.extensions["db"].engine.dispose()  # workers open their own connections after fork
    click.echo(f"Kotoji is running on http://{host}:{port}/ (Ctrl-C stops it)")
    run_granian("server:create_app", host, port, workers, access_log=access_log)


def refuse_a_taken_port(host: str, port: int) -> None:
    """Say in one line that the port is taken, rather than letting a second server share it.

    Granian listens with SO_REUSEPORT, so a second Kotoji on the same port would start without a word
    and the kernel would split requests between the old code and the new. A plain bind finds out first.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"port {port} on {host} is in use (another Kotoji still running, or "
                    "another program): stop it, or choose another with --port"
                ) from None
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def run_granian(target: str, host: str, port: int, workers: int | None, access_log: bool = False) -> None:
    """Become a Granian server for the WSGI app factory `target` (bench/serve_stops.py measures this)."""
    # One worker by default: the hot public URLs cost microseconds of Python each, so one process
    # keeps up with what the box can send while the pool stays small (bench/README.md has figures).
    # RSGI, not WSGI: server/request_buffering.py reads each body on the event loop before a thread
    # runs the app, so slow clients cannot hold the app's threads (KOTOJI_APP_THREADS, default 4).
    # exec, so the server's main process holds Granian only, not the app this command has loaded.
    os.environ["KOTOJI_WSGI_FACTORY"] = target
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "rsgi",
        "--factory",
        "--no-ws",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers or 1),
        "--backlog",
        "2048",
        "--respawn-failed-workers",
        "--log-config",
        str(LOGGING_CONFIG),
        *(["--access-log", "--access-log-fmt", ACCESS_LOG_FORMAT] if access_log else []),
        "--working-dir",
        str(PROJECT_ROOT),
        "server.request_buffering:create_gateway",
    ]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)
