"""Signing-key commands: rotate the signer, make sure a first key exists (deploys)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from backend.keys.ring import ensure_signing_key, rotate


@click.command("rotate-signing-key")
@with_appcontext
def rotate_signing_key() -> None:
    """Start signing with a new key; the old one keeps verifying until its codes expire."""
    key = rotate(actor="cli")
    click.echo(f"new signing key {key.kid} is active")


@click.command("ensure-signing-key")
@with_appcontext
def ensure_signing_key_command() -> None:
    """Create the first signing key of a new database (does nothing when one exists); run after `flask db upgrade`."""
    made = ensure_signing_key(actor="cli")
    click.echo("first signing key created" if made else "a signing key exists already")


commands = [rotate_signing_key, ensure_signing_key_command]
