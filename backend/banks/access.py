"""Bank operators' bearer tokens: the platform's operator tokens with the `bank` role, one bank each, limited
per bank. Operator and scanner tokens never pass here; bank tokens pass nowhere else (every other
require_operator names its roles, and `bank` is never among them)."""

from __future__ import annotations

from backend.banks.models import Bank
from backend.platform.access import ROLE_ZH, Operator, OperatorRole, authenticate
from backend.platform.db import db
from backend.platform.errors import Forbidden
from backend.platform.ratelimit import consume
from backend.platform.web.auth import OPERATOR_TOKEN, principal, principal_required
from backend.platform.web.errors import limit_zh


def check_bank_operator(op: Operator) -> None:
    """A bank operator of an active bank, within its bank's budget; raises Forbidden or RateLimited."""
    if op.role != OperatorRole.BANK:
        raise Forbidden(f"该接口只供银行操作员使用（需要{ROLE_ZH[OperatorRole.BANK]}角色的凭证）。", code="wrong_role")
    bank = db.session.get(Bank, op.bank_id)
    if bank is None or not bank.active:
        raise Forbidden("该银行已被信用办停用，暂不能查询。", code="bank_inactive")
    # One budget per bank, shared by all its operators: a bank cannot widen it by adding staff.
    consume("BANK_RATE_LIMIT", "bank", f"bank:{op.bank_id}",
            lambda item: f"贵行的请求过于频繁（{limit_zh(item)}），请稍后再试。")


require_bank = principal_required(authenticate, "operator", OPERATOR_TOKEN, check_bank_operator,
                                  needs="operator token, role bank")


def current_bank_operator() -> Operator:
    """The bank operator require_bank authenticated for this request."""
    return principal("operator")
