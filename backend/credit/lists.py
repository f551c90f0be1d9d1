"""Red, joint-punishment (black) and watch lists: entries need a legal basis; every change re-grades."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit.changes import record_change
from backend.credit.events import LIST_ENTRY_ADDED, emit
from backend.credit.grades import recompute_subject
from backend.credit.models import CreditRecord, ListEntry, Subject
from backend.credit.records import acting_department
from backend.credit.subjects import subject_for_filing
from backend.credit.vocab import LIST_ZH, ChangeKind, ListType
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import china_today, utcnow
from backend.platform.db import Page, db, paginate, use_case
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound

LIST_FIELD_ZH = {"legal_basis": "认定依据", "decision_document": "决定文书号", "reason": "列入事由"}


@use_case
def add_entry(data: dict, *, operator: Operator | None, actor: str) -> ListEntry:
    """Put a subject on a list; raises InvalidInput without legal basis or decision document, Conflict."""
    for field in ("legal_basis", "decision_document", "reason"):
        if not (data.get(field) or "").strip():
            raise InvalidInput(f"{field}：列入名单必须填写{LIST_FIELD_ZH[field]}。", code="list_basis_required",
                               details={"field": field})
    if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise InvalidInput("ends_on：结束日期不能早于开始日期（starts_on）。", details={"field": "ends_on"})
    department = acting_department(operator, data.get("department"))
    subject = subject_for_filing(data, data.get("subject_name"))
    db.session.flush()
    duplicate = db.session.execute(select(ListEntry.id).where(
        ListEntry.subject_id == subject.id, ListEntry.list_type == data["list_type"],
        ListEntry.decision_document == data["decision_document"], ListEntry.removed_at.is_(None))).first()
    if duplicate:
        raise Conflict("该决定文书已将该主体列入此名单。", code="already_listed")
    if data.get("record_id") is not None:
        basis = db.session.get(CreditRecord, data["record_id"])
        if basis is None or basis.subject_id != subject.id:
            raise InvalidInput("record_id：所依据的信用记录不存在或不属于该主体。", code="basis_record_mismatch",
                               details={"field": "record_id"})
    entry = put_entry(subject, department, data)
    audit.record(actor, "list.add", "list_entry", entry.id, details={
        "list_type": entry.list_type, "subject": subject.handle, "decision_document": entry.decision_document})
    return entry


def put_entry(subject, department: str, data: dict) -> ListEntry:
    """Add a list entry, re-grade and record the change in the caller's transaction (no commit)."""
    entry = ListEntry(subject_id=subject.id, list_type=data["list_type"], reason=data["reason"],
                      legal_basis=data["legal_basis"], decision_document=data["decision_document"],
                      department=department, starts_on=data["starts_on"], ends_on=data.get("ends_on"),
                      record_id=data.get("record_id"))
    db.session.add(entry)
    db.session.flush()
    change = recompute_subject(subject, reason=f"列入{LIST_ZH[entry.list_type]}（{entry.decision_document}）")
    record_change(ChangeKind.LIST_ENTRY_ADDED, subject, entry=entry, data=_entry_data(entry, change))
    emit(LIST_ENTRY_ADDED, entry=entry)
    return entry


def _entry_data(entry: ListEntry, grade_change=None) -> dict:
    data = {"list_type": entry.list_type, "department": entry.department,
            "decision_document": entry.decision_document, "starts_on": entry.starts_on.isoformat(),
            "ends_on": entry.ends_on.isoformat() if entry.ends_on else None}
    if grade_change is not None:
        data["grade"] = grade_change.grade
    return data


def end_entries_of_record(record: CreditRecord, reason: str) -> list[ListEntry]:
    """End every list entry founded on `record` (a repair), with changes; the caller re-grades (no commit)."""
    entries = list(db.session.execute(select(ListEntry).where(
        ListEntry.record_id == record.id, ListEntry.removed_at.is_(None))).scalars())
    for entry in entries:
        entry.removed_at, entry.removed_reason = utcnow(), reason[:500]
        record_change(ChangeKind.LIST_ENTRY_ENDED, record.subject, entry=entry, record=record,
                      data={**_entry_data(entry), "reason": reason[:200]})
    return entries


@use_case
def remove_entry(entry_id: int, reason: str, *, operator: Operator, actor: str) -> ListEntry:
    """Take a subject off a list with a reason; raises NotFound, Forbidden, Conflict."""
    entry = db.session.get(ListEntry, entry_id)
    if entry is None:
        raise NotFound(f"没有编号为 {entry_id} 的名单记录。")
    if operator.role != "admin" and entry.department != operator.department:
        raise Forbidden("部门只能移出本部门认定的名单记录。", code="outside_department")
    if entry.removed_at is not None:
        raise Conflict("该名单记录已移出。", code="already_removed")
    entry.removed_at, entry.removed_reason = utcnow(), reason
    change = recompute_subject(entry.subject, reason=f"移出{LIST_ZH[entry.list_type]}：{reason}")
    record_change(ChangeKind.LIST_ENTRY_ENDED, entry.subject, entry=entry,
                  data={**_entry_data(entry, change), "reason": reason[:200]})
    audit.record(actor, "list.remove", "list_entry", entry.id, details={"reason": reason})
    return entry


def put_on_watch_list(subject: Subject, *, department: str, reason: str, legal_basis: str, decision_document: str,
                      actor: str) -> ListEntry:
    """Put the subject on the watch list from today (a broken commitment, a false declaration) in the caller's
    transaction, re-grade and audit; an entry already made on this decision document is returned as it is."""
    found = db.session.scalar(select(ListEntry).where(
        ListEntry.subject_id == subject.id, ListEntry.list_type == ListType.WATCH,
        ListEntry.decision_document == decision_document, ListEntry.removed_at.is_(None)))
    if found is not None:
        return found
    entry = put_entry(subject, department, {"list_type": ListType.WATCH, "reason": reason[:500],
                                            "legal_basis": legal_basis, "decision_document": decision_document,
                                            "starts_on": china_today()})
    audit.record(actor, "list.add", "list_entry", entry.id, details={
        "list_type": ListType.WATCH, "subject": subject.handle, "decision_document": decision_document})
    return entry


def list_entries(args: dict) -> Page:
    """A page of list entries, newest first; only those in force today with args["active"]."""
    query = select(ListEntry)
    if args.get("list_type"):
        query = query.where(ListEntry.list_type == args["list_type"])
    if args.get("active"):
        query = query.where(ListEntry.active_on(china_today()))
    return paginate(query.order_by(ListEntry.id.desc()), args["page"], args["per_page"])
