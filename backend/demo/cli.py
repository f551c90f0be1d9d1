"""Development commands: demo data, and a fresh personal code for trying a scanner."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

import qr
from backend.credit import person_by_handle
from backend.demo.seed import seed_demo
from backend.keys import issue_code
from backend.platform.clock import local_time, now_ts
from backend.platform.errors import DomainError


@click.command("seed-demo")
@click.option("--json", "as_json", is_flag=True, help="print tokens, devices, residents and merchants as JSON")
@with_appcontext
def seed_demo_command(as_json: bool) -> None:
    """Create the demo markets, merchants, residents, partners and operators (idempotent; never in production).

    Every run issues new random tokens for the demo operators and devices and prints them this once;
    the previous run's tokens stop working. Exits 1 with APP_ENV=production.
    """
    try:
        result = seed_demo()
    except DomainError as e:
        raise click.ClickException(e.message) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"demo data ready: {len(result['merchants'])} merchants, {len(result['residents'])} residents, "
               f"{len(result['devices'])} scanner devices. New tokens (shown once; the previous ones no longer work):")
    for op in result["operators"]:
        click.echo(f"  operator {op['role']:<10} {op['token']}  {op['name']}")
    for device in result["devices"]:
        click.echo(f"  device   {device['scenario']:<10} {device['token']}  {device['partner']} {device['name']}")
    click.echo("`flask seed-demo --json` issues new ones with residents and merchants as JSON")


@click.command("issue-code")
@click.argument("handle")
@click.option("--png", "png", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="also write the code as a QR image to this PNG file")
@with_appcontext
def issue_code_command(handle: str, png: Path | None) -> None:
    """Print a fresh personal code for a resident and when it expires (demos, scanner testing)."""
    try:
        issued = issue_code(person_by_handle(handle))
    except DomainError as e:
        raise click.ClickException(e.message) from None
    click.echo(issued.token)
    expires = local_time(issued.expires_at).strftime("%Y-%m-%d %H:%M:%S")
    click.echo(f"expires at {expires} China time (in {issued.expires_at - now_ts()} s)", err=True)
    if png is not None:
        png.write_bytes(qr.render_png(issued.token))
        click.echo(f"QR image written to {png}", err=True)


commands = [seed_demo_command, issue_code_command]
