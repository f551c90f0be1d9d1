"""Credit commitments (信用承诺) for every subject, with the national data items.

Subjects sign 主动型 commitments online (mini-program); departments (and market offices, for merchants)
record the others; a 信用修复型 commitment is signed with a repair application and names the record.
Assessing one as 部分履行 or 全部未履行 is a breach: the subject goes on the watch list (重点关注) with the
commitment as basis, and a broken 信用修复型 commitment puts the repaired record back in publication
until its maximum window ends.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import func, select

from backend.credit.changes import record_change
from backend.credit.events import COMMITMENT_BROKEN, emit
from backend.credit.grades import recompute_subject
from backend.credit.lists import put_entry
from backend.credit.models import CreditCommitment, CreditRecord, Subject
from backend.credit.subjects import find_subject
from backend.credit.vocab import (
    COMMITMENT_TYPE_ZH,
    ChangeKind,
    CommitmentStatus,
    CommitmentType,
    Disclosure,
    Fulfilment,
    ListType,
    PublicationState,
    SubjectKind,
)
from backend.platform import audit
from backend.platform.calendar import period_end
from backend.platform.clock import china_today, utcnow
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound

FIELDS = ("commitment_type", "matter", "content", "liability", "committed_on", "valid_until", "accepting_unit",
          "disclosure")
WATCH_YEARS = 1  # a breach keeps the subject on the watch list this long (docs/repair.md)
DEFAULT_LIABILITY = "违背承诺的，依法依规记入信用记录，列入重点关注名单，并承担相应法律责任。"


def new_code(on: dt.date) -> str:
    """area code (6) + yyyymmdd (8) + serial of that day (6): the national 20-character commitment code."""
    prefix = f"{current_app.config['CREDIT_AREA_CODE']}{on:%Y%m%d}"
    last = db.session.execute(select(func.max(CreditCommitment.code)).where(
        CreditCommitment.code.like(f"{prefix}%"))).scalar()
    return f"{prefix}{(int(last[-6:]) if last else 0) + 1:06d}"


def put_commitment(subject: Subject, data: dict, *, recorded_by: str, signed_online: bool = False,
                   record: CreditRecord | None = None) -> CreditCommitment:
    """Add a commitment in the caller's transaction (no commit); raises InvalidInput."""
    if data.get("valid_until") and data["valid_until"] < data["committed_on"]:
        raise InvalidInput("valid_until：有效期截止日不能早于承诺日期。", code="invalid_commitment",
                           details={"field": "valid_until"})
    values = {f: data.get(f) for f in FIELDS}
    values["liability"] = values["liability"] or DEFAULT_LIABILITY
    values["disclosure"] = values["disclosure"] or Disclosure.PUBLIC
    row = CreditCommitment(code=new_code(data["committed_on"]), subject_id=subject.id, recorded_by=recorded_by[:64],
                           signed_online=signed_online, record_id=record.id if record else None, **values)
    db.session.add(row)
    db.session.flush()
    if row.disclosure == Disclosure.PUBLIC:
        record_change(ChangeKind.COMMITMENT_CHANGED, subject, record=record, data=_change_data(row))
    return row


def _change_data(c: CreditCommitment) -> dict:
    return {"code": c.code, "commitment_type": c.commitment_type, "status": c.status, "fulfilment": c.fulfilment}


@use_case
def record_commitment(subject: Subject, data: dict, *, department: str, actor: str) -> CreditCommitment:
    """A department records a commitment it accepted (any type but 主动型, which subjects sign themselves)."""
    if data["commitment_type"] == CommitmentType.VOLUNTARY:
        raise InvalidInput("commitment_type：主动型承诺由主体本人在小程序中在线签署。", code="voluntary_online_only",
                           details={"field": "commitment_type"})
    row = put_commitment(subject, {**data, "accepting_unit": data.get("accepting_unit") or department},
                         recorded_by=actor)
    audit.record(actor, "commitment.create", "credit_commitment", row.code,
                 details={"subject": subject.handle, "type": row.commitment_type})
    return row


@use_case
def sign_voluntary(subject_id: int, data: dict, *, actor: str) -> CreditCommitment:
    """A subject signs a 主动型 commitment online (mini-program), dated today."""
    subject = db.session.get(Subject, subject_id)
    row = put_commitment(subject, {**data, "commitment_type": CommitmentType.VOLUNTARY,
                                   "committed_on": china_today(),
                                   "accepting_unit": data.get("accepting_unit") or "信用汕尾"},
                         recorded_by=actor, signed_online=True)
    audit.record(actor, "commitment.sign", "credit_commitment", row.code, details={"subject": subject.handle})
    return row


def _commitment(code_or_id: str | int) -> CreditCommitment:
    column = CreditCommitment.id if isinstance(code_or_id, int) else CreditCommitment.code
    row = db.session.execute(select(CreditCommitment).where(column == code_or_id)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"没有编号为 {code_or_id} 的信用承诺。", code="commitment_not_found")
    return row


def assess(row: CreditCommitment, *, fulfilment: str, on: dt.date, department: str, unfulfilled: str | None = None,
           liability_pursued: str | None = None) -> CreditCommitment:
    """Record fulfilment in the caller's transaction (no commit); a breach lists the subject and, for a
    信用修复型 commitment, restores the record's publication. Raises Conflict, InvalidInput."""
    if row.status != CommitmentStatus.ACTIVE:
        raise Conflict("该承诺的履行情况已经记录，不能再更改。", code="commitment_closed")
    if fulfilment != Fulfilment.FULL and not (unfulfilled or "").strip():
        raise InvalidInput("unfulfilled：部分履行或全部未履行的，须写明未履行的内容。", code="unfulfilled_required",
                           details={"field": "unfulfilled"})
    row.fulfilment, row.assessed_on = fulfilment, on
    row.unfulfilled, row.liability_pursued = unfulfilled, liability_pursued
    row.status = CommitmentStatus.KEPT if fulfilment == Fulfilment.FULL else CommitmentStatus.BROKEN
    subject = db.session.get(Subject, row.subject_id)
    if row.status == CommitmentStatus.BROKEN:
        entry = put_entry(subject, department, {
            "list_type": ListType.WATCH, "reason": f"违背信用承诺（{row.matter}）"[:500],
            "legal_basis": f"信用承诺书{row.code}：{row.liability}"[:500], "decision_document": row.code,
            "starts_on": on, "ends_on": period_end(on, years=WATCH_YEARS)})
        row.watch_entry_id = entry.id
        if row.commitment_type == CommitmentType.REPAIR and row.record_id is not None:
            restore_publication(db.session.get(CreditRecord, row.record_id), f"违背信用修复承诺 {row.code}")
        emit(COMMITMENT_BROKEN, commitment=row, department=department)
    if row.disclosure == Disclosure.PUBLIC or subject.kind != SubjectKind.PERSON:
        record_change(ChangeKind.COMMITMENT_CHANGED, subject, data=_change_data(row))
    return row


def restore_publication(record: CreditRecord, reason: str) -> None:
    """Put a repaired record back in publication up to its maximum window (expired if that has passed)."""
    if record.publication_state != PublicationState.REPAIRED:
        return
    today = china_today()
    shown = record.max_publish_until is None or today <= record.max_publish_until
    record.publication_state = PublicationState.PUBLISHED if shown else PublicationState.EXPIRED
    record.publication_ended_at = None if shown else utcnow()
    change = recompute_subject(record.subject, reason=reason)
    record_change(ChangeKind.PUBLICATION_RESTORED, record.subject, record=record,
                  data={"department": record.department, "document_no": record.document_no,
                        "publication_state": record.publication_state,
                        "max_publish_until": record.max_publish_until.isoformat() if record.max_publish_until else None,
                        "grade": change.grade if change else record.subject.grade, "reason": reason[:200]})


@use_case
def assess_commitment(code: str, data: dict, *, department: str, actor: str, is_admin: bool) -> CreditCommitment:
    """A department records fulfilment of a commitment it accepted; raises NotFound, Conflict, InvalidInput."""
    row = _commitment(code)
    if not is_admin and row.accepting_unit != department:
        raise NotFound(f"本部门受理的承诺中没有编号为 {code} 的信用承诺。", code="commitment_not_found")
    assess(row, fulfilment=data["fulfilment"], on=data.get("assessed_on") or china_today(), department=department,
           unfulfilled=data.get("unfulfilled"), liability_pursued=data.get("liability_pursued"))
    audit.record(actor, f"commitment.{row.status}", "credit_commitment", row.code,
                 details={"fulfilment": row.fulfilment})
    return row


def withdraw(row: CreditCommitment) -> None:
    """Withdraw a commitment still in force (no commit); raises Conflict."""
    if row.status != CommitmentStatus.ACTIVE:
        raise Conflict("该承诺的履行情况已经记录，不能再更改。", code="commitment_closed")
    row.status, row.assessed_on = CommitmentStatus.WITHDRAWN, china_today()


def commitments_of(subject_id: int, *, public_only: bool) -> list[CreditCommitment]:
    """A subject's commitments, newest first; public_only: 可向社会公开 and not withdrawn (the public pages)."""
    query = select(CreditCommitment).where(CreditCommitment.subject_id == subject_id)
    if public_only:
        query = query.where(CreditCommitment.disclosure == Disclosure.PUBLIC,
                            CreditCommitment.status != CommitmentStatus.WITHDRAWN)
    return list(db.session.execute(query.order_by(CreditCommitment.committed_on.desc(),
                                                  CreditCommitment.id.desc())).scalars())


def describe(c: CreditCommitment) -> dict:
    return {"code": c.code, "commitment_type": c.commitment_type, "type_zh": COMMITMENT_TYPE_ZH[c.commitment_type],
            "matter": c.matter, "content": c.content, "liability": c.liability, "committed_on": c.committed_on,
            "valid_until": c.valid_until, "accepting_unit": c.accepting_unit, "disclosure": c.disclosure,
            "status": c.status, "fulfilment": c.fulfilment, "unfulfilled": c.unfulfilled,
            "liability_pursued": c.liability_pursued, "assessed_on": c.assessed_on, "record_id": c.record_id}


@use_case
def read_commitments(args: dict, *, actor: str) -> dict:
    """A subject's commitments for a department; the read and its purpose go to the audit log. Raises NotFound."""
    subject = find_subject(args)
    audit.record(actor, "file.read", "subject", subject.handle, purpose=args["purpose"],
                 details={"view": "commitments"})
    return {"items": [describe(c) for c in commitments_of(subject.id, public_only=False)]}
