"""`flask recompute-grades`: re-grade every subject in batches, resumable from a checkpoint."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from backend.credit.grades import current_model, recompute_many
from backend.credit.models import GradingRun, Subject
from backend.platform import audit
from backend.platform.clock import utcnow
from backend.platform.db import db, use_case


@use_case
def open_run(*, restart: bool = False) -> GradingRun:
    """The unfinished run for the current model version (resumed), or a new one."""
    version = current_model().version
    run = db.session.execute(select(GradingRun).where(
        GradingRun.model_version == version, GradingRun.finished_at.is_(None)
    ).order_by(GradingRun.id.desc())).scalars().first()
    if run is not None and restart:
        run.finished_at = utcnow()  # abandoned: a new run starts from the first subject
        run = None
    if run is None:
        run = GradingRun(model_version=version, started_at=utcnow(), last_subject_id=0, processed=0, changed=0)
        db.session.add(run)
    return run


def remaining(run: GradingRun) -> int:
    return db.session.scalar(select(func.count(Subject.id)).where(Subject.id > run.last_subject_id)) or 0


@use_case
def regrade_batch(run: GradingRun, batch_size: int) -> int:
    """Re-grade the next batch after the run's checkpoint and move the checkpoint (or finish the run);
    returns how many subjects it covered (0: the run is finished)."""
    ids = list(db.session.execute(select(Subject.id).where(Subject.id > run.last_subject_id)
                                  .order_by(Subject.id).limit(batch_size)).scalars())
    if not ids:
        run.finished_at = utcnow()
        audit.record("cli", "grades.recompute", "grading_run", run.id,
                     details={"model_version": run.model_version, "processed": run.processed, "changed": run.changed})
        return 0
    changed = recompute_many(ids, reason=f"评价模型 {run.model_version} 重新评价")
    run.last_subject_id, run.processed, run.changed = ids[-1], run.processed + len(ids), run.changed + changed
    return len(ids)


def run_batches(run: GradingRun, *, batch_size: int = 1000, progress: Callable[[int], None] = lambda n: None,
                max_batches: int | None = None) -> GradingRun:
    """Re-grade subjects after the run's checkpoint; each batch is its own transaction, so a run resumes."""
    batches = 0
    while max_batches is None or batches < max_batches:
        done = regrade_batch(run, batch_size)
        if not done:
            break
        progress(done)
        batches += 1
    return run
