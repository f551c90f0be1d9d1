"""Platform commands: sign and verify the audit log, re-encrypt encrypted columns, the working-day calendar, jobs."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.platform import audit, calendar, calendar_entry
from backend.platform.audit_checkpoints import Kept, LogReport, newest, published, verify_log, write_checkpoint
from backend.platform.crypto import reencrypt
from backend.platform.db import Base, db, use_case
from backend.platform.errors import DomainError


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


def entries(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"


def describe(report: LogReport) -> str:
    """One line for an intact log: entries, what the newest checkpoint covers, the kept checkpoint."""
    text = f"audit log intact: {entries(report.checked)}"
    if report.signed_seq is None:
        text += "; no signed checkpoint yet (flask audit-checkpoint)"
    else:
        text += (f"; {report.checkpoints} signed checkpoints, the newest at entry {report.signed_seq} "
                 f"({report.signed_at:%Y-%m-%d %H:%M:%S} UTC)")
        if report.checked > report.signed_seq:
            text += f"; {entries(report.checked - report.signed_seq)} after it not signed yet"
    if report.kept_seq is not None:
        text += f"; matches the checkpoint you kept (entry {report.kept_seq})"
    return text


@click.command("verify-audit-log")
@click.option("--checkpoint", "kept_file", type=click.File("r"),
              help="a checkpoint you kept (the JSON of /.well-known/audit-checkpoint, or its token): the log "
                   "must still contain it, signed and matching the chain")
@with_appcontext
def verify_audit_log(kept_file) -> None:
    """Check the hash chain and every signed checkpoint; exit 1 at the first altered, missing, rewritten or
    truncated entry, or a checkpoint that does not verify."""
    try:
        kept = Kept.parse(kept_file.read()) if kept_file else None
    except ValueError as e:
        raise click.ClickException(f"{kept_file.name}: {e}") from None
    report = verify_log(kept)
    if not report.ok:
        click.echo(f"audit log BROKEN after {report.checked} good entries: {report.problem}", err=True)
        sys.exit(1)
    click.echo(describe(report))


@click.command("audit-checkpoint")
@click.option("--json", "as_json", is_flag=True, help="print the checkpoint document an auditor keeps")
@with_appcontext
def audit_checkpoint(as_json: bool) -> None:
    """Sign the audit log's head with the signing key (does nothing when the newest checkpoint covers it)."""
    before = newest()
    before_seq = before.seq if before else None
    try:
        row = write_checkpoint()
    except DomainError as e:
        raise click.ClickException(e.message) from None
    if row is None:
        click.echo("the audit log is empty: nothing to sign")
    elif as_json:
        doc = published(row)
        click.echo(json.dumps({**doc, "signed_at": doc["signed_at"].isoformat()}, ensure_ascii=False, indent=2))
    else:
        state = "already current" if row.seq == before_seq else "signed"
        click.echo(f"checkpoint at entry {row.seq} {state} (key {row.kid}, {row.signed_at:%Y-%m-%d %H:%M:%S} UTC)")


@click.command("rotate-encryption-key")
@with_appcontext
def rotate_encryption_key() -> None:
    """Re-encrypt every encrypted column under the first KEY_ENCRYPTION_KEY (put the new key first)."""
    count = reencrypt_all(actor="cli")
    click.echo(f"re-encrypted {count} values; the old key can be removed from KEY_ENCRYPTION_KEY")


@click.group("jobs")
def jobs_group() -> None:
    """The background job worker (backend/platform/jobs.py)."""


@jobs_group.command("worker")
@click.option("--threads", default=2, show_default=True, help="jobs run at once in this process")
@with_appcontext
def jobs_worker(threads: int) -> None:
    """Run queued jobs and the periodic ones (audit checkpoints …) until interrupted (Ctrl-C or TERM)."""
    from flask import current_app
    from huey.consumer import Consumer

    huey = current_app.extensions["huey"]
    if huey.immediate:
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs already run inside the request")
    click.echo(f"job worker: {threads} thread(s), queue {type(huey).__name__}", err=True)
    Consumer(huey, workers=threads, worker_type="thread", periodic=True).run()


@click.group("calendar")
def calendar_group() -> None:
    """The working-day calendar (backend/platform/calendar.py): holidays and adjusted working days by year."""


@calendar_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--source", required=True, help="where the days come from, e.g. the State Council notice's number")
@with_appcontext
def calendar_import(file, source: str) -> None:
    """Replace each year in FILE (CSV: date,kind,name; kind holiday|workday or 法定节假日|调休上班日)."""
    try:
        by_year = calendar_entry.parse_days_csv(file.read())
        for year, days in sorted(by_year.items()):
            count = calendar_entry.put_year(year, days, source=source, actor="cli")
            click.echo(f"{year}: {count} days entered")
    except (DomainError, ValueError) as e:
        raise click.ClickException(getattr(e, "message", str(e))) from None


@calendar_group.command("seed")
@with_appcontext
def calendar_seed() -> None:
    """Enter every year the chinesecalendar package knows and the database does not have yet."""
    for year in calendar_entry.seed_from_package(actor="cli"):
        click.echo(f"{year}: entered from chinesecalendar")
    click.echo(f"known years: {calendar.known_years()[0]}–{calendar.known_years()[-1]}")


@calendar_group.command("show")
@click.argument("year", type=int)
@with_appcontext
def calendar_show(year: int) -> None:
    """Print a year's holidays and adjusted working days."""
    if year not in calendar.known_years():
        raise click.ClickException(f"{year} is not in the calendar: working days fall back to weekdays")
    for day in calendar.year_days(year):
        click.echo(f"{day.day.isoformat()}  {day.kind:8} {day.name}")


commands = [verify_audit_log, audit_checkpoint, rotate_encryption_key, jobs_group, calendar_group]
