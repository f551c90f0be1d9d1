"""Reading a subject's credit file: a department's audited reads and the subject's own view."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit.accesses import operator_viewer, record_access
from backend.credit.grades import current_breakdown, grade_history
from backend.credit.marks import marks_of
from backend.credit.models import CreditRecord, ListEntry, Subject
from backend.credit.subjects import find_subject, summary
from backend.credit.vocab import AccessKind, ListType, MarkedItem, RecordStatus, grade_label
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import china_today
from backend.platform.db import db, paginate, use_case
from backend.platform.errors import InvalidInput

HISTORY_LIMIT = 20
OWN_RECORD_FIELDS = ("id", "category", "severity", "result", "title", "content", "department", "document_no",
                     "legal_basis", "decided_on", "expires_on", "status", "severity_class", "publication_state",
                     "min_publish_until", "max_publish_until", "repairable")


@use_case
def read_file(args: dict, *, operator: Operator, actor: str) -> dict:
    """A page of a subject's records, filtered; the read and its purpose go to the audit log."""
    subject = find_subject(args)
    query = select(CreditRecord).where(CreditRecord.subject_id == subject.id)
    if not args.get("include_removed"):
        query = query.where(CreditRecord.status == RecordStatus.ACTIVE)
    if args.get("category"):
        query = query.where(CreditRecord.category == args["category"])
    if args.get("date_from"):
        query = query.where(CreditRecord.decided_on >= args["date_from"])
    if args.get("date_to"):
        query = query.where(CreditRecord.decided_on <= args["date_to"])
    if args.get("date_from") and args.get("date_to") and args["date_from"] > args["date_to"]:
        raise InvalidInput("date_from：开始日期不能晚于结束日期（date_to）。", details={"field": "date_from"})
    page = paginate(query.order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc()),
                    args["page"], args["per_page"])
    audit.record(actor, "file.read", "subject", subject.handle, purpose=args["purpose"],
                 details={"view": "records", "category": args.get("category")})
    record_access(subject.id, AccessKind.FILE, operator_viewer(operator), args["purpose"])
    return page.envelope(subject=summary(subject))


@use_case
def grade_report(args: dict, *, operator: Operator, actor: str) -> dict:
    """Grade, live breakdown and history; the read and its purpose go to the audit log. Raises NotFound."""
    subject = find_subject(args)
    breakdown = current_breakdown(subject)
    audit.record(actor, "file.read", "subject", subject.handle, purpose=args["purpose"], details={"view": "grade"})
    record_access(subject.id, AccessKind.GRADE, operator_viewer(operator), args["purpose"])
    return {"subject": summary(subject), "grade_zh": breakdown["grade_zh"], "model_version": subject.grade_model,
            "breakdown": breakdown, "history": grade_history(subject)}


def grade_view(subject: Subject) -> dict:
    """Grade and score, the live breakdown from the evaluation model, and the recent history."""
    breakdown = current_breakdown(subject)
    return {
        "grade": subject.grade, "grade_zh": grade_label(subject.grade), "score": subject.score,
        "grade_updated_at": subject.grade_updated_at,
        "model_version": breakdown["model_version"], "breakdown": breakdown,
        "history": grade_history(subject, HISTORY_LIMIT),
    }


def own_items(subject: Subject) -> dict:
    """The subject's records and list entries as the subject sees them (with ids, for objections, and marks),
    the list status and the positive-information choice."""
    records = db.session.execute(
        select(CreditRecord).where(CreditRecord.subject_id == subject.id)
        .order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc())
    ).scalars().all()
    entries = db.session.execute(
        select(ListEntry).where(ListEntry.subject_id == subject.id).order_by(ListEntry.starts_on.desc())
    ).scalars().all()
    today = china_today()
    marks = marks_of(subject.id)
    shown_records = [{**{c: getattr(r, c) for c in OWN_RECORD_FIELDS},
                      "marks": marks.get((MarkedItem.RECORD, r.id), [])} for r in records]
    lists = [{"id": e.id, "marks": marks.get((MarkedItem.LIST_ENTRY, e.id), []), "list_type": e.list_type,
              "reason": e.reason, "legal_basis": e.legal_basis,
              "decision_document": e.decision_document, "department": e.department,
              "starts_on": e.starts_on, "ends_on": e.ends_on, "active": e.active_on(today)}
             for e in entries]
    active = {e["list_type"] for e in lists if e["active"]}
    return {"records": shown_records, "lists": lists, "hides_positive": subject.hides_positive,
            "list_status": {t.value: t in active for t in ListType}}


def my_credit(subject_id: int) -> dict:
    """A person's own file as the mini-program shows it: grade, breakdown, records and list status."""
    subject = db.session.get(Subject, subject_id)
    return {"display_name": subject.display_name, "id_number_masked": subject.resident_id_masked,
            **grade_view(subject), **own_items(subject)}
