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
        raise InvalidInput(f"role must be one of {', '.join(OPERATOR_ROLES)}")
    if role in (OperatorRole.DEPARTMENT, OperatorRole.WINDOW):
        if not department:
            raise InvalidInput(f"a {role} operator needs --department (its department or service hall)")
        return {"department": department}
    if role == OperatorRole.MARKET:
        market = db.session.execute(select(Market).where(Market.slug == market_slug)).scalar_one_or_none()
        if market is None:
            raise InvalidInput(f"unknown market {market_slug!r}; a market operator needs --market")
        return {"market_id": market.id}
    if role == OperatorRole.PARTNER:
        partner = db.session.execute(select(Partner).where(Partner.name == partner_name)).scalar_one_or_none()
        if partner is None:
            raise InvalidInput(f"unknown partner {partner_name!r}; a partner operator needs --partner")
        return {"partner_id": partner.id}
    return {}


@use_case
def create_operator(name: str, role: str, *, department: str | None = None, market_slug: str | None = None,
                    partner_name: str | None = None, actor: str = "cli", token: str | None = None
                    ) -> tuple[Operator, str]:
    """Create an operator and return it with its bearer token (shown once); raises InvalidInput."""
    if not name or len(name) > 100:
        raise InvalidInput("name must be 1–100 characters")
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
        raise NotFound(f"no operator {operator_id}")
    if op.revoked_at is not None:
        raise Conflict("operator already revoked", code="already_revoked")
    op.revoked_at = utcnow()
    audit.record(actor, "operator.revoke", "operator", op.id)
    return op


def list_operators(page: int, per_page: int) -> Page:
    return paginate(select(Operator).order_by(Operator.id), page, per_page)
