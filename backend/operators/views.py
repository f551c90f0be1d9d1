"""/api/dept/v1 for platform admins: operators, signing-key rotation, audit-log verification."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.keys import rotate
from backend.operators import services as operators
from backend.operators.schemas import (
    AuditReportSchema,
    NewOperatorSchema,
    OperatorCreatedSchema,
    OperatorPageSchema,
    OperatorSchema,
    RotatedKeySchema,
)
from backend.platform.access import operator_actor, require_operator
from backend.platform.audit_checkpoints import verify_log
from backend.platform.web.schemas import PageArgsSchema

blp = Blueprint("operators", __name__, url_prefix="/api/dept/v1",
                description="Platform admins: operators, signing keys, the audit log")


@blp.route("/operators", methods=["GET"])
@require_operator("admin")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, OperatorPageSchema)
def list_operators(args):
    """List operators (tokens are never shown again)."""
    return operators.list_operators(args["page"], args["per_page"]).envelope()


@blp.route("/operators", methods=["POST"])
@require_operator("admin")
@blp.arguments(NewOperatorSchema)
@blp.response(201, OperatorCreatedSchema)
def create_operator(body):
    """Create an operator; the response carries its token, shown this once."""
    op, token = operators.create_operator(actor=operator_actor(), **body)
    return {"operator": op, "token": token}


@blp.route("/operators/<int:operator_id>/revoke", methods=["POST"])
@require_operator("admin")
@blp.response(200, OperatorSchema)
def revoke_operator(operator_id):
    """Revoke an operator's token at once."""
    return operators.revoke_operator(operator_id, actor=operator_actor())


@blp.route("/signing-keys/rotate", methods=["POST"])
@require_operator("admin")
@blp.response(201, RotatedKeySchema)
def rotate_signing_key():
    """Start signing with a new key; the old one stays published until its codes expire."""
    return rotate(actor=operator_actor())


@blp.route("/audit-log/verify", methods=["GET"])
@require_operator("admin")
@blp.response(200, AuditReportSchema)
def verify_audit_log():
    """Recompute the audit log's hash chain, verify every signed checkpoint, and report the first problem."""
    return verify_log()
