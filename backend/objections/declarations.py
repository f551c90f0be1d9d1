"""Self-declared credit information (自主申报, plan measure (五)): submitted — in the mini-program or at a service
window — under a truthfulness commitment, a 主动型 credit commitment accepted by the verifying department →
matched against the platform's own records, or verified by the competent department → verified (a credit record
「自主申报，已核验」 that the grading model counts with a bounded weight) | rejected | more information needed →
expired when its validity ends. A verified declaration later found false breaks its commitment through credit's
breach path: the record goes and the subject is put on the watch list with the commitment as basis."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.credit import (
    CreditCommitment,
    CreditRecord,
    RecordCategory,
    Subject,
    assess,
    current_model,
    describe_commitment,
    put_commitment,
    put_record,
    stop_publication,
)
from backend.objections.events import outcome_changed
from backend.objections.models import Declaration
from backend.objections.reading import DECLARATION_FILES, declaration_row
from backend.objections.steps import credit_office, due_in
from backend.objections.vocab import (
    DECLARATION_CATEGORY_ZH,
    DECLARATION_COMMITMENT,
    DECLARATION_LIABILITY,
    DECLARATION_STATE_ZH,
    Channel,
    DeclarationCategory,
    DeclarationState,
    VerificationMethod,
)
from backend.platform import audit, jobs, uploads
from backend.platform.access import Operator
from backend.platform.clock import china_today, local_date, utcnow
from backend.platform.db import db, savepoint, use_case
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound

D = DeclarationState
BASIS = "《汕尾市社会信用体系建设工作方案》（五）自主申报；《广东省社会信用条例》"
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


def request_hash(subject: Subject, data: dict) -> str:
    """What a retry must repeat exactly (the subject and the body) for its Idempotency-Key to give the same
    declaration."""
    return hashlib.sha256(json.dumps({"subject": subject.id, **data}, sort_keys=True, default=str,
                                     ensure_ascii=False).encode()).hexdigest()


def key_reused() -> InvalidInput:
    return InvalidInput("这个 Idempotency-Key 已用于另一个请求内容，请为每次提交生成新的键。",
                        code="idempotency_key_reused", details={"field": "Idempotency-Key"})


def _earlier(key: str | None, digest: str, *, account_id: int | None, operator_id: int | None) -> Declaration | None:
    """The declaration this key already made (for this account, or this window clerk); raises InvalidInput
    (idempotency_key_reused) when the key came with another body."""
    if key is None:
        return None
    who = (Declaration.window_operator_id == operator_id if operator_id is not None
           else Declaration.account_id == account_id)
    found = db.session.scalar(select(Declaration).where(who, Declaration.idempotency_key == key))
    if found is not None and found.request_sha256 != digest:
        raise key_reused()
    return found


def _sign_commitment(d: Declaration, subject: Subject, *, actor: str, online: bool) -> CreditCommitment:
    """The truthfulness commitment as a 主动型 credit commitment accepted by the verifying department: signed
    online (mini-program) or on paper at a service window, where the clerk records it (caller's transaction)."""
    return put_commitment(subject, {
        "commitment_type": "voluntary", "matter": f"自主申报信息真实性承诺（{d.number}）",
        "content": DECLARATION_COMMITMENT, "liability": DECLARATION_LIABILITY, "committed_on": china_today(),
        "valid_until": d.valid_until, "accepting_unit": d.department, "disclosure": "public"},
        recorded_by=actor, signed_online=online)


@use_case
def submit(subject: Subject, data: dict, *, actor: str, channel: str, account_id: int | None = None,
           operator: Operator | None = None, idempotency_key: str | None = None) -> tuple[Declaration, bool]:
    """A declaration under its truthfulness commitment, verified at once when the platform's records prove it;
    with whether it is a replay of an earlier request with the same Idempotency-Key.
    Raises InvalidInput (commitment_required, idempotency_key_reused, invalid_input)."""
    digest = request_hash(subject, data)
    operator_id = operator.id if operator is not None else None
    earlier = _earlier(idempotency_key, digest, account_id=account_id, operator_id=operator_id)
    if earlier is not None:
        return earlier, True
    if data.get("commitment_accepted") is not True:
        raise InvalidInput("commitment_accepted：请阅读并同意信用承诺（申报信息真实、准确、完整）后再提交。",
                           code="commitment_required", details={"field": "commitment_accepted",
                                                                "commitment": DECLARATION_COMMITMENT})
    if data["issued_on"] > china_today():
        raise InvalidInput("issued_on：颁发日期不能晚于今天。", details={"field": "issued_on"})
    if data.get("valid_until") and data["valid_until"] < china_today():
        raise InvalidInput("valid_until：有效期已过，不能申报。", details={"field": "valid_until"})
    d = Declaration(subject_id=subject.id, account_id=account_id, channel=channel, window_operator_id=operator_id,
                    applicant=data.get("applicant"), idempotency_key=idempotency_key,
                    request_sha256=digest if idempotency_key else None, category=data["category"],
                    title=data["title"], content=data.get("content"), issuer=data["issuer"],
                    document_no=data["document_no"], issued_on=data["issued_on"], valid_until=data.get("valid_until"),
                    department=data["department"], state=D.SUBMITTED)
    try:
        with savepoint():
            db.session.add(d)
            db.session.flush()
    except IntegrityError:  # the same key, sent twice at once: the other request made it
        earlier = _earlier(idempotency_key, digest, account_id=account_id, operator_id=operator_id)
        if earlier is None:
            raise
        return earlier, True
    d.number = f"SB{local_date(utcnow()):%Y%m%d}{d.id:06d}"
    commitment = _sign_commitment(d, subject, actor=actor, online=channel != Channel.WINDOW)
    d.commitment_id = commitment.id
    audit.record(actor, "declaration.submit", "declaration", d.number, details={
        "category": d.category, "department": d.department, "channel": channel, "commitment": commitment.code})
    if _matching_record(d) is not None:
        _verify(d, VerificationMethod.DATA_MATCH, credit_office(), actor)
    else:
        d.state, d.due_on = D.VERIFYING, due_in("DECLARATION_VERIFY_DAYS")
        outcome_changed("declaration", d, "verifying")
    return d, False


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
    """A verified declaration found untrue: its record stops and its truthfulness commitment is broken through
    credit's breach path (全部未履行: the subject goes on the watch list with the commitment as basis, re-graded).
    Raises NotFound, Forbidden, Conflict."""
    d = by_number(number)
    _own(d, operator)
    need_state(d, D.VERIFIED)
    if d.record_id:
        stop_publication(db.session.get(CreditRecord, d.record_id), f"自主申报经查不实：{reason}", actor=actor)
    commitment = db.session.get(CreditCommitment, d.commitment_id)
    if commitment.status != "broken":  # already broken through /commitments/<code>/fulfilment: that breach stands
        assess(commitment, fulfilment="none", on=china_today(), department=d.department,
               unfulfilled=f"自主申报信息经查不实：{reason}"[:1000])
        audit.record(actor, "commitment.broken", "credit_commitment", commitment.code,
                     details={"fulfilment": "none", "declaration": d.number})
    d.state, d.note, d.watch_entry_id = D.FOUND_FALSE, reason[:1000], commitment.watch_entry_id
    audit.record(actor, "declaration.found_false", "declaration", d.number,
                 details={"reason": reason, "commitment": commitment.code, "watch_entry": commitment.watch_entry_id})
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
    """The 主动型 credit commitment the declaration was made under, as credit describes it."""
    c = db.session.get(CreditCommitment, d.commitment_id)
    return {**describe_commitment(c), "text": c.content, "signed_online": c.signed_online,
            "accepted_at": c.created_at}


def declaration_detail(d: Declaration) -> dict:
    """One declaration in full: its row, the commitment it was made under, its evidence."""
    return {**declaration_row(d), "commitment": commitment_of(d),
            "evidence": [uploads.describe(u) for u in uploads.of_owner(DECLARATION_FILES, d.number)]}
