"""一公开: what is published about a task — before the draw the task and its commitment, after it the seed and the
drawn list, later the results. The JSON is everything `python -m sampling verify` needs; the portal's task page
(supervision.public) shows the same. No personal data: merchants and organisations by handle and name, persons
by handle only, inspectors by ref; findings go through the portal's de-identification (disclosure.scrub: id and
phone numbers, and a drawn person's own name, replaced)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from backend.credit import Subject
from backend.credit.vocab import SubjectKind
from backend.disclosure import PERSON_SHOWN, scrub
from backend.platform.clock import CHINA
from backend.platform.crypto import decrypt
from backend.platform.db import db
from backend.supervision.models import DrawnObject, SamplingTask, SupervisionItem
from backend.supervision.tasks import counts, drawn_objects
from backend.supervision.vocab import OUTCOME_ZH, STRATUM_ZH, TASK_STATE_ZH, TaskState
from sampling import quota
from sampling.draw import STRATA


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
        drawn = drawn_objects(task)
        private = persons_names([d for d in drawn if d.findings])
        out["drawn"] = [{"handle": d.handle, "stratum": d.stratum, "rank": d.rank, "inspectors": d.inspectors,
                         "name": names.get(d.handle), "outcome": d.outcome,
                         "outcome_zh": OUTCOME_ZH.get(d.outcome) if d.outcome else None,
                         "findings": scrub(d.findings, private.get(d.subject_id, ())),
                         "inspected_on": d.inspected_on} for d in drawn]
    return out


def persons_names(drawn: list[DrawnObject]) -> dict[int, tuple[str, ...]]:
    """subject id → the names public text must not carry, for the drawn persons among these."""
    ids = {d.subject_id for d in drawn}
    if not ids:
        return {}
    rows = db.session.execute(select(Subject.id, Subject.name_enc).where(
        Subject.id.in_(ids), Subject.kind == SubjectKind.PERSON, Subject.name_enc.is_not(None)))
    return {sid: (decrypt(enc).decode(),) for sid, enc in rows}


def task_summary(task: SamplingTask) -> dict:
    return {"number": task.number, "title": task.title, "department": task.department, "state": task.state,
            "state_zh": TASK_STATE_ZH[TaskState(task.state)], "commitment": task.commitment,
            "objects_count": len(task.objects or []), "committed_at": task.committed_at, "drawn_at": task.drawn_at,
            "url": f"/api/public/v1/supervision/tasks/{task.number}", "page_url": f"/credit/supervision/{task.number}"}


def china_time(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def task_page(task: SamplingTask, page: int, per_page: int) -> dict:
    """What the portal's task page shows: the task, the item, per-stratum ratios and counts, the commitment (before
    the draw), the seed and a page of the drawn list with results (after); persons named as the portal names them."""
    item = db.session.get(SupervisionItem, task.item_id)
    document = task.commitment_document or {}
    drawn_state = task.state in (TaskState.DRAWN, TaskState.COMPLETED)
    counted = counts(task)
    strata = [{"stratum": s, "stratum_zh": STRATUM_ZH[s], "ratio": document.get("ratios", {}).get(s),
               "pool": counted["pool"].get(s, 0), "quota": quota(document["ratios"][s], counted["pool"].get(s, 0))
               if s in document.get("ratios", {}) else 0, "drawn": counted["drawn"].get(s, 0)}
              for s in STRATA if counted["pool"].get(s) or s in document.get("ratios", {})]
    out = {**task_summary(task), "item": item_summary(item), "strata": strata, "document": document,
           "committed_at": china_time(task.committed_at), "drawn_at": china_time(task.drawn_at),
           "completed_at": china_time(task.completed_at), "reveal": task.reveal, "seed": task.seed,
           "drawn_state": drawn_state, "drawn": [],
           "meta": {"page": page, "per_page": per_page, "total": sum(counted["drawn"].values())},
           "results": {"pass": 0, "fail": 0, "pending": 0}}
    if drawn_state:
        rows = list(db.session.scalars(select(DrawnObject).where(DrawnObject.task_id == task.id)
                                       .order_by(DrawnObject.position).offset((page - 1) * per_page).limit(per_page)))
        names = {h: name for h, _, name, _ in task.objects}
        private = persons_names([d for d in rows if d.findings])
        out["drawn"] = [{"position": d.position, "handle": d.handle, "stratum_zh": STRATUM_ZH[d.stratum],
                         "name": names.get(d.handle) or PERSON_SHOWN, "person": names.get(d.handle) is None,
                         "inspectors": d.inspectors, "outcome": d.outcome,
                         "outcome_zh": OUTCOME_ZH.get(d.outcome) if d.outcome else None,
                         "findings": scrub(d.findings, private.get(d.subject_id, ())), "inspected_on": d.inspected_on}
                        for d in rows]
        outcomes = dict(db.session.execute(select(DrawnObject.outcome, func.count()).where(
            DrawnObject.task_id == task.id).group_by(DrawnObject.outcome)).all())
        out["results"] = {"pass": outcomes.get("pass", 0), "fail": outcomes.get("fail", 0),
                          "pending": outcomes.get(None, 0)}
    return out
