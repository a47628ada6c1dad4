"""Kotoji's command line, one module per group of commands; `manage.py` starts it.

- `walks`: upgrade (alias init-db), check, seed, export
- `accounts`: create-user, unlock-user
- `backups`: backup, restore
- `basemap`: basemap extract | install | info
- `serve`: the production server
"""

import click

from .accounts import create_user_command, unlock_user_command
from .backups import backup, restore
from .basemap import basemap
from .serve import serve_command
from .site import SiteCommands
from .walks import check_command, export_command, seed_command, upgrade_command


@click.group(cls=SiteCommands)
def cli() -> None:
    """Manage a Kotoji site (settings come from DATABASE_URL, SECRET_KEY, KOTOJI_INSTANCE_PATH)."""


for command in (
    upgrade_command,
    check_command,
    seed_command,
    export_command,
    create_user_command,
    unlock_user_command,
    backup,
    restore,
    basemap,
    serve_command,
):
    cli.add_command(command)
cli.add_command(upgrade_command, "init-db")
