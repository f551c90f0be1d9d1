"""Registering a merchant: a USCC with no credit file yet opens one; an existing subject only through a link
request that an approver confirms.

A market operator must not take over an organisation's credit file (rename it, file inspections against
it, publish it, hand it to a WeChat account) by typing its USCC. So for a subject that already exists
the market files a request with what it typed (stall number and name, scope…), and learns nothing of
the subject's file from it (no handle, no registered name, no grade) until it is approved.

Approvers: a platform admin (the credit office), or a department operator whose `department` is the
market's `department` (the department that supervises the market, markets.department). Every decision
and every refused attempt to decide is audited; a refused attempt is committed before the error is raised.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from backend.credit import Subject, SubjectKind, get_or_create_organisation
from backend.merchants.management import EDITABLE, describe, merchant_exists, open_merchant, operator_market, stall_free
from backend.merchants.models import Market, MerchantLinkRequest
from backend.merchants.vocab import LINK_STATUS_ZH, LinkStatus
from backend.platform import audit
from backend.platform.access import Operator, OperatorRole
from backend.platform.clock import utcnow
from backend.platform.db import Page, db, paginate, savepoint, use_case
from backend.platform.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from backend.platform.identifiers import valid_uscc

APPROVER_ROLES = (OperatorRole.ADMIN, OperatorRole.DEPARTMENT)
APPROVE, REFUSE = "approve", "refuse"


def organisation_by_uscc(code: str) -> Subject | None:
    return db.session.execute(select(Subject).where(Subject.uscc == code)).scalar_one_or_none()


def _new_subject(code: str, name: str) -> Subject | None:
    """A credit subject opened now for this USCC, or None when one exists by now (another request opened it
    since we looked: it is someone's file, so it goes through a link request like any other)."""
    try:
        with savepoint():
            subject = get_or_create_organisation(code, name, kind=SubjectKind.MERCHANT)
            if subject not in db.session.new:
                return None
            db.session.flush()
    except IntegrityError:  # PostgreSQL: the other request committed the same USCC first
        return None
    return subject


@use_case
def register_merchant(op: Operator, *, uscc: str, name: str, stall_no: str, actor: str,
                      stall_name: str | None = None, **fields) -> tuple[dict, int]:
    """A new subject and its merchant (201, the merchant), or for an existing subject a link request (202, the
    request; a pending one for the same market and USCC is answered again); raises InvalidInput or Conflict."""
    market, code = operator_market(op), valid_uscc(uscc)
    stall_name = stall_name or name
    subject = organisation_by_uscc(code)
    if subject is None and (subject := _new_subject(code, name)) is not None:
        merchant = open_merchant(market, subject, stall_no=stall_no, stall_name=stall_name, actor=actor, **fields)
        return describe(merchant), 201
    subject = subject or organisation_by_uscc(code)
    request = file_link_request(op, market, subject, stall_no=stall_no, stall_name=stall_name, actor=actor, **fields)
    return link_view(request, approver=False), 202


def pending_request(market_id: int, subject_id: int) -> MerchantLinkRequest | None:
    """The market's pending request for this subject, if any."""
    return db.session.execute(select(MerchantLinkRequest).where(
        MerchantLinkRequest.market_id == market_id, MerchantLinkRequest.subject_id == subject_id,
        MerchantLinkRequest.status == LinkStatus.PENDING)).scalar_one_or_none()


def file_link_request(op: Operator, market: Market, subject: Subject, *, stall_no: str, stall_name: str, actor: str,
                      **fields) -> MerchantLinkRequest:
    """The pending request of this market for this subject, filed now if there is none; raises Conflict."""
    merchant_exists(subject)
    if (found := pending_request(market.id, subject.id)) is not None:
        return found  # a client's retry: answered, not duplicated (what it sent again is not applied)
    stall_free(market.id, stall_no)
    request = MerchantLinkRequest(market_id=market.id, subject_id=subject.id, uscc=subject.uscc, stall_no=stall_no,
                                  stall_name=stall_name, requested_by=op.id,
                                  **{k: v for k, v in fields.items() if k in EDITABLE})
    try:
        with savepoint():  # the partial unique index: a concurrent retry filed it first
            db.session.add(request)
            db.session.flush()
    except IntegrityError:
        return pending_request(market.id, subject.id)
    audit.record(actor, "merchant_link.request", "merchant_link_request", request.id,
                 details={"market": market.slug, "uscc": subject.uscc, "stall_no": stall_no})
    return request


def link_view(request: MerchantLinkRequest, *, approver: bool) -> dict:
    """The request as its market sees it (what it typed, the status, the reason, the merchant once approved);
    approvers also see the subject it names."""
    market = db.session.get(Market, request.market_id)
    subject = None
    if approver:
        found = db.session.get(Subject, request.subject_id)
        subject = {"handle": found.handle, "registered_name": found.display_name, "kind": found.kind}
    return {"id": request.id, "status": request.status, "status_zh": LINK_STATUS_ZH[request.status],
            "market": {"slug": market.slug, "name": market.name, "department": market.department},
            "uscc": request.uscc, "stall_no": request.stall_no, "stall_name": request.stall_name,
            "business_scope": request.business_scope, "contact_phone": request.contact_phone,
            "photo_url": request.photo_url, "requested_at": request.created_at, "decided_at": request.decided_at,
            "decision_reason": request.decision_reason, "merchant_id": request.merchant_id, "subject": subject}


def _visible(op: Operator):
    """The requests this operator may see: a market's own; an approver's in scope; raises Forbidden."""
    query = select(MerchantLinkRequest)
    if op.role == OperatorRole.MARKET:
        return query.where(MerchantLinkRequest.market_id == operator_market(op).id)
    if op.role == OperatorRole.DEPARTMENT:
        return query.join(Market, Market.id == MerchantLinkRequest.market_id).where(
            Market.department == op.department)
    if op.role == OperatorRole.ADMIN:
        return query
    raise Forbidden("只有市场管理方和审核人可以查看商户关联申请。", code="wrong_role")


def list_link_requests(op: Operator, status: str | None, page: int, per_page: int) -> Page:
    """A page of requests, oldest first: a market's own (every status unless `status`), an approver's in
    scope (pending unless `status`)."""
    if status is None and op.role != OperatorRole.MARKET:
        status = LinkStatus.PENDING
    query = _visible(op)
    if status is not None:
        query = query.where(MerchantLinkRequest.status == status)
    found = paginate(query.order_by(MerchantLinkRequest.id), page, per_page)
    approver = op.role in APPROVER_ROLES
    return Page([link_view(r, approver=approver) for r in found.items], found.total, page, per_page)


def get_link_request(op: Operator, request_id: int) -> dict:
    """One request the operator may see; raises NotFound (also for others', which it never reveals)."""
    request = db.session.execute(_visible(op).where(MerchantLinkRequest.id == request_id)).scalar_one_or_none()
    if request is None:
        raise NotFound(f"没有编号为 {request_id} 的商户关联申请。", code="link_request_not_found")
    return link_view(request, approver=op.role in APPROVER_ROLES)


def _not_an_approver() -> Forbidden:
    return Forbidden("只有信用办（平台管理员）或市场的监管部门可以审核商户关联申请。", code="not_an_approver")


def _audit_denial(actor: str, request_id: int, decision: str, code: str, role: str) -> None:
    audit.record(actor, "merchant_link.denied", "merchant_link_request", request_id,
                 details={"attempt": decision, "code": code, "role": role})


@use_case
def require_approver(op: Operator, request_id: int, decision: str, *, actor: str) -> None:
    """Raises Forbidden, audited, unless the operator's role may decide link requests: checked before the body
    is read, so a market or partner is refused (and recorded) whatever it sends."""
    if op.role not in APPROVER_ROLES:  # a market approving its own request, a partner
        _audit_denial(actor, request_id, decision, "not_an_approver", op.role)
        db.session.commit()  # keep the refused attempt, then refuse
        raise _not_an_approver()


def _decidable(op: Operator, request_id: int) -> tuple[MerchantLinkRequest, Market]:
    """The pending request, if this operator may decide it; raises Forbidden, NotFound or Conflict."""
    if op.role not in APPROVER_ROLES:
        raise _not_an_approver()
    request = db.session.get(MerchantLinkRequest, request_id)
    if request is None:
        raise NotFound(f"没有编号为 {request_id} 的商户关联申请。", code="link_request_not_found")
    market = db.session.get(Market, request.market_id)
    if op.role == OperatorRole.DEPARTMENT and op.department != market.department:
        raise Forbidden(f"{market.name}由{market.department}监管，{op.department}不能审核它的申请。",
                        code="outside_department")
    # Claimed by a conditional update: of two approvers deciding at once exactly one gets it.
    claimed = db.session.execute(update(MerchantLinkRequest).where(
        MerchantLinkRequest.id == request.id, MerchantLinkRequest.status == LinkStatus.PENDING).values(
        decided_by=op.id, decided_at=utcnow())).rowcount
    if claimed != 1:
        db.session.refresh(request)
        raise Conflict(f"该申请已{LINK_STATUS_ZH[request.status]}，不能再次审核。", code="link_request_decided")
    db.session.refresh(request)
    return request, market


def _approve(request: MerchantLinkRequest, market: Market, note: str | None, actor: str) -> None:
    subject = db.session.get(Subject, request.subject_id)
    if subject.kind == SubjectKind.PERSON or subject.uscc != request.uscc:  # a forged or altered request
        raise InvalidInput("该申请指向的不是这个统一社会信用代码的企业或组织，不能关联为商户。", code="not_linkable")
    fields = {k: getattr(request, k) for k in ("business_scope", "contact_phone", "photo_url")}
    merchant = open_merchant(market, subject, stall_no=request.stall_no, stall_name=request.stall_name,
                             actor=actor, **fields)
    request.status, request.decision_reason, request.merchant_id = LinkStatus.APPROVED, note, merchant.id
    audit.record(actor, "merchant_link.approve", "merchant_link_request", request.id,
                 details={"market": market.slug, "subject": subject.handle, "merchant_id": merchant.id})


@use_case
def decide_link_request(op: Operator, request_id: int, decision: str, *, actor: str,
                        reason: str | None = None) -> dict:
    """Approve (the merchant is created) or refuse (with the reason) a pending request; raises Forbidden,
    NotFound, Conflict (decided already, merchant or stall taken) or InvalidInput, each audited."""
    role = op.role
    try:
        request, market = _decidable(op, request_id)
        if decision == APPROVE:
            _approve(request, market, reason, actor)
        else:
            request.status, request.decision_reason = LinkStatus.REFUSED, reason
            audit.record(actor, "merchant_link.refuse", "merchant_link_request", request.id,
                         details={"market": market.slug, "reason": reason})
    except DomainError as e:
        db.session.rollback()
        _audit_denial(actor, request_id, decision, e.code, role)
        db.session.commit()  # keep the refused attempt, then refuse
        raise
    return link_view(request, approver=True)
