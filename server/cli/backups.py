"""`manage.py backup` and `manage.py restore`: the whole site in one file, checked both ways."""

from pathlib import Path

import click

from ..domain.backups import BackupError, backup_database, restore_database
from .site import app_of


def _report(summary: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in summary.items())


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, target: Path) -> None:
    """Write a backup of the database to TARGET (SQLite online backup, or pg_dump), then check it."""
    try:
        summary = backup_database(app_of(ctx).config["DATABASE_URL"], target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {target} and checked: {_report(summary)}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@click.pass_context
def restore(ctx: click.Context, source: Path, yes: bool) -> None:
    """Replace the database with the backup SOURCE (stop the site first), then check it."""
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Continue?", abort=True)
    try:
        summary = restore_database(app_of(ctx).config["DATABASE_URL"], source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored from {source} and checked: {_report(summary)}.")
