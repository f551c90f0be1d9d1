"""Loan applications a bank received under an authorisation, and the outcome it reports back: exactly once per
Idempotency-Key (a retry with the same key and body replays the first answer)."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from backend.banks.consent import live_authorisation
from backend.banks.history import application_view
from backend.banks.models import BankAuthorisation, LoanApplication
from backend.banks.vocab import Outcome
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import utcnow
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound

OUTCOME_FIELDS = ("outcome", "amount_yuan", "term_months", "rate_band", "decline_reason")


def body_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def key_reused() -> InvalidInput:
    return InvalidInput("这个 Idempotency-Key 已用于另一个请求内容，请为每次提交生成新的键。",
                        code="idempotency_key_reused", details={"field": "Idempotency-Key"})


@use_case
def record_application(op: Operator, handle: str, body: dict, key: str) -> tuple[LoanApplication, bool]:
    """The application (and whether this was a replay); raises Forbidden (no live authorisation),
    InvalidInput (key reused with another body) or Conflict (the bank's reference is taken)."""
    digest = body_hash({"handle": handle, **body})
    found = db.session.execute(select(LoanApplication).where(
        LoanApplication.bank_id == op.bank_id, LoanApplication.idempotency_key == key)).scalar_one_or_none()
    if found is not None:
        if found.request_sha256 != digest:
            raise key_reused()
        return found, True
    auth = live_authorisation(handle, op.bank_id)
    if db.session.execute(select(LoanApplication.id).where(LoanApplication.bank_id == op.bank_id,
                                                           LoanApplication.reference == body["reference"])).first():
        raise Conflict("贵行已登记过这个申请编号（reference）。", details={"field": "reference"})
    application = LoanApplication(authorisation_id=auth.id, bank_id=op.bank_id, subject_id=auth.subject_id,
                                  operator_id=op.id, reference=body["reference"], product=body.get("product"),
                                  amount_requested_yuan=body.get("amount_requested_yuan"), received_at=utcnow(),
                                  idempotency_key=key, request_sha256=digest)
    db.session.add(application)
    db.session.flush()
    audit.record(op.actor, "loan_application.record", "loan_application", application.id, purpose=auth.purpose,
                 details={"bank_id": op.bank_id, "authorisation_id": auth.id})
    return application, False


def described(application: LoanApplication) -> dict:
    """An application as its bank sees it (with the authorisation it came under)."""
    auth = db.session.get(BankAuthorisation, application.authorisation_id)
    return {**application_view(application), "authorisation_handle": auth.handle}


def bank_application(op: Operator, application_id: int) -> LoanApplication:
    """One of this bank's applications; raises NotFound (also for another bank's)."""
    application = db.session.get(LoanApplication, application_id)
    if application is None or application.bank_id != op.bank_id:
        raise NotFound(f"贵行没有编号为 {application_id} 的贷款申请。")
    return application


@use_case
def report_outcome(op: Operator, application_id: int, body: dict, key: str) -> tuple[LoanApplication, bool]:
    """Record approved (amount, term, rate band) or declined (reason category); a report stands once made.
    Raises NotFound, InvalidInput (key reused) or Conflict (outcome_reported)."""
    application = bank_application(op, application_id)
    digest = body_hash(body)
    if application.outcome is not None:
        if application.outcome_idempotency_key == key:
            if application.outcome_sha256 != digest:
                raise key_reused()
            return application, True
        raise Conflict("该申请的审批结果已经报送，不能更改。", code="outcome_reported")
    approved = body["outcome"] == Outcome.APPROVED
    application.outcome = body["outcome"]
    application.amount_yuan = body.get("amount_yuan") if approved else None
    application.term_months = body.get("term_months") if approved else None
    application.rate_band = body.get("rate_band") if approved else None
    application.decline_reason = None if approved else body.get("decline_reason")
    application.reported_at, application.outcome_idempotency_key = utcnow(), key
    application.outcome_sha256 = digest
    audit.record(op.actor, "loan_application.outcome", "loan_application", application.id,
                 details={"bank_id": op.bank_id, "outcome": application.outcome})
    return application, False
