"""Filing, correcting and removing credit records one at a time, under the filing department."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backend.credit.changes import record_change
from backend.credit.events import RECORD_FILED, emit
from backend.credit.grades import current_model, recompute_subject
from backend.credit.models import CreditRecord, Subject
from backend.credit.publication import classify, window_problems
from backend.credit.subjects import subject_for_filing
from backend.credit.vocab import ChangeKind, PublicationState, RecordStatus
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import china_today, utcnow
from backend.platform.db import db, use_case
from backend.platform.errors import Forbidden, InvalidInput, NotFound

RECORD_FIELDS = ("category", "severity", "result", "title", "content", "legal_basis", "decided_on", "expires_on",
                 "tolerant_first_offence", "emergency", "penalty_type")


def record_problems(data: dict, as_of: dt.date) -> list[tuple[str, str]]:
    """(field, why) for every rule the record breaks against the current model; empty when valid."""
    model, problems = current_model(), []
    category = data["category"]
    rule = model.categories[category]
    if rule.by_severity is not None and not data.get("severity"):
        problems.append(("severity", f"{category} 需要填写严重程度：minor（轻微）、general（一般）或 serious（严重）"))
    if rule.by_severity is None and data.get("severity"):
        problems.append(("severity", f"{category} 不填写严重程度"))
    allowed = model.results_for(category)
    if allowed and data.get("result") not in allowed:
        problems.append(("result", f"{category} 需要填写结果，应为以下之一：{'、'.join(allowed)}"))
    if not allowed and data.get("result"):
        problems.append(("result", f"{category} 不填写结果"))
    tol = model.tolerance
    if data.get("tolerant_first_offence") and (category not in tol.get("categories", ())
                                               or data.get("severity") != tol.get("severity")):
        problems.append(("tolerant_first_offence", "只有轻微（minor）的行政处罚才能适用包容审慎"))
    if data["decided_on"] > as_of:
        problems.append(("decided_on", "决定日期不能晚于今天"))
    if data.get("expires_on") and data["expires_on"] < data["decided_on"]:
        problems.append(("expires_on", "有效期截止日不能早于决定日期"))
    return problems + window_problems(data)


def acting_department(op: Operator | None, requested: str | None) -> str:
    """The department a write is filed under; raises Forbidden outside the operator's own, InvalidInput."""
    if op is None or op.role == "admin":  # CLI or platform admin: must say which department decided
        if not requested:
            raise InvalidInput("department：非部门操作员报送时必须填写决定部门。",
                               code="department_required", details={"field": "department"})
        return requested
    if requested and requested != op.department:
        raise Forbidden(f"{op.department}的操作员不能代{requested}报送。", code="outside_department",
                        details={"field": "department"})
    return op.department


def check_record(data: dict) -> None:
    """Raises InvalidInput naming the first bad field."""
    problems = record_problems(data, china_today())
    if problems:
        field, why = problems[0]
        raise InvalidInput(f"{field}：{why}。", code="invalid_record", details={"field": field, "problems": [
            {"field": f, "message": m} for f, m in problems]})


def put_record(subject: Subject, department: str, data: dict, *, reason: str | None = None
               ) -> tuple[CreditRecord, bool]:
    """Create, or update the earlier submission with the same department and document number, and re-grade
    in the caller's transaction (no commit); raises InvalidInput."""
    check_record(data)
    db.session.flush()
    record = db.session.execute(select(CreditRecord).where(
        CreditRecord.department == department, CreditRecord.document_no == data["document_no"])).scalar_one_or_none()
    created, previous_subject = record is None, record.subject if record else None
    if created:
        record = CreditRecord(department=department, document_no=data["document_no"], subject_id=subject.id)
        db.session.add(record)
    else:
        record.subject_id, record.updated_at = subject.id, utcnow()
    for field in RECORD_FIELDS:
        setattr(record, field, data.get(field))
    classify(record, data)
    db.session.flush()
    why = reason or f"{department} {'报送' if created else '更正'} {data['document_no']}"
    change = recompute_subject(subject, reason=why)
    if previous_subject is not None and previous_subject.id != subject.id:
        recompute_subject(previous_subject, reason=f"{department} 更正 {data['document_no']}（主体变更）")
    emit(RECORD_FILED, record=record, created=created)
    record_change(ChangeKind.RECORD_FILED, subject, record=record, data=change_data(record, change))
    return record, created


def change_data(record: CreditRecord, grade_change=None) -> dict:
    """What the feed says about a record: never its content, only its identity, class and window."""
    data = {"department": record.department, "document_no": record.document_no, "category": record.category,
            "publication_state": record.publication_state, "severity_class": record.severity_class,
            "max_publish_until": record.max_publish_until.isoformat() if record.max_publish_until else None}
    if grade_change is not None:
        data["grade"] = grade_change.grade
    return data


@use_case
def file_record(data: dict, *, operator: Operator | None, actor: str) -> tuple[CreditRecord, bool]:
    """Create, or update the earlier submission with the same department and document number; re-grade."""
    department = acting_department(operator, data.get("department"))
    check_record(data)
    subject = subject_for_filing(data, data.get("subject_name"))
    record, created = put_record(subject, department, data)
    audit.record(actor, "record.create" if created else "record.update", "credit_record", record.id,
                 details={"department": department, "document_no": record.document_no, "category": record.category,
                          "subject": subject.handle})
    return record, created


@use_case
def remove_record(record_id: int, reason: str, *, operator: Operator, actor: str) -> CreditRecord:
    """Withdraw a record (revoked decision, credit repair) and re-grade; raises NotFound, Forbidden."""
    record = db.session.get(CreditRecord, record_id)
    if record is None:
        raise NotFound(f"没有编号为 {record_id} 的信用记录。")
    if operator.role != "admin" and record.department != operator.department:
        raise Forbidden("部门只能撤销本部门报送的记录。", code="outside_department")
    if record.status == RecordStatus.REMOVED:
        return record
    record.status, record.removed_at, record.removed_reason = RecordStatus.REMOVED, utcnow(), reason
    record.publication_state, record.publication_ended_at = PublicationState.WITHDRAWN, record.removed_at
    change = recompute_subject(record.subject, reason=f"{record.department} 撤销 {record.document_no}")
    record_change(ChangeKind.RECORD_WITHDRAWN, record.subject, record=record, data=change_data(record, change))
    audit.record(actor, "record.remove", "credit_record", record.id, details={"reason": reason})
    return record
