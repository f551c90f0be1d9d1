"""Operators: the people and systems acting for a department, a market, a partner or the platform.

The model, authentication by token hash, and the view decorator that requires a role. Operator
administration (creating, revoking, listing) is the operators feature; the scope columns point at
markets, partners and banks by table name only, so the platform imports no feature.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.crypto import credential_hash
from backend.platform.db import Base, CreatedAt, db, one_of
from backend.platform.errors import Forbidden, Unauthorized
from backend.platform.web.auth import OPERATOR_TOKEN, principal, principal_required


class OperatorRole(enum.StrEnum):
    ADMIN = "admin"
    DEPARTMENT = "department"
    MARKET = "market"
    PARTNER = "partner"
    WINDOW = "window"  # a service window (政务服务窗口): binds identities after checking the card in person
    BANK = "bank"  # a bank's staff or system (信易贷): only the /api/bank/v1 paths, only for its own bank


OPERATOR_ROLES = tuple(OperatorRole)
ROLE_ZH = {OperatorRole.ADMIN: "平台管理员（admin）", OperatorRole.DEPARTMENT: "部门（department）",
           OperatorRole.MARKET: "市场管理方（market）", OperatorRole.PARTNER: "合作单位（partner）",
           OperatorRole.WINDOW: "政务服务窗口（window）", OperatorRole.BANK: "银行（bank）"}
assert set(ROLE_ZH) == set(OperatorRole), "every role needs its Chinese name"


class Operator(CreatedAt, Base):
    """A person or system acting for a department, a market, a partner, or the platform."""

    __tablename__ = "operators"
    __table_args__ = (one_of("role", OperatorRole),
                      # a bank operator always acts for one bank, and only bank operators have one
                      CheckConstraint("(role = 'bank') = (bank_id IS NOT NULL)", name="bank_iff_bank_role"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    # Scope: which department, market or partner this operator acts for (by role).
    department: Mapped[str | None] = mapped_column(String(100))
    market_id: Mapped[int | None] = mapped_column(ForeignKey("markets.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[dt.datetime | None]

    @property
    def actor(self) -> str:
        """How the audit log names this operator."""
        return f"operator:{self.id}"


def authenticate(token: str) -> Operator:
    """The active operator holding this token; raises Unauthorized."""
    op = db.session.execute(
        select(Operator).where(Operator.token_hash == credential_hash(token))
    ).scalar_one_or_none()
    if op is None or op.revoked_at is not None:
        raise Unauthorized("操作员凭证无效或已停用，请检查 Authorization: Bearer 后的 op_ 凭证。")
    return op


def check_role(op: Operator, roles: tuple[str, ...]) -> None:
    """Raises Forbidden (wrong_role) unless the operator has one of `roles` (the API and the console alike)."""
    if op.role not in roles:
        raise Forbidden(f"该接口需要以下角色的操作员：{'、'.join(ROLE_ZH[r] for r in roles)}。", code="wrong_role")


def require_operator(*roles: str):
    """Authenticate the operator (g.operator) and require one of `roles`; raises Unauthorized or Forbidden."""
    return principal_required(authenticate, "operator", OPERATOR_TOKEN, lambda op: check_role(op, roles),
                              needs=f"operator token, role {' or '.join(roles)}")


def current_operator() -> Operator:
    """The operator require_operator authenticated for this request."""
    return principal("operator")


def operator_actor() -> str:
    """How the audit log names the current operator."""
    return current_operator().actor
