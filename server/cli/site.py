"""The site a command works on: the app, built on first use, and one clear line for every setup mistake.

Commands that need no database (`check`, `--help`) never build the app, so a malformed DATABASE_URL
cannot stop them. Every other mistake a newcomer makes with the database (a URL that does not parse, a
PostgreSQL database not created yet, a SQLite folder that does not exist) ends in one line that says
what to do, never a traceback.
"""

from pathlib import Path
from typing import Any

import click
from flask import Flask
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from .. import create_app


def app_of(ctx: click.Context) -> Flask:
    """Return the app of this command line, building it on first use."""
    root = ctx.find_root()
    if root.obj is None:
        try:
            root.obj = create_app()
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:  # ImportError: a driver Kotoji lacks (MySQL)
            raise click.ClickException(url_problem(exc)) from None
        except ValueError as exc:  # a setting that is not a number, a public URL that is not an origin
            raise click.ClickException(f"a setting is not valid: {exc}") from None
    app: Flask = root.obj
    return app


def url_problem(exc: Exception) -> str:
    return (
        f"DATABASE_URL is not a database URL Kotoji can use ({exc}). Use sqlite:///path/to/file.sqlite3 "
        "or postgresql://user@host/database."
    )


def database_problem(exc: SQLAlchemyError, url: str) -> str:
    """Say in one line what is wrong with the database at `url` and what to do about it."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url_problem(exc)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        folder = Path(parsed.database).resolve().parent
        if not folder.is_dir():
            return f"cannot open the SQLite database {parsed.database}: the folder {folder} does not exist."
    if isinstance(exc, OperationalError) and "does not exist" in detail and parsed.get_backend_name() == "postgresql":
        return (
            f"{detail}. Create it first, e.g. `createdb -h {parsed.host or 'localhost'} {parsed.database}`, "
            "then run `manage.py upgrade`."
        )
    if "no such table" in detail or ("relation" in detail and "does not exist" in detail):
        return f"the database has no Kotoji tables yet ({detail}): run `manage.py upgrade` first."
    return f"the database at {parsed.render_as_string(hide_password=True)} cannot be used: {detail}"


class SiteCommands(click.Group):
    """The command group: database failures end in one line (`database_problem`), not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:  # what the command returns: click leaves it Any
        try:
            return super().invoke(ctx)
        except SQLAlchemyError as exc:
            url = ctx.obj.config["DATABASE_URL"] if ctx.obj is not None else ""
            raise click.ClickException(database_problem(exc, url)) from None
