#!/usr/bin/env python3
"""Kotoji's command line: every operator task (setup, seed, import/export, users, serving)."""

import os
import sys
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from server import create_app
from server.backup_commands import backup, restore
from server.basemap_commands import basemap
from server.domain.accounts.users import create_user
from server.domain.walks.bundles import BundleError, bundle_warnings, check_bundles, read_bundles, write_bundle
from server.domain.errors import DomainError
from server.domain.models import ROLES, Walk
from server.domain.walks.seeding import export_walk, seed
from server.migrate import upgrade


@click.group()
@click.pass_context
def cli(ctx):
    """Manage a Kotoji site (settings come from DATABASE_URL, SECRET_KEY, KOTOJI_INSTANCE_PATH)."""
    ctx.obj = create_app()


def _session(ctx):
    return ctx.obj.extensions["db"].session()


@cli.command("upgrade")
@click.pass_context
def upgrade_command(ctx):
    """Create the database or bring its schema up to date."""
    upgrade(ctx.obj.config["DATABASE_URL"])
    click.echo("Database schema is up to date.")


cli.add_command(upgrade_command, "init-db")


@cli.command("check")
@click.argument("routes_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def check_command(ctx, routes_dir):
    """Validate the walk bundles (default: routes/); exit 1 listing every problem."""
    routes_dir = routes_dir or Path(ctx.obj.config["ROUTES_DIR"])
    try:
        bundles = read_bundles(routes_dir)
        problems = check_bundles(bundles)
    except BundleError as exc:
        problems = exc.problems
        bundles = []
    if problems:
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"{len(problems)} problem(s) in {routes_dir}")
    if not bundles:
        raise click.ClickException(f"no bundles (folders with a walk.json) in {routes_dir}")
    for warning in bundle_warnings(bundles):
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{len(bundles)} bundle(s) OK: {', '.join(b.slug for b in bundles)}")


@cli.command("seed")
@click.argument("routes_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def seed_command(ctx, routes_dir):
    """Load the bundles whose walks are not in the database yet (safe to run again)."""
    _seed(ctx.obj, routes_dir)


def _seed(app, routes_dir=None):
    routes_dir = routes_dir or Path(app.config["ROUTES_DIR"])
    with app.extensions["db"].session() as session:
        try:
            loaded = seed(session, read_bundles(routes_dir))
        except BundleError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            raise click.ClickException("nothing was loaded: fix the bundles first (see `manage.py check`)")
        session.commit()
    click.echo(f"Loaded {', '.join(loaded)}." if loaded else "Every walk is already in the database.")


@cli.command("export")
@click.argument("walk")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def export_command(ctx, walk, folder):
    """Write WALK (drafts and staff notes included) as a bundle into FOLDER."""
    with _session(ctx) as session:
        try:
            bundle = export_walk(session, walk, folder)
        except DomainError as exc:
            raise click.ClickException(exc.message)
    write_bundle(bundle, folder)
    click.echo(f"Wrote {walk} to {folder}.")


@cli.command("create-user")
@click.option("--email", prompt=True)
@click.option("--role", type=click.Choice(ROLES), default="admin", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              envvar="KOTOJI_NEW_USER_PASSWORD")
@click.pass_context
def create_user_command(ctx, email, role, password):
    """Create a staff account (the first one is how an admin comes to exist)."""
    with _session(ctx) as session:
        try:
            user = create_user(session, email, password, role)
        except DomainError as exc:
            raise click.ClickException(exc.message)
        session.commit()
        click.echo(f"Created {user.role} {user.email}.")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help="processes  [default: 1]")
@click.pass_context
def serve_command(ctx, host, port, workers):
    """Serve with Granian (a production WSGI server), creating and seeding an empty database first."""
    app = ctx.obj
    try:
        upgrade(app.config["DATABASE_URL"])
        with app.extensions["db"].session() as session:
            empty = session.scalar(select(Walk.id).limit(1)) is None
        if empty:
            _seed(app)
    except OperationalError as exc:
        # Serve anyway: every request answers a clear 503 until the database is back.
        click.echo(f"warning: the database is unreachable ({exc.orig}); serving 503 until it returns. "
                   "Run `manage.py upgrade` once it is back if this is a new database.", err=True)
    app.extensions["db"].engine.dispose()  # workers open their own connections after fork
    click.echo(f"Kotoji is running on http://{host}:{port}/")
    run_granian("server:create_app", host, port, workers)


def run_granian(target: str, host: str, port: int, workers: int | None) -> None:
    """Become a Granian server for the WSGI app factory `target` (bench/serve_stops.py measures this)."""
    # One worker by default: the hot public URLs cost microseconds of Python each, so one process
    # keeps up with what the box can send while the pool stays small (bench/README.md has figures).
    # exec, so the server's main process holds Granian only, not the app this command has loaded.
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--factory", "--no-ws",
               "--host", host, "--port", str(port), "--workers", str(workers or 1),
               "--blocking-threads", str(BLOCKING_THREADS), "--backlog", "2048", "--respawn-failed-workers",
               "--working-dir", str(Path(__file__).resolve().parent), target]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)


# Python threads per worker. They share one GIL; on the hot path 1, 2 and 4 measured the same CPU per
# request, and several keep slow requests (database, password hashing) from queueing the fast ones.
BLOCKING_THREADS = 4


cli.add_command(basemap)
cli.add_command(backup)
cli.add_command(restore)

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    cli()
