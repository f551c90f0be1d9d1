"""GET /me and POST /me/identity (real-name binding)."""

from __future__ import annotations

from backend.accounts import identity
from backend.accounts.schemas import IdentitySchema, MeSchema
from backend.merchants import owned_merchants
from miniprogram_api import blp
from miniprogram_api.auth import binding_limit, current_mp, require_mp_session


def _me(account_id: int, subject) -> dict:
    return {"identity_bound": subject is not None,
            "display_name": subject.display_name if subject else None,
            "id_number_masked": subject.resident_id_masked if subject else None,
            "grade": subject.grade if subject else None,
            "merchants": owned_merchants(account_id)}


@blp.route("/me", methods=["GET"])
@require_mp_session
@blp.response(200, MeSchema)
def get_me():
    """The account: whether it is bound to a person (masked), and the merchants it owns."""
    return _me(current_mp().account_id, identity.person(current_mp().subject_id))


@blp.route("/me/identity", methods=["POST"])
@require_mp_session
@binding_limit
@blp.arguments(IdentitySchema)
@blp.response(200, MeSchema)
@blp.alt_response(409, description="The id is bound to another WeChat account (details.appeal says how to appeal)")
def bind_identity(body):
    """Bind this account to a resident id (stored encrypted, shown masked); reuses the existing credit file."""
    subject = identity.bind_identity(current_mp().account_id, body["name"], body["id_number"])
    return _me(current_mp().account_id, subject)
