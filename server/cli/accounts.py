"""`manage.py create-user | unlock-user`: staff accounts from the server's shell (the break-glass path)."""

import click

from ..domain.accounts.login_limits import unlock_account
from ..domain.accounts.users import create_user
from ..domain.errors import DomainError
from ..domain.models import ROLES
from .site import app_of


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--role", type=click.Choice(ROLES), default="admin", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, envvar="KOTOJI_NEW_USER_PASSWORD")
@click.pass_context
def create_user_command(ctx: click.Context, email: str, role: str, password: str) -> None:
    """Create a staff account (the first one is how an admin comes to exist)."""
    with app_of(ctx).extensions["db"].session() as session:
        try:
            user = create_user(session, email, password, role)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        session.commit()
        click.echo(f"Created {user.role} {user.email}.")


@click.command("unlock-user")
@click.option("--email", required=True)
@click.pass_context
def unlock_user_command(ctx: click.Context, email: str) -> None:
    """Clear the login limits of an account and of its browsers (break-glass; recorded in the audit log)."""
    with app_of(ctx).extensions["db"].session() as session:
        try:
            cleared = unlock_account(session, email, by="manage.py unlock-user")
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        session.commit()
    click.echo(f"Cleared the login limits of {email.strip().lower()} and its browsers ({cleared} counter(s)).")
