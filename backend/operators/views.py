"""Operator management and audit-log verification (role admin)."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.platform.web.auth import operator_actor, require_operator
from backend.platform.web.http import page_of
from backend.platform.web.schemas import PageArgsSchema
from backend.operators.schemas import (AuditReportSchema, NewOperatorSchema, OperatorCreatedSchema,
    OperatorPageSchema, OperatorSchema, RotatedKeySchema)
from backend.platform import audit
from backend.operators import services as operators
from backend.keys import keyring as signing_keys

blp = Blueprint("operators", __name__, url_prefix="/api/dept/v1",
                description="Platform admins: operators, signing keys, the audit log")
ADMIN = [{"operatorToken": []}]


@blp.route("/operators", methods=["GET"])
@blp.doc(security=ADMIN)
@require_operator("admin")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, OperatorPageSchema)
def list_operators(args):
    """List operators (tokens are never shown again)."""
    rows, total = operators.list_operators(args["page"], args["per_page"])
    return page_of(rows, total, args["page"], args["per_page"])


@blp.route("/operators", methods=["POST"])
@blp.doc(security=ADMIN)
@require_operator("admin")
@blp.arguments(NewOperatorSchema)
@blp.response(201, OperatorCreatedSchema)
def create_operator(body):
    """Create an operator; the response carries its token, shown this once."""
    op, token = operators.create_operator(actor=operator_actor(), **body)
    return {"operator": op, "token": token}


@blp.route("/operators/<int:operator_id>/revoke", methods=["POST"])
@blp.doc(security=ADMIN)
@require_operator("admin")
@blp.response(200, OperatorSchema)
def revoke_operator(operator_id):
    """Revoke an operator's token at once."""
    return operators.revoke_operator(operator_id, actor=operator_actor())


@blp.route("/signing-keys/rotate", methods=["POST"])
@blp.doc(security=ADMIN)
@require_operator("admin")
@blp.response(201, RotatedKeySchema)
def rotate_signing_key():
    """Start signing with a new key; the old one stays published until its codes expire."""
    return signing_keys.rotate(actor=operator_actor())


@blp.route("/audit-log/verify", methods=["GET"])
@blp.doc(security=ADMIN)
@require_operator("admin")
@blp.response(200, AuditReportSchema)
def verify_audit_log():
    """Recompute the audit log's hash chain and report the first broken entry."""
    return audit.verify_chain()
