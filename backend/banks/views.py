"""/api/bank/v1 for banks' operators: fetch the financing profile of a subject who authorised the bank (by the
authorisation handle it was given, never by a search), record loan applications and report their outcomes."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.banks import loans, profiles, registry
from backend.banks.access import current_bank_operator, require_bank
from backend.banks.schemas import (
    ApplicationOutSchema,
    BankMeSchema,
    IdempotencyHeaderSchema,
    NewApplicationSchema,
    OutcomeSchema,
    ProfileSchema,
)

blp = Blueprint("bank", __name__, url_prefix="/api/bank/v1",
                description="Banks (信易贷): financing profiles of subjects who authorised the bank, loan outcomes")


@blp.route("/me", methods=["GET"])
@require_bank
@blp.response(200, BankMeSchema)
def whoami():
    """The bank this token acts for."""
    op = current_bank_operator()
    return {"bank": registry.get_bank(op.bank_id), "operator_id": op.id}


@blp.route("/authorisations/<authorisation>/profile", methods=["GET"])
@require_bank
@blp.response(200, ProfileSchema)
@blp.alt_response(403, description="No live authorisation of this bank: unknown, another bank's, revoked or expired")
def fetch_profile(authorisation):
    """The subject's financing profile: exactly the authorised scopes, signed (typ sw-financing-profile+jwt,
    verify against /.well-known/jwks.json); the fetch is logged and shown to the subject."""
    return profiles.fetch_profile(current_bank_operator(), authorisation)


@blp.route("/authorisations/<authorisation>/applications", methods=["POST"])
@require_bank
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.arguments(NewApplicationSchema)
@blp.response(201, ApplicationOutSchema)
@blp.alt_response(200, schema=ApplicationOutSchema, description="A retry with the same Idempotency-Key")
@blp.alt_response(403, description="No live authorisation of this bank")
def record_application(headers, body, authorisation):
    """Record a loan application received from a subject who authorised the bank (exactly once per key)."""
    application, replayed = loans.record_application(current_bank_operator(), authorisation, body,
                                                     headers["idempotency_key"])
    return loans.described(application), 200 if replayed else 201


@blp.route("/applications/<int:application_id>", methods=["GET"])
@require_bank
@blp.response(200, ApplicationOutSchema)
def get_application(application_id):
    """One of the bank's applications and its reported outcome."""
    return loans.described(loans.bank_application(current_bank_operator(), application_id))


@blp.route("/applications/<int:application_id>/outcome", methods=["POST"])
@require_bank
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.arguments(OutcomeSchema)
@blp.response(200, ApplicationOutSchema)
@blp.alt_response(409, description="An outcome was reported already (under another key)")
def report_outcome(headers, body, application_id):
    """Report the outcome: approved (amount, term, rate band) or declined (reason category); the subject sees it."""
    application, _ = loans.report_outcome(current_bank_operator(), application_id, body, headers["idempotency_key"])
    return loans.described(application)
