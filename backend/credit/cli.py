"""Flask commands for credit files: import-records, recompute-grades, sync-measures."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from backend.credit import expiry, joint, record_import, regrade
from backend.platform.clock import china_today
from backend.platform.errors import DomainError
from backend.platform.jobs import PHASE_ZH


@click.command("import-records")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--department", help="deciding department for rows without a department column")
@with_appcontext
def import_records(path: str, department: str | None) -> None:
    """Import a CSV of credit records (UTF-8 or GBK); any bad row rejects the whole file (exit 1). A progress
    bar per phase goes to stderr (the report, JSON, to stdout)."""
    with open(path, "rb") as f:
        text, encoding = record_import.decode_csv(f.read())
    bar = PhaseBars()
    try:
        rows = record_import.parse_csv(text)
        if department:
            rows = [(n, {"department": department, **r}) for n, r in rows]
        report = record_import.store_rows(rows, operator=None, actor="cli", source=f"csv:{path}"[:200],
                                          encoding=encoding, progress=bar)
    except DomainError as e:
        bar.close()
        click.echo(f"error: {e.message}; nothing was stored", err=True)
        for problem in (e.details or {}).get("errors", []):
            click.echo(f"  row {problem['row']}, {problem['field']}: {problem['message']}", err=True)
        sys.exit(1)
    bar.close()
    click.echo(json.dumps(report, ensure_ascii=False))


class PhaseBars:
    """A click progress bar per phase (校验, 保存, 重新评价), on stderr; a progress callback for store_rows."""

    def __init__(self) -> None:
        self._phase, self._bar, self._done = None, None, 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self._phase:
            self.close()
            self._phase, self._done = phase, 0
            self._bar = click.progressbar(length=max(total, 1), label=PHASE_ZH.get(phase, phase), file=sys.stderr,
                                          show_pos=True)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@click.command("recompute-grades")
@click.option("--batch-size", default=1000, show_default=True)
@click.option("--restart", is_flag=True, help="start over instead of resuming an interrupted run")
@click.option("--max-batches", type=int, help="stop after this many batches (resume later)")
@with_appcontext
def recompute_grades(batch_size: int, restart: bool, max_batches: int | None) -> None:
    """Re-grade every subject under the current model, in batches; an interrupted run resumes."""
    run = regrade.open_run(restart=restart)
    if run.last_subject_id:
        click.echo(f"resuming run {run.id} after subject {run.last_subject_id}", err=True)
    with click.progressbar(length=regrade.remaining(run), label=f"model {run.model_version}",
                           file=sys.stderr) as bar:
        run = regrade.run_batches(run, batch_size=batch_size, progress=bar.update, max_batches=max_batches)
    state = "finished" if run.finished_at else "paused (run again to resume)"
    click.echo(f"run {run.id} {state}: {run.processed} subjects, {run.changed} grades changed")


@click.command("sync-measures")
@with_appcontext
def sync_measures() -> None:
    """Load the joint reward/punishment measures catalogue (backend/grading/measures.toml)."""
    changed = joint.sync_catalogue(actor="cli")
    click.echo(f"measures catalogue synced: {changed} changed, {len(joint.catalogue())} active")


@click.command("expire-publications")
@click.option("--batch-size", type=int, help="records per transaction (default EXPIRY_BATCH)")
@click.option("--max-batches", type=int, help="stop after this many batches (run again to resume)")
@with_appcontext
def expire_publications(batch_size: int | None, max_batches: int | None) -> None:
    """End publication of every record whose window (max_publish_until) has closed and re-grade its subject, in
    batches; idempotent (run it again: nothing is ended twice) and resumable. Also runs hourly as a job."""
    with click.progressbar(length=max(expiry.due_count(china_today()), 1), label="停止公示", file=sys.stderr,
                           show_pos=True) as bar:
        seen = [0]

        def progress(_phase, done, _total):
            bar.update(done - seen[0])
            seen[0] = done
        ended = expiry.expire_publications(batch=batch_size, progress=progress, max_batches=max_batches)
    left = expiry.due_count(china_today())
    click.echo(f"{ended} records ended publication; {left} still due" + (" (run again to resume)" if left else ""))


commands = [import_records, recompute_grades, sync_measures, expire_publications]
