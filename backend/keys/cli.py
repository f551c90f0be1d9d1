"""Signing-key commands: rotate the signer, make sure a first key exists (deploys)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from backend.keys.ring import ensure_signing_key, rotate


@click.command("rotate-signing-key")
@click.option("--compromised", is_flag=True,
              help="the old key leaked: drop it at once instead of letting its codes expire")
@with_appcontext
def rotate_signing_key(compromised: bool) -> None:
    """Start signing with a new key; the old one keeps verifying until its codes expire (unless --compromised)."""
    key = rotate(actor="cli", compromised=compromised)
    dropped = "; the old key verifies nothing from now on (other workers: within KEYRING_REFRESH_SECONDS)"
    click.echo(f"new signing key {key.kid} is active" + (dropped if compromised else ""))


@click.command("ensure-signing-key")
@with_appcontext
def ensure_signing_key_command() -> None:
    """Create the first signing key of a new database (does nothing when one exists); run after `flask db upgrade`."""
    made = ensure_signing_key(actor="cli")
    click.echo("first signing key created" if made else "a signing key exists already")


commands = [rotate_signing_key, ensure_signing_key_command]
