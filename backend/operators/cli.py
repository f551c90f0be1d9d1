"""Flask commands: keys, operators, audit log, demo data and codes."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.credit.cli import commands as credit_commands
from backend.platform.extensions import db
from backend.platform import audit
from backend.keys import codes, keyring as signing_keys
from backend.demo import seed as demo
from backend.operators import services as operators
from backend.platform.errors import DomainError


def fail(e: DomainError) -> None:
    click.echo(f"error: {e.message}", err=True)
    sys.exit(1)


@click.command("rotate-signing-key")
@with_appcontext
def rotate_signing_key() -> None:
    """Start signing with a new key; the old one keeps verifying until its codes expire."""
    key = signing_keys.rotate(actor="cli")
    click.echo(f"new signing key {key.kid} is active")


@click.command("create-operator")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "department", "market", "partner"]))
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
        fail(e)
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
        fail(e)
    click.echo(f"operator {operator_id} revoked")


@click.command("verify-audit-log")
@with_appcontext
def verify_audit_log() -> None:
    """Recompute the audit log's hash chain; exit 1 at the first altered or missing entry."""
    report = audit.verify_chain()
    if not report.ok:
        click.echo(f"audit log BROKEN after {report.checked} good entries: {report.problem}", err=True)
        sys.exit(1)
    click.echo(f"audit log intact: {report.checked} entries")


@click.command("seed-demo")
@click.option("--json", "as_json", is_flag=True, help="print tokens, devices, residents and merchants as JSON")
@with_appcontext
def seed_demo(as_json: bool) -> None:
    """Create the demo markets, merchants, residents, partners and operators (idempotent)."""
    result = demo.seed_demo()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(f"demo data ready: {len(result['merchants'])} merchants, {len(result['residents'])} residents, "
                   f"{len(result['devices'])} scanner devices; `flask seed-demo --json` prints tokens")


@click.command("issue-code")
@click.argument("handle")
@with_appcontext
def issue_code(handle: str) -> None:
    """Print a fresh personal code for a resident (demos, scanner testing)."""
    try:
        issued = codes.issue_code(codes.subject_by_handle(handle))
    except DomainError as e:
        fail(e)
    click.echo(issued.token)


@click.command("rotate-encryption-key")
@with_appcontext
def rotate_encryption_key() -> None:
    """Re-encrypt every encrypted column under the first KEY_ENCRYPTION_KEY (put the new key first)."""
    from backend.models import MpAccount, SigningKey, Subject
    from backend.platform.crypto import reencrypt

    count = 0
    for model, columns in ((Subject, ("name_enc", "resident_id_enc")), (SigningKey, ("private_key_enc",)),
                           (MpAccount, ("openid_enc", "session_key_enc"))):
        for row in db.session.execute(select(model)).scalars():
            for column in columns:
                if getattr(row, column):
                    setattr(row, column, reencrypt(getattr(row, column)))
                    count += 1
    audit.record("cli", "encryption_key.rotate", "platform", "-", details={"values": count})
    db.session.commit()
    click.echo(f"re-encrypted {count} values; the old key can be removed from KEY_ENCRYPTION_KEY")


commands = [rotate_signing_key, create_operator, revoke_operator, verify_audit_log, seed_demo, issue_code,
            rotate_encryption_key, *credit_commands]
