"""信易贷 commands for the credit office: register a bank, create one of its operators (token printed once)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from backend.banks import registry
from backend.platform.errors import DomainError


@click.command("register-bank")
@click.option("--name", required=True)
@click.option("--uscc", required=True, help="统一社会信用代码")
@click.option("--licence", "licence_no", required=True, help="金融许可证 number (机构编码)")
@with_appcontext
def register_bank(name: str, uscc: str, licence_no: str) -> None:
    """Register a bank and print its id."""
    try:
        bank = registry.register_bank(name, uscc, licence_no, actor="cli")
    except DomainError as e:
        raise click.ClickException(e.message) from None
    click.echo(f"bank {bank.id} registered: {bank.name} ({bank.uscc})")


@click.command("create-bank-operator")
@click.argument("bank_id", type=int)
@click.option("--name", required=True)
@with_appcontext
def create_bank_operator(bank_id: int, name: str) -> None:
    """Create an operator (role bank) for the bank and print its bearer token once (only a hash is kept)."""
    try:
        op, token = registry.create_bank_operator(bank_id, name, actor="cli")
    except DomainError as e:
        raise click.ClickException(e.message) from None
    click.echo(f"operator {op.id} (bank {bank_id}) created; token (shown once):")
    click.echo(token)


commands = [register_bank, create_bank_operator]
