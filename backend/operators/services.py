"""Operator administration: creation with a one-time token (only its hash is kept), revocation, listing.
(Authenticating operators is platform.access.)"""

from __future__ import annotations

from sqlalchemy import select

from backend.merchants import Market
from backend.platform import audit
from backend.platform.access import OPERATOR_ROLES, Operator, OperatorRole
from backend.platform.clock import utcnow
from backend.platform.crypto import credential_hash, new_credential
from backend.platform.db import Page, db, paginate, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound
from backend.scanning import Partner


def resolve_scope(role: str, department: str | None, market_slug: str | None,
           partner_name: str | None) -> dict:
    """Resolve the scope a role needs; raises InvalidInput when it is missing or unknown."""
    if role not in OPERATOR_ROLES:
        raise InvalidInput(f"role 应为以下之一：{'、'.join(OPERATOR_ROLES)}。", details={"field": "role"})
    if role in (OperatorRole.DEPARTMENT, OperatorRole.WINDOW):
        if not department:
            raise InvalidInput("部门和政务服务窗口操作员需要指定所属部门或服务大厅（department）。",
                               details={"field": "department"})
        return {"department": department}
    if role == OperatorRole.MARKET:
        market = db.session.execute(select(Market).where(Market.slug == market_slug)).scalar_one_or_none()
        if market is None:
            raise InvalidInput(f"没有标识为 {market_slug!r} 的市场：市场操作员需要指定所属市场（market_slug）。",
                               details={"field": "market_slug"})
        return {"market_id": market.id}
    if role == OperatorRole.BANK:
        raise InvalidInput("银行操作员请在银行名下创建：POST /api/dept/v1/banks/<bank_id>/operators。",
                           details={"field": "role"})
    if role == OperatorRole.PARTNER:
        partner = db.session.execute(select(Partner).where(Partner.name == partner_name)).scalar_one_or_none()
        if partner is None:
            raise InvalidInput(f"没有名为 {partner_name!r} 的合作单位：合作单位操作员需要指定单位名称"
                               "（partner_name）。",
                               details={"field": "partner_name"})
        return {"partner_id": partner.id}
    return {}


@use_case
def create_operator(name: str, role: str, *, department: str | None = None, market_slug: str | None = None,
                    partner_name: str | None = None, actor: str = "cli", token: str | None = None
                    ) -> tuple[Operator, str]:
    """Create an operator and return it with its bearer token (shown once); raises InvalidInput."""
    if not name or len(name) > 100:
        raise InvalidInput("name：名称应为 1 到 100 个字符。", details={"field": "name"})
    scope = resolve_scope(role, department, market_slug, partner_name)
    token = token or new_credential("op")
    op = Operator(name=name, role=role, token_hash=credential_hash(token), **scope)
    db.session.add(op)
    db.session.flush()
    audit.record(actor, "operator.create", "operator", op.id, details={"role": role, **scope})
    return op, token


@use_case
def revoke_operator(operator_id: int, *, actor: str) -> Operator:
    """Revoke an operator's token at once; raises NotFound or Conflict."""
    op = db.session.get(Operator, operator_id)
    if op is None:
        raise NotFound(f"没有编号为 {operator_id} 的操作员。")
    if op.revoked_at is not None:
        raise Conflict("该操作员已停用。", code="already_revoked")
    op.revoked_at = utcnow()
    audit.record(actor, "operator.revoke", "operator", op.id)
    return op


def list_operators(page: int, per_page: int) -> Page:
    return paginate(select(Operator).order_by(Operator.id), page, per_page)
