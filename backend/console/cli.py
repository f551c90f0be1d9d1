"""Console commands: set an operator's username and password sign-in (the TOTP secret printed once)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from backend.console import logins
from backend.platform.errors import DomainError


@click.command("set-console-login")
@click.argument("operator_id", type=int)
@click.argument("username")
@click.password_option(help="at least 12 characters (asked for twice when not given)")
@with_appcontext
def set_console_login(operator_id: int, username: str, password: str) -> None:
    """Let an operator sign in to /console with USERNAME, a password and a TOTP code; prints the TOTP secret once."""
    try:
        done = logins.set_login(operator_id, username, password, actor="cli")
    except DomainError as e:
        raise click.ClickException(e.message) from None
    click.echo(f"operator {operator_id} signs in to /console as {username}; TOTP secret (shown once):")
    click.echo(done["totp_secret"])
    click.echo(done["totp_uri"])


commands = [set_console_login]
