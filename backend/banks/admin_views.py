"""/api/dept/v1 for the credit office (admins): banks and their operators, monthly statistics; and for service
windows (role window): an organisation's authorisation from its signed 授权书, its revocation and its list."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.banks import consent, history, registry, statistics
from backend.banks.schemas import (
    AuthorisationPageSchema,
    AuthorisationSchema,
    BankActiveSchema,
    BankOperatorCreatedSchema,
    BankPageSchema,
    BankSchema,
    MonthArgsSchema,
    NewBankOperatorSchema,
    NewBankSchema,
    StatisticsSchema,
    WindowGrantSchema,
    WindowListArgsSchema,
)
from backend.platform.access import current_operator, operator_actor, require_operator
from backend.platform.web.schemas import PageArgsSchema

blp = Blueprint("bank_admin", __name__, url_prefix="/api/dept/v1",
                description="信易贷 for the credit office and service windows: banks, authorisations, statistics")


@blp.route("/banks", methods=["POST"])
@require_operator("admin")
@blp.arguments(NewBankSchema)
@blp.response(201, BankSchema)
@blp.alt_response(409, description="A bank with this USCC or licence number is registered")
def register_bank(body):
    """Register a bank (name, USCC, 金融许可证 number)."""
    return registry.register_bank(body["name"], body["uscc"], body["licence_no"], actor=operator_actor())


@blp.route("/banks", methods=["GET"])
@require_operator("admin")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, BankPageSchema)
def list_banks(args):
    """Registered banks."""
    return registry.list_banks(args["page"], args["per_page"]).envelope()


@blp.route("/banks/<int:bank_id>/active", methods=["PUT"])
@require_operator("admin")
@blp.arguments(BankActiveSchema)
@blp.response(200, BankSchema)
def set_bank_active(body, bank_id):
    """Suspend (false) or resume (true) a bank: its operators are refused at once while suspended."""
    return registry.set_bank_active(bank_id, body["active"], actor=operator_actor())


@blp.route("/banks/<int:bank_id>/operators", methods=["POST"])
@require_operator("admin")
@blp.arguments(NewBankOperatorSchema)
@blp.response(201, BankOperatorCreatedSchema)
def create_bank_operator(body, bank_id):
    """An operator (role bank) acting for this bank; the token is shown this once (revoke it like any operator's)."""
    op, token = registry.create_bank_operator(bank_id, body["name"], actor=operator_actor())
    return {"operator": op, "token": token}


@blp.route("/bank-statistics", methods=["GET"])
@require_operator("admin")
@blp.arguments(MonthArgsSchema, location="query")
@blp.response(200, StatisticsSchema)
def bank_statistics(args):
    """Per bank, one China-time month: authorisations, fetches, applications and outcomes (no subject data)."""
    return statistics.monthly_statistics(args["month"])


@blp.route("/bank-authorisations", methods=["POST"])
@require_operator("window")
@blp.arguments(WindowGrantSchema)
@blp.response(201, AuthorisationSchema)
def grant_at_window(body):
    """An organisation authorises a bank with a signed 授权书 the clerk checked (kept by its number)."""
    return history.describe([consent.grant_at_window(current_operator(), body)])[0]


@blp.route("/bank-authorisations", methods=["GET"])
@require_operator("window")
@blp.arguments(WindowListArgsSchema, location="query")
@blp.response(200, AuthorisationPageSchema)
def list_at_window(args):
    """An organisation's authorisations with every fetch and application, to show it at the counter."""
    return history.organisation_authorisations(args["uscc"], args["page"], args["per_page"])


@blp.route("/bank-authorisations/<authorisation>/revoke", methods=["POST"])
@require_operator("window")
@blp.response(200, AuthorisationSchema)
def revoke_at_window(authorisation):
    """Revoke an organisation's window authorisation at once."""
    return history.describe([consent.revoke_at_window(current_operator(), authorisation)])[0]
