"""Self-declared credit information (自主申报, plan measure (五)): submitted under a truthfulness commitment →
matched against the platform's own records, or verified by the competent department → verified (a credit record
「自主申报，已核验」 that the grading model counts with a bounded weight) | rejected | more information needed →
expired when its validity ends. A verified declaration later found false breaks its commitment: the record goes and
the subject is put on the watch list with the declaration as basis."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit import (
    CreditRecord,
    RecordCategory,
    Subject,
    current_model,
    put_on_watch_list,
    put_record,
    stop_publication,
)
from backend.objections.events import outcome_changed
from backend.objections.models import Declaration, DeclarationCommitment
from backend.objections.reading import DECLARATION_FILES, declaration_row
from backend.objections.steps import credit_office, due_in
from backend.objections.vocab import (
    DECLARATION_CATEGORY_ZH,
    DECLARATION_COMMITMENT,
    DECLARATION_STATE_ZH,
    DeclarationCategory,
    DeclarationState,
    VerificationMethod,
)
from backend.platform import audit, jobs, uploads
from backend.platform.access import Operator
from backend.platform.clock import china_today, local_date, utcnow
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound

D = DeclarationState
BASIS = "《汕尾市社会信用体系建设工作方案》（五）自主申报；《广东省社会信用条例》"
FALSE_BASIS = "《汕尾市社会信用体系建设工作方案》（一）（五）：违背自主申报真实性承诺，纳入重点监管范围"
# Records the platform already holds that prove a declaration of this kind (matched by document number).
MATCHING = {DeclarationCategory.QUALIFICATION: (RecordCategory.ADMIN_LICENCE,),
            DeclarationCategory.HONOUR: (RecordCategory.HONOUR,),
            DeclarationCategory.CONTRACT: (RecordCategory.CONTRACT_PERFORMANCE,)}


def by_number(number: str) -> Declaration:
    """Raises NotFound (declaration_not_found)."""
    found = db.session.scalar(select(Declaration).where(Declaration.number == number))
    if found is None:
        raise NotFound(f"没有编号为 {number} 的自主申报。", code="declaration_not_found")
    return found


def need_state(d: Declaration, *states: str) -> None:
    if d.state not in states:
        raise Conflict(f"自主申报 {d.number} 当前为“{DECLARATION_STATE_ZH[d.state]}”，不能办理这一步。",
                       code="declaration_state", details={"state": d.state})


def _matching_record(d: Declaration) -> CreditRecord | None:
    categories = MATCHING.get(d.category)
    if not categories:
        return None
    return db.session.scalar(select(CreditRecord).where(
        CreditRecord.subject_id == d.subject_id, CreditRecord.document_no == d.document_no,
        CreditRecord.category.in_(categories), CreditRecord.status == "active"))


def _verify(d: Declaration, method: str, by: str, actor: str) -> None:
    """File the record 「自主申报，已核验」 under the verifying department and re-grade (caller's transaction)."""
    data = {"category": RecordCategory.DECLARATION, "severity": None,
            "result": d.category if current_model().results_for(RecordCategory.DECLARATION) else None,
            "title": f"自主申报，已核验：{d.title}"[:300],
            "content": f"{DECLARATION_CATEGORY_ZH[d.category]}；颁发单位：{d.issuer}；编号：{d.document_no}",
            "document_no": d.number, "legal_basis": BASIS, "decided_on": china_today(), "expires_on": d.valid_until,
            "tolerant_first_offence": False, "emergency": False}
    record, _ = put_record(db.session.get(Subject, d.subject_id), d.department, data,
                           reason=f"自主申报已核验 {d.number}")
    d.state, d.record_id, d.verification_method, d.verified_by, d.verified_at, d.due_on = (
        D.VERIFIED, record.id, method, by, utcnow(), None)
    audit.record(actor, "declaration.verify", "declaration", d.number, details={"method": method, "record": record.id})
    outcome_changed("declaration", d, "verified")


@use_case
def submit(subject: Subject, data: dict, *, actor: str, account_id: int | None = None) -> Declaration:
    """A declaration under its truthfulness commitment; verified at once when the platform's records prove it.
    Raises InvalidInput (commitment_required, invalid_input)."""
    if data.get("commitment_accepted") is not True:
        raise InvalidInput("commitment_accepted：请阅读并同意信用承诺（申报信息真实、准确、完整）后再提交。",
                           code="commitment_required", details={"field": "commitment_accepted",
                                                                "commitment": DECLARATION_COMMITMENT})
    if data["issued_on"] > china_today():
        raise InvalidInput("issued_on：颁发日期不能晚于今天。", details={"field": "issued_on"})
    if data.get("valid_until") and data["valid_until"] < china_today():
        raise InvalidInput("valid_until：有效期已过，不能申报。", details={"field": "valid_until"})
    d = Declaration(subject_id=subject.id, account_id=account_id, category=data["category"], title=data["title"],
                    content=data.get("content"), issuer=data["issuer"], document_no=data["document_no"],
                    issued_on=data["issued_on"], valid_until=data.get("valid_until"), department=data["department"],
                    state=D.SUBMITTED)
    db.session.add(d)
    db.session.flush()
    d.number = f"SB{local_date(utcnow()):%Y%m%d}{d.id:06d}"
    db.session.add(DeclarationCommitment(declaration_id=d.id, text=DECLARATION_COMMITMENT, accepted_at=utcnow(),
                                         accepted_by=actor))
    audit.record(actor, "declaration.submit", "declaration", d.number, details={
        "category": d.category, "department": d.department, "commitment": "accepted"})
    if _matching_record(d) is not None:
        _verify(d, VerificationMethod.DATA_MATCH, credit_office(), actor)
    else:
        d.state, d.due_on = D.VERIFYING, due_in("DECLARATION_VERIFY_DAYS")
        outcome_changed("declaration", d, "verifying")
    return d


def _own(d: Declaration, op: Operator) -> None:
    if op.role != "admin" and d.department != op.department:
        raise Forbidden("该自主申报由其他部门核验，本部门不能办理。", code="outside_department")


@use_case
def decide(number: str, data: dict, *, operator: Operator, actor: str) -> Declaration:
    """The competent department verifies, rejects (with the reason) or asks for more information.
    Raises NotFound, Forbidden, Conflict."""
    d = by_number(number)
    _own(d, operator)
    need_state(d, D.VERIFYING)
    if data["decision"] == D.VERIFIED:
        _verify(d, VerificationMethod.DOCUMENT_REVIEW, d.department, actor)
        return d
    if not (data.get("note") or "").strip():
        raise InvalidInput("note：不通过或需补充材料时，请写明理由或需补充的材料。", details={"field": "note"})
    d.state, d.note, d.due_on = data["decision"], data["note"], None
    audit.record(actor, f"declaration.{data['decision']}", "declaration", d.number, details={"note": d.note})
    outcome_changed("declaration", d, data["decision"])
    return d


@use_case
def supplement(d: Declaration, note: str, *, actor: str) -> Declaration:
    """The subject answers a request for more information; back to verifying. Raises Conflict."""
    need_state(d, D.MORE_INFO)
    d.state, d.note, d.due_on = D.VERIFYING, f"补充说明：{note}"[:1000], due_in("DECLARATION_VERIFY_DAYS")
    audit.record(actor, "declaration.supplement", "declaration", d.number, details={})
    outcome_changed("declaration", d, "verifying")
    return d


@use_case
def found_false(number: str, reason: str, *, operator: Operator, actor: str) -> Declaration:
    """A verified declaration found untrue: its record stops, its commitment is broken and the subject goes on
    the watch list with the declaration as basis (re-graded). Raises NotFound, Forbidden, Conflict."""
    d = by_number(number)
    _own(d, operator)
    need_state(d, D.VERIFIED)
    if d.record_id:
        stop_publication(db.session.get(CreditRecord, d.record_id), f"自主申报经查不实：{reason}", actor=actor)
    entry = put_on_watch_list(db.session.get(Subject, d.subject_id), department=d.department,
                              reason=f"自主申报信息经查不实，违背信用承诺（{d.number}）：{reason}",
                              legal_basis=FALSE_BASIS, decision_document=d.number, actor=actor)
    commitment = db.session.scalar(select(DeclarationCommitment).where(DeclarationCommitment.declaration_id == d.id))
    commitment.breached_at = utcnow()
    d.state, d.note, d.watch_entry_id = D.FOUND_FALSE, reason[:1000], entry.id
    audit.record(actor, "declaration.found_false", "declaration", d.number,
                 details={"reason": reason, "watch_entry": entry.id})
    outcome_changed("declaration", d, "found_false")
    return d


@jobs.periodic("objections.expire_declarations", minutes=24 * 60)
@use_case
def expire_declarations() -> int:
    """Verified declarations whose validity ended: expired, their records stop (idempotent); returns how many."""
    today = china_today()
    due = db.session.scalars(select(Declaration).where(Declaration.state == D.VERIFIED,
                                                       Declaration.valid_until < today)).all()
    for d in due:
        if d.record_id:
            stop_publication(db.session.get(CreditRecord, d.record_id), "自主申报信息已过有效期", actor="job")
        d.state = D.EXPIRED
        audit.record("job", "declaration.expire", "declaration", d.number, details={})
        outcome_changed("declaration", d, "expired")
    return len(due)


def commitment_of(d: Declaration) -> dict:
    c = db.session.scalar(select(DeclarationCommitment).where(DeclarationCommitment.declaration_id == d.id))
    return {"text": c.text, "accepted_at": c.accepted_at, "breached_at": c.breached_at,
            "commitment_id": c.commitment_id, "type_zh": "主动型"}


def declaration_detail(d: Declaration) -> dict:
    """One declaration in full: its row, the commitment it was made under, its evidence."""
    return {**declaration_row(d), "commitment": commitment_of(d),
            "evidence": [uploads.describe(u) for u in uploads.of_owner(DECLARATION_FILES, d.number)]}
