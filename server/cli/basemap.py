"""`manage.py basemap ...`: cut, install and describe the offline basemap (OpenStreetMap vector tiles)."""

import os
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import click
from flask import Flask

from ..config import basemap_folder
from ..domain.basemap.extract import extract_basemap
from ..domain.basemap.install import install_basemap
from ..domain.basemap.installed import archive_path, installed_basemap, walk_basemap, walk_lines
from ..domain.errors import DomainError
from ..domain.walks.lookup import get_walk, list_walks
from .site import app_of


def default_source() -> str:
    """Return the source archive: $KOTOJI_BASEMAP_SOURCE, else yesterday's Protomaps daily planet build."""
    # Protomaps publishes a planet build every day and keeps the recent ones; yesterday's is complete.
    yesterday = date.today() - timedelta(days=1)
    return os.environ.get("KOTOJI_BASEMAP_SOURCE") or f"https://build.protomaps.com/{yesterday:%Y%m%d}.pmtiles"


@click.group("basemap")
def basemap() -> None:
    """The offline basemap: OpenStreetMap vector tiles along the walks (© OpenStreetMap contributors, ODbL)."""


@basemap.command("extract")
@click.option("--walk", "walks", multiple=True, help="walk slug (repeatable)  [default: every walk]")
@click.option(
    "--source",
    default=None,
    help="PMTiles URL or file  [default: $KOTOJI_BASEMAP_SOURCE or yesterday's Protomaps daily build]",
)
@click.option("--minzoom", default=12, show_default=True, type=click.IntRange(0, 20))
@click.option("--maxzoom", default=15, show_default=True, type=click.IntRange(0, 20))
@click.option(
    "--buffer-m",
    default=500,
    show_default=True,
    type=click.IntRange(0, 5000),
    help="metres of map on each side of the path and around each stop",
)
@click.option("--install/--no-install", default=True, show_default=True, help="install the extract when done")
@click.pass_context
def extract_command(
    ctx: click.Context,
    walks: tuple[str, ...],
    source: str | None,
    minzoom: int,
    maxzoom: int,
    buffer_m: int,
    install: bool,
) -> None:
    """Cut the tiles along the walks out of a planet archive (HTTP range requests) into the instance folder."""
    app = app_of(ctx)
    source = source or default_source()
    with app.extensions["db"].session() as session:
        try:
            chosen = [get_walk(session, slug) for slug in walks] if walks else list_walks(session)
            lines = {walk.slug: walk_lines(walk) for walk in chosen if walk.path}
            click.echo(
                f"Cutting {', '.join(lines) or 'nothing'} (zoom {minzoom}-{maxzoom}, {buffer_m} m "
                f"either side) out of {source}"
            )
            report = extract_basemap(
                source,
                lines,
                basemap_folder(app),
                minzoom,
                maxzoom,
                buffer_m,
                progress=lambda length, label: click.progressbar(length=length, label=label),
            )
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
    per_zoom = ", ".join(f"z{z}: {n}" for z, n in report.tiles_per_zoom.items())
    click.echo(
        f"Wrote {report.path} ({_size(report.bytes)}; {sum(report.tiles_per_zoom.values())} tiles: "
        f"{per_zoom}) in {report.seconds:.1f} s, reading {_size(report.bytes_transferred)} "
        f"in {report.requests} requests."
    )
    if install:
        _install(app, report.path)


@basemap.command("install")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def install_command(ctx: click.Context, file: Path) -> None:
    """Check FILE (a PMTiles vector extract) completely, then make it the basemap and republish the walks."""
    _install(app_of(ctx), file)


def _install(app: Flask, file: Path) -> None:
    with app.extensions["db"].session() as session:
        try:
            installed = install_basemap(session, file, basemap_folder(app))
        except DomainError as exc:
            raise click.ClickException(f"{exc.message} The installed basemap was left as it was.") from exc
        session.commit()
    click.echo(
        f"Installed basemap {installed['version']} ({installed['file']}); published walks now list "
        f"its tiles in their offline manifests."
    )


@basemap.command("info")
@click.pass_context
def info_command(ctx: click.Context) -> None:
    """Say which basemap is installed: its file, area, zooms, size and the tiles each walk takes along."""
    app = app_of(ctx)
    with app.extensions["db"].session() as session:
        installed = installed_basemap(session)
        if installed is None:
            click.echo(
                "No basemap is installed: maps show the route on a plain background. "
                "Run `manage.py basemap extract` (or `basemap install FILE`)."
            )
            return
        extra = installed["kotoji"]
        path = archive_path(basemap_folder(app), installed["version"])
        click.echo(f"Basemap {installed['version']}: {installed['file']} ({_size(extra['bytes'])})")
        click.echo(
            f"  file on this instance: {path if path else 'not yet (copied from the database at the first tile)'}"
        )
        click.echo(f"  area: {_area(installed['bounds'])}")
        click.echo(
            f"  zooms {installed['minzoom']}-{installed['maxzoom']}: "
            + ", ".join(f"z{z}: {n} tiles" for z, n in extra["tiles_per_zoom"].items())
        )
        click.echo(
            f"  cut for {', '.join(extra['walks']) or '(unknown walks)'} with {extra['buffer_m']} m "
            f"either side, from {extra['source'] or '(unknown source)'}; installed {extra['installed_at']}"
        )
        for walk in list_walks(session):
            if walk.status != "published":
                continue
            summary, _ = walk_basemap(session, walk)
            click.echo(
                f"  {walk.slug}: "
                + (
                    f"{summary['tile_count']} tiles, {_size(summary['bytes'])} offline, "
                    f"map area {_area(summary['bounds'])}"
                    if summary
                    else "no tiles along this walk (plain background)"
                )
            )


def _area(bounds: Sequence[float]) -> str:
    west, south, east, north = bounds
    return f"west {west:.5f}, south {south:.5f}, east {east:.5f}, north {north:.5f}"


def _size(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"
