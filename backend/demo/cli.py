"""Development commands: demo data, and a fresh personal code for trying a scanner."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from backend.credit import person_by_handle
from backend.demo.seed import seed_demo
from backend.keys import issue_code
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
@with_appcontext
def issue_code_command(handle: str) -> None:
    """Print a fresh personal code for a resident (demos, scanner testing)."""
    try:
        issued = issue_code(person_by_handle(handle))
    except DomainError as e:
        raise click.ClickException(e.message) from None
    click.echo(issued.token)


commands = [seed_demo_command, issue_code_command]
