"""Inspection results of drawn objects, filed as credit records (like a market's inspections) and published."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.credit import RecordCategory, Subject, put_record
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import utcnow
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, NotFound
from backend.supervision.models import DrawnObject, SupervisionItem
from backend.supervision.tasks import get_task
from backend.supervision.vocab import OUTCOME_ZH, InspectionOutcome, TaskState


def document_no(task_number: str, handle: str) -> str:
    return f"{task_number}-{handle}"


@use_case
def record_result(task_id: int, data: dict, *, operator: Operator, actor: str) -> DrawnObject:
    """File (or correct) the result of one drawn object as a product_inspection record of the task's department
    and re-grade; raises NotFound (not drawn in this task: not_drawn), Conflict (task_state), Forbidden."""
    task = get_task(task_id, operator)
    if task.state not in (TaskState.DRAWN, TaskState.COMPLETED):
        raise Conflict(f"任务 {task.number} 尚未抽取，不能录入检查结果。", code="task_state",
                       details={"state": task.state})
    drawn = db.session.scalar(select(DrawnObject).where(DrawnObject.task_id == task.id,
                                                        DrawnObject.handle == data["handle"]))
    if drawn is None:
        raise NotFound(f"{data['handle']} 不是任务 {task.number} 抽中的对象。", code="not_drawn")
    item = db.session.get(SupervisionItem, task.item_id)
    outcome = InspectionOutcome(data["outcome"])
    verdict = OUTCOME_ZH[outcome]
    findings = data.get("findings") if outcome == InspectionOutcome.FAIL else data.get("findings") or None
    record_data = {
        "category": RecordCategory.PRODUCT_INSPECTION, "severity": None, "result": outcome.value,
        "title": f"双随机抽查{verdict}：{item.name}"[:300],
        "content": (f"抽查任务 {task.number}" + (f"；问题：{findings}" if findings else ""))[:2000],
        "document_no": document_no(task.number, drawn.handle), "legal_basis": item.basis,
        "decided_on": data["inspected_on"], "expires_on": None, "tolerant_first_offence": False, "emergency": False}
    subject = db.session.get(Subject, drawn.subject_id)
    record, created = put_record(subject, task.department, record_data,
                                 reason=f"{task.department} 双随机抽查{verdict} {task.number}")
    drawn.outcome, drawn.findings, drawn.inspected_on = outcome, findings, data["inspected_on"]
    drawn.record_id = record.id
    db.session.flush()
    left = db.session.scalar(select(func.count()).where(DrawnObject.task_id == task.id, DrawnObject.outcome.is_(None)))
    if left == 0 and task.state == TaskState.DRAWN:
        task.state, task.completed_at = TaskState.COMPLETED, utcnow()
    audit.record(actor, "supervision.result." + ("create" if created else "update"), "drawn_object", drawn.id,
                 details={"task": task.number, "subject": drawn.handle, "outcome": outcome, "record": record.id})
    return drawn
