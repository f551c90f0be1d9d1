"""Market operators manage their market's merchants, inspections and commitments (audited); registering a
merchant is backend.merchants.registration."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit import CreditCommitment, Subject, assess, put_commitment, withdraw
from backend.merchants.agencies import listed_agency
from backend.merchants.credit_filing import file_broken_commitment, file_inspection, market_department
from backend.merchants.models import Inspection, Market, Merchant
from backend.merchants.pages import forget_pages, search_merchants
from backend.merchants.stickers import sticker_url
from backend.merchants.vocab import InspectionResult
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import china_today, utcnow
from backend.platform.db import DB_INT_MAX, Page, db, on_commit, use_case
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound

EDITABLE = ("stall_no", "stall_name", "business_scope", "contact_phone", "photo_url")
COMMITMENT_STATUS_ZH = {"broken": "标记为未履行", "kept": "记录为已履行", "withdrawn": "撤回"}


def operator_market(op: Operator) -> Market:
    """The market a market operator acts for; raises Forbidden when it has none."""
    market = db.session.get(Market, op.market_id) if op.market_id else None
    if market is None:
        raise Forbidden("该操作员没有所属市场。", code="no_market_scope")
    return market


def merchant_by_ref(ref: str | int) -> Merchant | None:
    """The merchant named by its handle, or (deprecated) by its numeric id; None when there is none.

    Handles are 8 letters and digits: one made only of digits is looked up as a handle first, so the
    id form can never shadow a handle.
    """
    ref = str(ref)
    merchant = db.session.execute(select(Merchant).join(Subject, Subject.id == Merchant.subject_id)
                                  .where(Subject.handle == ref)).scalar_one_or_none()
    if merchant is None and ref.isdigit() and int(ref) <= DB_INT_MAX:
        merchant = db.session.get(Merchant, int(ref))
    return merchant


def merchant_in_scope(op: Operator, merchant_ref: str | int) -> Merchant:
    """The merchant (by handle, or deprecated id) if it belongs to the operator's market; raises NotFound
    (never reveals other markets' merchants)."""
    market = operator_market(op)
    merchant = merchant_by_ref(merchant_ref)
    if merchant is None or merchant.market_id != market.id:
        raise NotFound(f"您管理的市场中没有商户 {merchant_ref}。", code="merchant_not_found")
    return merchant


def describe(merchant: Merchant) -> dict:
    """The operator's view of a merchant, with the URL printed on its current sticker. `name` is the subject's
    registered name (as before; also `registered_name`), `stall_name` the market's own."""
    subject = db.session.get(Subject, merchant.subject_id)
    return {"id": merchant.id, "handle": subject.handle, "name": subject.display_name,
            "registered_name": subject.display_name, "uscc": subject.uscc,
            "grade": subject.grade, "grade_updated_at": subject.grade_updated_at,
            "market_slug": db.session.get(Market, merchant.market_id).slug,
            **{f: getattr(merchant, f) for f in EDITABLE}, "code_serial": merchant.code_serial,
            "sticker_url": sticker_url(subject.handle, merchant.code_serial)}


def _changed(merchant: Merchant) -> None:
    """Once committed, drop this worker's cached pages of the merchant so the change shows at once."""
    handle = db.session.get(Subject, merchant.subject_id).handle
    on_commit(lambda: forget_pages(handle))


def stall_free(market_id: int, stall_no: str, except_id: int | None = None) -> None:
    """Raises Conflict when another merchant of the market has this stall number."""
    taken = db.session.execute(select(Merchant.id).where(Merchant.market_id == market_id,
                                                         Merchant.stall_no == stall_no)).scalar()
    if taken is not None and taken != except_id:
        raise Conflict(f"摊位 {stall_no} 已有商户。", code="stall_taken")


def merchant_exists(subject: Subject) -> None:
    """Raises Conflict when the subject is already some market's merchant (a subject has one stall)."""
    if db.session.execute(select(Merchant.id).where(Merchant.subject_id == subject.id)).first():
        raise Conflict("该统一社会信用代码的商户已登记。", code="merchant_exists")


def open_merchant(market: Market, subject: Subject, *, stall_no: str, stall_name: str, actor: str,
                  **fields) -> Merchant:
    """The new merchant of `subject` at the market, audited, in the caller's transaction; raises Conflict."""
    merchant_exists(subject)
    stall_free(market.id, stall_no)
    merchant = Merchant(subject_id=subject.id, market_id=market.id, stall_no=stall_no, stall_name=stall_name,
                        **{k: v for k, v in fields.items() if k in EDITABLE})
    db.session.add(merchant)
    db.session.flush()
    audit.record(actor, "merchant.create", "merchant", merchant.id,
                 details={"market": market.slug, "stall_no": stall_no, "uscc": subject.uscc})
    return merchant


@use_case
def update_merchant(op: Operator, merchant_id: int, *, actor: str, **fields) -> dict:
    """Change stall number or name, scope, contact or photo; raises NotFound, Conflict, or InvalidInput for
    `name` (the registered name is the subject's: a market never rewrites it)."""
    merchant = merchant_in_scope(op, merchant_id)
    if "name" in fields:
        raise InvalidInput("登记名称是信用主体的名称，市场管理方不能修改；要修改摊位上显示的名称，请改 stall_name。",
                           code="registered_name_read_only", details={"field": "name"})
    if "stall_no" in fields:
        stall_free(merchant.market_id, fields["stall_no"], except_id=merchant.id)
    changed = sorted(k for k in fields if k in EDITABLE)
    for key in changed:
        setattr(merchant, key, fields[key])
    audit.record(actor, "merchant.update", "merchant", merchant.id, details={"fields": changed})
    _changed(merchant)
    return describe(merchant)


@use_case
def reissue_code(op: Operator, merchant_id: int, *, actor: str, reason: str) -> dict:
    """Void the current sticker and issue the next serial; raises NotFound."""
    merchant = merchant_in_scope(op, merchant_id)
    merchant.code_serial += 1
    merchant.code_issued_at = utcnow()
    audit.record(actor, "merchant.reissue_code", "merchant", merchant.id,
                 details={"serial": merchant.code_serial, "reason": reason})
    _changed(merchant)
    return describe(merchant)


def list_merchants(op: Operator, q: str | None, page: int, per_page: int) -> Page:
    """A page of the operator's market's merchants, as describe() shows them."""
    found = search_merchants(operator_market(op).id, q, page, per_page)
    return Page([describe(db.session.get(Merchant, r.id)) for r in found.items], found.total, page, per_page)


def market_stalls(op: Operator) -> tuple[Market, list[Merchant]]:
    """The operator's market and all its merchants by stall number (for the batch of posters); raises Forbidden."""
    market = operator_market(op)
    merchants = db.session.execute(select(Merchant).where(Merchant.market_id == market.id)
                                   .order_by(Merchant.stall_no, Merchant.id)).scalars().all()
    return market, list(merchants)


def _not_future(day, field: str) -> None:
    if day > china_today():
        raise InvalidInput(f"{field}：日期不能晚于今天。", details={"field": field})


@use_case
def record_inspection(op: Operator, merchant_id: int, *, actor: str, **fields) -> Inspection:
    """Record an inspection and its credit record (the market department's), re-grade; raises NotFound,
    InvalidInput (date, failed items, an agency not on the list) or Conflict (same report, number taken)."""
    merchant = merchant_in_scope(op, merchant_id)
    _not_future(fields["sampled_on"], "sampled_on")
    if fields["result"] == InspectionResult.FAIL and not fields.get("failed_items"):
        raise InvalidInput("failed_items：不合格的抽检需要填写不合格项目。", details={"field": "failed_items"})
    if fields["result"] == InspectionResult.PASS:
        fields["failed_items"] = None
    listed_agency(fields["agency"])
    if db.session.execute(select(Inspection.id).where(Inspection.agency == fields["agency"],
                                                      Inspection.report_no == fields["report_no"])).first():
        raise Conflict("该检验机构的这份报告编号已经登记过。", code="duplicate_report")
    inspection = Inspection(merchant_id=merchant.id, **fields)
    record = file_inspection(merchant, inspection)  # first: it may refuse the report number
    db.session.add(inspection)
    db.session.flush()
    audit.record(actor, "inspection.create", "inspection", inspection.id,
                 details={"merchant_id": merchant.id, "result": inspection.result,
                          "report_no": inspection.report_no, "credit_record": record.id})
    _changed(merchant)
    return inspection


@use_case
def add_commitment(op: Operator, merchant_id: int, *, actor: str, title: str, content: str,
                   signed_on) -> CreditCommitment:
    """Record a commitment the merchant signed (a 行业自律型 credit commitment accepted by the market's
    department, public); raises NotFound."""
    merchant = merchant_in_scope(op, merchant_id)
    subject = db.session.get(Subject, merchant.subject_id)
    commitment = put_commitment(subject, {
        "commitment_type": "self_discipline", "matter": title, "content": content, "committed_on": signed_on,
        "accepting_unit": market_department(merchant), "disclosure": "public"}, recorded_by=actor)
    audit.record(actor, "commitment.create", "credit_commitment", commitment.code,
                 details={"merchant_id": merchant.id})
    _changed(merchant)
    return commitment


@use_case
def set_commitment_status(op: Operator, merchant_id: int, commitment_id: int, *, actor: str, status: str,
                          on, reason: str) -> CreditCommitment:
    """Mark a commitment broken (全部未履行: filed as a credit record, the merchant put on the watch list,
    re-graded) or withdrawn; raises NotFound or Conflict."""
    merchant = merchant_in_scope(op, merchant_id)
    _not_future(on, "on")
    commitment = db.session.get(CreditCommitment, commitment_id)
    if commitment is None or commitment.subject_id != merchant.subject_id:
        raise NotFound(f"该商户没有编号为 {commitment_id} 的信用承诺。", code="commitment_not_found")
    if commitment.status != "active":
        raise Conflict(f"该承诺已{COMMITMENT_STATUS_ZH[commitment.status]}，不能再更改。", code="commitment_closed")
    details = {"merchant_id": merchant.id, "reason": reason}
    if status == "broken":  # first: it may refuse, and nothing should have changed then
        details["credit_record"] = file_broken_commitment(merchant, commitment, on, reason).id
        assess(commitment, fulfilment="none", on=on, department=market_department(merchant), unfulfilled=reason)
    else:
        withdraw(commitment)
        commitment.assessed_on = on
    audit.record(actor, f"commitment.{status}", "credit_commitment", commitment.code, details=details)
    _changed(merchant)
    return commitment
