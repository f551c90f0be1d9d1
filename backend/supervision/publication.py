"""一公开: what is published about a task — before the draw the task and its commitment, after it the seed and the
drawn list, later the results. The JSON is everything `python -m sampling verify` needs. No personal data:
merchants and organisations by handle and name, persons by handle only, inspectors by ref."""

from __future__ import annotations

from backend.platform.db import db
from backend.supervision.models import SamplingTask, SupervisionItem
from backend.supervision.tasks import drawn_objects
from backend.supervision.vocab import OUTCOME_ZH, STRATUM_ZH, TASK_STATE_ZH, TaskState


def item_summary(item: SupervisionItem) -> dict:
    return {"code": item.code, "name": item.name, "basis": item.basis, "object_type": item.object_type,
            "method": item.method, "frequency": item.frequency, "ratios": item.ratios, "department": item.department}


def published_task(task: SamplingTask) -> dict:
    """The public JSON of a committed (or later) task."""
    item = db.session.get(SupervisionItem, task.item_id)
    out = {
        "number": task.number, "title": task.title, "department": task.department, "state": task.state,
        "state_zh": TASK_STATE_ZH[TaskState(task.state)], "item": item_summary(item),
        "committed_at": task.committed_at, "drawn_at": task.drawn_at, "completed_at": task.completed_at,
        "strata_zh": STRATUM_ZH,
        "commitment": {"sha256": task.commitment, "document": task.commitment_document},
        "objects": [{"handle": h, "stratum": s, "name": name} for h, s, name, _ in task.objects or []],
        "recusals": task.recusals or {},
        "reveal": task.reveal, "seed": task.seed, "drawn": [],
    }
    if task.state in (TaskState.DRAWN, TaskState.COMPLETED):
        names = {h: name for h, _, name, _ in task.objects}
        out["drawn"] = [{"handle": d.handle, "stratum": d.stratum, "rank": d.rank, "inspectors": d.inspectors,
                         "name": names.get(d.handle), "outcome": d.outcome,
                         "outcome_zh": OUTCOME_ZH.get(d.outcome) if d.outcome else None,
                         "findings": d.findings, "inspected_on": d.inspected_on} for d in drawn_objects(task)]
    return out


def task_summary(task: SamplingTask) -> dict:
    return {"number": task.number, "title": task.title, "department": task.department, "state": task.state,
            "state_zh": TASK_STATE_ZH[TaskState(task.state)], "commitment": task.commitment,
            "objects_count": len(task.objects or []), "committed_at": task.committed_at, "drawn_at": task.drawn_at,
            "url": f"/api/public/v1/supervision/tasks/{task.number}"}
