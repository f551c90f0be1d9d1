"""Merchant owners: one-time binding codes from a market operator, redeemed in the mini-program."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app
from sqlalchemy import select, update

from backend.credit import Subject, grade_view, own_items
from backend.merchants.models import Inspection, Market, Merchant, MerchantBindingCode, MerchantOwner
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import utcnow
from backend.platform.crypto import keyed_hash
from backend.platform.db import DB_INT_MAX, db, use_case
from backend.platform.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound

# Read aloud or typed from a slip of paper: no 0/O, 1/I/L. 10 symbols ≈ 50 bits, single-use, expiring.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
INSPECTIONS_LIMIT = 50


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _code_hash(code: str) -> str:
    return keyed_hash("merchant-binding:" + _normalise(code))


def merchant_by_handle(handle: str) -> tuple[Merchant, Subject]:
    """The merchant by handle (market offices may also give the deprecated numeric id); raises NotFound."""
    row = db.session.execute(
        select(Merchant, Subject).join(Subject, Subject.id == Merchant.subject_id).where(Subject.handle == handle)
    ).first()
    if row is None and handle.isdigit() and int(handle) <= DB_INT_MAX:
        row = db.session.execute(select(Merchant, Subject).join(Subject, Subject.id == Merchant.subject_id)
                                 .where(Merchant.id == int(handle))).first()
    if row is None:
        raise NotFound(f"没有公开标识为 {handle!r} 的商户。")
    return row[0], row[1]


@use_case
def issue_binding_code(op: Operator, handle: str, note: str | None = None) -> dict:
    """A fresh one-time code for this merchant; raises NotFound or Forbidden (another market's merchant)."""
    merchant, subject = merchant_by_handle(handle)
    if op.role != "admin" and merchant.market_id != op.market_id:
        raise Forbidden("该商户不在您管理的市场。", code="out_of_scope")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = utcnow() + dt.timedelta(seconds=current_app.config["MERCHANT_BINDING_TTL_SECONDS"])
    row = MerchantBindingCode(merchant_id=merchant.id, code_hash=_code_hash(code), issued_by=op.id,
                              expires_at=expires_at, note=note)
    db.session.add(row)
    db.session.flush()
    audit.record(op.actor, "merchant.binding_code.issue", "merchant", subject.handle,
                 details={"binding_code_id": row.id, "expires_at": expires_at.isoformat()})
    shown = f"{code[:5]}-{code[5:]}"
    return {"merchant": handle, "binding_code": shown, "expires_at": expires_at}


@use_case
def redeem_binding_code(account_id: int, code: str, *, actor: str) -> dict:
    """Bind the caller as an owner; raises InvalidInput (unknown), Gone (expired) or Conflict (used)."""
    if len(_normalise(code)) != CODE_LENGTH:
        raise InvalidInput("绑定码应为10位字母或数字。", code="invalid_binding_code", details={"field": "binding_code"})
    row = db.session.execute(
        select(MerchantBindingCode).where(MerchantBindingCode.code_hash == _code_hash(code))
    ).scalar_one_or_none()
    if row is None:
        raise InvalidInput("绑定码不正确。", code="invalid_binding_code", details={"field": "binding_code"})
    now = utcnow()
    if row.used_at is not None:
        raise Conflict("该绑定码已被使用，请向市场管理方重新申请。", code="binding_code_used")
    if row.expires_at <= now:
        raise Gone("该绑定码已过期，请向市场管理方重新申请。", code="binding_code_expired")
    # Conditional update: of two concurrent redemptions exactly one sees rowcount 1.
    claimed = db.session.execute(
        update(MerchantBindingCode).where(MerchantBindingCode.id == row.id, MerchantBindingCode.used_at.is_(None))
        .values(used_at=now, used_by=account_id)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise Conflict("该绑定码已被使用，请向市场管理方重新申请。", code="binding_code_used")
    exists = db.session.execute(select(MerchantOwner.id).where(
        MerchantOwner.account_id == account_id, MerchantOwner.merchant_id == row.merchant_id)).first()
    if exists is None:
        db.session.add(MerchantOwner(account_id=account_id, merchant_id=row.merchant_id, binding_code_id=row.id))
    merchant = db.session.get(Merchant, row.merchant_id)
    subject = db.session.get(Subject, merchant.subject_id)
    audit.record(actor, "merchant.owner.bind", "merchant", subject.handle,
                 details={"binding_code_id": row.id})
    return _summary(merchant, subject)


def _summary(merchant: Merchant, subject: Subject) -> dict:
    market = db.session.get(Market, merchant.market_id)
    return {"handle": subject.handle, "name": subject.display_name, "stall_name": merchant.stall_name,
            "market": market.name, "stall_no": merchant.stall_no, "grade": subject.grade}


def owned_merchants(account_id: int) -> list[dict]:
    rows = db.session.execute(
        select(Merchant, Subject).join(MerchantOwner, MerchantOwner.merchant_id == Merchant.id)
        .join(Subject, Subject.id == Merchant.subject_id)
        .where(MerchantOwner.account_id == account_id).order_by(MerchantOwner.id)
    ).all()
    return [_summary(m, s) for m, s in rows]


def owned_merchant(account_id: int, handle: str) -> tuple[Merchant, Subject]:
    """The merchant if the caller owns it; raises NotFound (also for merchants of others, so none leak)."""
    merchant, subject = merchant_by_handle(handle)
    owns = db.session.execute(select(MerchantOwner.id).where(
        MerchantOwner.account_id == account_id, MerchantOwner.merchant_id == merchant.id)).first()
    if owns is None:
        raise NotFound(f"本账号没有绑定公开标识为 {handle!r} 的商户。")
    return merchant, subject


def merchant_file(account_id: int, handle: str) -> dict:
    """Grade breakdown and inspections of an owned merchant; raises NotFound."""
    merchant, subject = owned_merchant(account_id, handle)
    inspections = db.session.execute(
        select(Inspection).where(Inspection.merchant_id == merchant.id)
        .order_by(Inspection.sampled_on.desc(), Inspection.id.desc()).limit(INSPECTIONS_LIMIT)
    ).scalars().all()
    return {**_summary(merchant, subject), **grade_view(subject), **own_items(subject), "inspections": inspections}
