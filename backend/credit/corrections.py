"""Changing a filed item as the outcome of an objection: field corrections (old and new kept and audited),
stopping publication of a record, taking an entry off its list. Helpers for other features' use cases: they
run in the caller's transaction, re-grade, and never commit."""

from __future__ import annotations

import datetime as dt

from backend.credit.changes import record_change
from backend.credit.grades import recompute_subject
from backend.credit.models import CreditRecord, ListEntry
from backend.credit.records import RECORD_FIELDS, change_data, put_record
from backend.credit.vocab import LIST_ZH, ChangeKind, RecordStatus
from backend.platform import audit
from backend.platform.clock import china_today, utcnow
from backend.platform.errors import InvalidInput

# Fields an objection may ask to correct, with their Chinese names (document_no identifies the record: never).
RECORD_CORRECTABLE = {"title": "标题", "content": "内容", "legal_basis": "法律依据", "decided_on": "决定日期",
                      "expires_on": "有效期截止日", "severity": "严重程度", "result": "结果"}
ENTRY_CORRECTABLE = {"reason": "列入事由", "legal_basis": "认定依据", "decision_document": "决定文书号",
                     "starts_on": "列入日期", "ends_on": "结束日期"}
DATE_FIELDS = {"decided_on", "expires_on", "starts_on", "ends_on"}


def correctable(item: CreditRecord | ListEntry) -> dict[str, str]:
    return RECORD_CORRECTABLE if isinstance(item, CreditRecord) else ENTRY_CORRECTABLE


def value_of(item, field: str) -> str | None:
    """A field's value as text (dates ISO), as it is shown and kept in a correction."""
    value = getattr(item, field)
    return value.isoformat() if isinstance(value, dt.date) else value


def parse_value(field: str, value: str | None):
    """A corrected value in the column's type; raises InvalidInput (invalid_correction)."""
    if value in (None, ""):
        return None
    if field in DATE_FIELDS:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{field}：日期应写成 YYYY-MM-DD。", code="invalid_correction",
                               details={"field": field}) from None
    return value


def check_fields(item: CreditRecord | ListEntry, changes: list[dict]) -> None:
    """Raises InvalidInput (invalid_correction) for a field that cannot be corrected or a bad value."""
    allowed = correctable(item)
    for change in changes:
        if change["field"] not in allowed:
            raise InvalidInput(f"{change['field']}：该字段不能更正，可更正的字段为 {'、'.join(allowed)}。",
                               code="invalid_correction", details={"field": change["field"]})
        parse_value(change["field"], change.get("proposed"))


def apply_corrections(item: CreditRecord | ListEntry, changes: dict[str, str | None], *, ref: str,
                      actor: str) -> list[dict]:
    """Set the fields, re-grade and audit (old and new values); returns [{field, old, new}]. Raises InvalidInput
    when the corrected record breaks the evaluation model's rules."""
    check_fields(item, [{"field": f, "proposed": v} for f, v in changes.items()])
    done = [{"field": f, "old": value_of(item, f), "new": v} for f, v in changes.items()]
    if isinstance(item, CreditRecord):
        data = {f: getattr(item, f) for f in RECORD_FIELDS} | {"document_no": item.document_no}
        data |= {f: parse_value(f, v) for f, v in changes.items()}
        put_record(item.subject, item.department, data, reason=f"异议处理更正 {item.document_no}（{ref}）")
    else:
        for field, value in changes.items():
            setattr(item, field, parse_value(field, value))
        if item.ends_on and item.ends_on < item.starts_on:
            raise InvalidInput("ends_on：结束日期不能早于列入日期。", code="invalid_correction",
                               details={"field": "ends_on"})
        recompute_subject(item.subject, reason=f"异议处理更正{LIST_ZH[item.list_type]}（{ref}）")
    kind = "credit_record" if isinstance(item, CreditRecord) else "list_entry"
    audit.record(actor, "credit.correct", kind, item.id, details={"ref": ref, "changes": done})
    return done


def stop_publication(record: CreditRecord, reason: str, *, actor: str) -> None:
    """Stop publishing a record (it leaves every view and the grade), re-grade and audit."""
    if record.status != RecordStatus.REMOVED:
        record.status, record.removed_at, record.removed_reason = RecordStatus.REMOVED, utcnow(), reason[:500]
        change = recompute_subject(record.subject, reason=f"停止公示 {record.document_no}：{reason}"[:200])
        record_change(ChangeKind.RECORD_WITHDRAWN, record.subject, record=record, data=change_data(record, change))
        audit.record(actor, "record.remove", "credit_record", record.id, details={"reason": reason})


def take_off_list(entry: ListEntry, reason: str, *, actor: str) -> None:
    """Take the subject off the list (the entry is kept, removed), re-grade and audit."""
    if entry.removed_at is None:
        entry.removed_at, entry.removed_reason = utcnow(), reason[:500]
        recompute_subject(entry.subject, reason=f"移出{LIST_ZH[entry.list_type]}：{reason}"[:200])
        record_change(ChangeKind.LIST_ENTRY_ENDED, entry.subject, entry=entry, data={
            "list_type": entry.list_type, "department": entry.department,
            "decision_document": entry.decision_document, "ended_on": china_today().isoformat()})
        audit.record(actor, "list.remove", "list_entry", entry.id, details={"reason": reason})
