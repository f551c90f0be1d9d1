"""Banks as a party: the credit office registers a bank (name, USCC, licence number) and its operators."""

from __future__ import annotations

from sqlalchemy import or_, select

from backend.banks.models import Bank
from backend.platform import audit
from backend.platform.access import Operator, OperatorRole
from backend.platform.crypto import credential_hash, new_credential
from backend.platform.db import Page, db, paginate, use_case
from backend.platform.errors import Conflict, NotFound
from backend.platform.identifiers import valid_uscc


@use_case
def register_bank(name: str, uscc: str, licence_no: str, *, actor: str) -> Bank:
    """Register a bank; raises InvalidInput (bad USCC) or Conflict (USCC or licence already registered)."""
    code = valid_uscc(uscc)
    taken = db.session.execute(select(Bank).where(or_(Bank.uscc == code, Bank.licence_no == licence_no))).first()
    if taken is not None:
        raise Conflict("该统一社会信用代码或金融许可证号的银行已经登记。", code="bank_exists")
    bank = Bank(name=name, uscc=code, licence_no=licence_no)
    db.session.add(bank)
    db.session.flush()
    audit.record(actor, "bank.register", "bank", bank.id, details={"uscc": code, "licence_no": licence_no})
    return bank


def get_bank(bank_id: int, *, active_only: bool = False) -> Bank:
    """Raises NotFound."""
    bank = db.session.get(Bank, bank_id)
    if bank is None or (active_only and not bank.active):
        raise NotFound(f"没有编号为 {bank_id} 的银行。")
    return bank


def list_banks(page: int, per_page: int, *, active_only: bool = False) -> Page:
    query = select(Bank).order_by(Bank.id)
    if active_only:
        query = query.where(Bank.active.is_(True))
    return paginate(query, page, per_page)


@use_case
def create_bank_operator(bank_id: int, name: str, *, actor: str, token: str | None = None) -> tuple[Operator, str]:
    """An operator with the `bank` role acting for this bank, and its bearer token (shown once); raises NotFound."""
    bank = get_bank(bank_id)
    token = token or new_credential("op")
    op = Operator(name=name, role=OperatorRole.BANK, bank_id=bank.id, token_hash=credential_hash(token))
    db.session.add(op)
    db.session.flush()
    audit.record(actor, "operator.create", "operator", op.id, details={"role": OperatorRole.BANK, "bank_id": bank.id})
    return op, token


@use_case
def set_bank_active(bank_id: int, active: bool, *, actor: str) -> Bank:
    """Suspend or resume a bank: a suspended bank's operators are refused at once; raises NotFound."""
    bank = get_bank(bank_id)
    bank.active = active
    audit.record(actor, "bank.resume" if active else "bank.suspend", "bank", bank.id)
    return bank
