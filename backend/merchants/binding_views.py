"""Market operators issue one-time binding codes for their merchants' owners (role market)."""

from __future__ import annotations

from flask import g

from backend.platform.web.auth import require_operator
from backend.merchants.admin_views import blp
from backend.accounts.schemas import BindingCodeSchema, NewBindingCodeSchema
from backend.merchants import owners as merchant_owners

MARKET = [{"operatorToken": []}]


@blp.route("/merchants/<handle>/binding-codes", methods=["POST"])
@blp.doc(security=MARKET)
@require_operator("market", "admin")
@blp.arguments(NewBindingCodeSchema)
@blp.response(201, BindingCodeSchema)
def issue_binding_code(body, handle):
    """A single-use, expiring code the merchant's owner enters in the mini-program (shown once)."""
    return merchant_owners.issue_binding_code(g.operator, handle, body.get("note"))
