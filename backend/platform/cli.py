"""Platform commands: verify the audit log, re-encrypt every encrypted column under a new key."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.platform import audit
from backend.platform.crypto import reencrypt
from backend.platform.db import Base, db, use_case


def encrypted_columns() -> list[tuple[type, list[str]]]:
    """Every mapped class with the attribute names of its columns marked info={"encrypted": True}."""
    found = []
    for mapper in Base.registry.mappers:
        names = [attr.key for attr in mapper.column_attrs if any(c.info.get("encrypted") for c in attr.columns)]
        if names:
            found.append((mapper.class_, sorted(names)))
    return sorted(found, key=lambda item: item[0].__tablename__)


@use_case
def reencrypt_all(*, actor: str) -> int:
    """Re-encrypt every encrypted column under the newest key-encryption key; returns how many values."""
    count = 0
    for model, names in encrypted_columns():
        for row in db.session.execute(select(model)).scalars():
            for name in names:
                if getattr(row, name):
                    setattr(row, name, reencrypt(getattr(row, name)))
                    count += 1
    audit.record(actor, "encryption_key.rotate", "platform", "-", details={"values": count})
    return count


@click.command("verify-audit-log")
@with_appcontext
def verify_audit_log() -> None:
    """Recompute the audit log's hash chain; exit 1 at the first altered or missing entry."""
    report = audit.verify_chain()
    if not report.ok:
        click.echo(f"audit log BROKEN after {report.checked} good entries: {report.problem}", err=True)
        sys.exit(1)
    click.echo(f"audit log intact: {report.checked} entries")


@click.command("rotate-encryption-key")
@with_appcontext
def rotate_encryption_key() -> None:
    """Re-encrypt every encrypted column under the first KEY_ENCRYPTION_KEY (put the new key first)."""
    count = reencrypt_all(actor="cli")
    click.echo(f"re-encrypted {count} values; the old key can be removed from KEY_ENCRYPTION_KEY")


commands = [verify_audit_log, rotate_encryption_key]
