"""信易贷 in the mini-program: pick a bank, authorise it (for oneself or an owned merchant), see every fetch and
loan outcome, revoke at any time."""

from __future__ import annotations

from backend.banks import consent, history, registry
from backend.banks.schemas import AuthorisationPageSchema, AuthorisationSchema, MpGrantSchema, PublicBankPageSchema
from backend.platform.web.schemas import PageArgsSchema
from miniprogram_api import blp
from miniprogram_api.auth import current_mp, require_mp_session


@blp.route("/banks", methods=["GET"])
@require_mp_session
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, PublicBankPageSchema)
def list_banks(args):
    """Banks one may authorise."""
    return registry.list_banks(args["page"], args["per_page"], active_only=True).envelope()


@blp.route("/me/bank-authorisations", methods=["POST"])
@require_mp_session
@blp.arguments(MpGrantSchema)
@blp.response(201, AuthorisationSchema)
@blp.alt_response(403, description="Not bound to a person yet (for oneself)")
def grant_bank_authorisation(body):
    """Authorise one bank: for oneself (bound person), or with merchant_handle for an owned merchant. Give the
    answer's `handle` to the bank; personal data is included only when `scopes` names personal_data."""
    return history.describe([consent.grant_in_mini_program(current_mp(), body)])[0]


@blp.route("/me/bank-authorisations", methods=["GET"])
@require_mp_session
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, AuthorisationPageSchema)
def list_bank_authorisations(args):
    """One's own and one's merchants' authorisations, each with every fetch (bank, operator, time, scopes,
    purpose) and every loan application with its outcome."""
    return history.my_authorisations(current_mp(), args["page"], args["per_page"])


@blp.route("/me/bank-authorisations/<authorisation>/revoke", methods=["POST"])
@require_mp_session
@blp.response(200, AuthorisationSchema)
def revoke_bank_authorisation(authorisation):
    """Revoke an authorisation at once: the bank's next fetch is refused."""
    return history.describe([consent.revoke_in_mini_program(current_mp(), authorisation)])[0]
