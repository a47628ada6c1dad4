"""`manage.py upgrade | check | seed | export`: the database schema and the walks as bundles."""

from pathlib import Path

import click
from flask import Flask

from ..config import routes_folder
from ..domain.errors import DomainError
from ..domain.walks.bundles import BundleError, bundle_warnings, check_bundles, read_bundles, write_bundle
from ..domain.walks.seeding import export_walk, seed
from ..migrate import upgrade
from .site import app_of


@click.command("upgrade")
@click.pass_context
def upgrade_command(ctx: click.Context) -> None:
    """Create the database or bring its schema up to date."""
    upgrade(app_of(ctx).config["DATABASE_URL"])
    click.echo("Database schema is up to date.")


@click.command("check")
@click.argument("routes_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
def check_command(routes_dir: Path | None) -> None:
    """Validate the walk bundles (default: routes/); exit 1 listing every problem. Needs no database."""
    routes_dir = routes_dir or routes_folder()
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


@click.command("seed")
@click.argument("routes_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def seed_command(ctx: click.Context, routes_dir: Path | None) -> None:
    """Load the bundles whose walks are not in the database yet (safe to run again)."""
    seed_walks(app_of(ctx), routes_dir)


def seed_walks(app: Flask, routes_dir: Path | None = None) -> None:
    routes_dir = routes_dir or Path(app.config["ROUTES_DIR"])
    with app.extensions["db"].session() as session:
        try:
            loaded = seed(session, read_bundles(routes_dir))
        except BundleError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            raise click.ClickException("nothing was loaded: fix the bundles first (see `manage.py check`)") from None
        session.commit()
    click.echo(f"Loaded {', '.join(loaded)}." if loaded else "Every walk is already in the database.")


@click.command("export")
@click.argument("walk")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def export_command(ctx: click.Context, walk: str, folder: Path) -> None:
    """Write WALK (drafts and staff notes included) as a bundle into FOLDER/WALK."""
    # A bundle's folder carries the walk's slug (`check` insists), so `export gent-kanazawa out/`
    # writes out/gent-kanazawa/, which `check out/` and `seed out/` then read as they are.
    target = folder / walk
    with app_of(ctx).extensions["db"].session() as session:
        try:
            bundle = export_walk(session, walk, target)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
    write_bundle(bundle, target)
    click.echo(f"Wrote {walk} to {target}.")
