"""Operators: creation with a one-time token, authentication by token hash, revocation."""

from __future__ import annotations

from sqlalchemy import select

from backend.platform.clock import utcnow
from backend.platform.extensions import db
from backend.models import Market, Operator, Partner
from backend.platform.access import OPERATOR_ROLES
from backend.platform import audit
from backend.platform.crypto import credential_hash, new_credential
from backend.platform.errors import Conflict, InvalidInput, NotFound, Unauthorized


def resolve_scope(role: str, department: str | None, market_slug: str | None,
           partner_name: str | None) -> dict:
    """Resolve the scope a role needs; raises InvalidInput when it is missing or unknown."""
    if role not in OPERATOR_ROLES:
        raise InvalidInput(f"role must be one of {', '.join(OPERATOR_ROLES)}")
    if role == "department":
        if not department:
            raise InvalidInput("a department operator needs --department")
        return {"department": department}
    if role == "market":
        market = db.session.execute(select(Market).where(Market.slug == market_slug)).scalar_one_or_none()
        if market is None:
            raise InvalidInput(f"unknown market {market_slug!r}; a market operator needs --market")
        return {"market_id": market.id}
    if role == "partner":
        partner = db.session.execute(select(Partner).where(Partner.name == partner_name)).scalar_one_or_none()
        if partner is None:
            raise InvalidInput(f"unknown partner {partner_name!r}; a partner operator needs --partner")
        return {"partner_id": partner.id}
    return {}


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
    db.session.commit()
    return op, token


def authenticate(token: str) -> Operator:
    """The active operator holding this token; raises Unauthorized."""
    op = db.session.execute(
        select(Operator).where(Operator.token_hash == credential_hash(token))
    ).scalar_one_or_none()
    if op is None or op.revoked_at is not None:
        raise Unauthorized("invalid or revoked operator token")
    return op


def revoke_operator(operator_id: int, *, actor: str) -> Operator:
    """Revoke an operator's token at once; raises NotFound or Conflict."""
    op = db.session.get(Operator, operator_id)
    if op is None:
        raise NotFound(f"no operator {operator_id}")
    if op.revoked_at is not None:
        raise Conflict("operator already revoked", code="already_revoked")
    op.revoked_at = utcnow()
    audit.record(actor, "operator.revoke", "operator", op.id)
    db.session.commit()
    return op


def list_operators(page: int, per_page: int) -> tuple[list[Operator], int]:
    total = db.session.scalar(select(db.func.count(Operator.id)))
    rows = db.session.execute(
        select(Operator).order_by(Operator.id).limit(per_page).offset((page - 1) * per_page)
    ).scalars().all()
    return list(rows), total or 0
