"""Operator commands: create one (its token printed once), revoke one."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from backend.operators import services as operators
from backend.platform.access import OPERATOR_ROLES
from backend.platform.errors import DomainError


@click.command("create-operator")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([str(r) for r in OPERATOR_ROLES]))
@click.option("--department", help="department name (role department)")
@click.option("--market", "market_slug", help="market slug (role market)")
@click.option("--partner", "partner_name", help="partner name (role partner)")
@with_appcontext
def create_operator(name, role, department, market_slug, partner_name) -> None:
    """Create an operator and print its bearer token once (only a hash is kept)."""
    try:
        op, token = operators.create_operator(name, role, department=department, market_slug=market_slug,
                                              partner_name=partner_name, actor="cli")
    except DomainError as e:
        raise click.ClickException(e.message) from None
    click.echo(f"operator {op.id} ({role}) created; token (shown once):")
    click.echo(token)


@click.command("revoke-operator")
@click.argument("operator_id", type=int)
@with_appcontext
def revoke_operator(operator_id: int) -> None:
    """Revoke an operator's token."""
    try:
        operators.revoke_operator(operator_id, actor="cli")
    except DomainError as e:
        raise click.ClickException(e.message) from None
    click.echo(f"operator {operator_id} revoked")


commands = [create_operator, revoke_operator]
