"""GET /me and real-name binding: WeChat face verification (two steps) or a service-window counter code."""

from __future__ import annotations

from backend.accounts import identity
from backend.accounts.schemas import CounterCodeSchema, FaceVerificationSchema, IdentitySchema, MeSchema
from backend.merchants import owned_merchants
from backend.platform.errors import Gone
from miniprogram_api import blp
from miniprogram_api.auth import binding_limit, current_mp, require_mp_session
from miniprogram_api.gateway import FaceVerifier


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
@blp.response(410, description="Gone: knowing a name and an id number is no proof. Use face-verifications")
def bind_identity():
    """Gone (since code format 2): real-name binding needs WeChat face verification or a service window."""
    raise Gone("实名绑定需进行人脸核身：请更新小程序后重试，或携带身份证到政务服务窗口办理。",
               code="use_face_verification")


@blp.route("/me/identity/face-verifications", methods=["POST"])
@require_mp_session
@binding_limit
@blp.arguments(IdentitySchema)
@blp.response(201, FaceVerificationSchema)
@blp.alt_response(409, description="This account is bound already (account_already_bound)")
@blp.alt_response(429, description="Too many attempts for this account or this id number")
def start_face_verification(body):
    """Step 1 of binding: open a WeChat face verification of this name and id for this account; then run
    wx.requestFacialVerify({verifyId}) in the mini-program and confirm. The answer is the same whether or
    not a credit file exists for the id."""
    return identity.start_face_verification(current_mp().account_id, body["name"], body["id_number"],
                                            verifier=FaceVerifier())


@blp.route("/me/identity/face-verifications/<verification_id>/confirm", methods=["POST"])
@require_mp_session
@binding_limit
@blp.response(200, MeSchema)
@blp.alt_response(409, description="The id is bound to another WeChat account (details.appeal says how to appeal)")
@blp.alt_response(410, description="The verification expired: start again")
@blp.alt_response(422, description="Face verification not passed (details.verify_ret); the message says why")
def confirm_face_verification(verification_id):
    """Step 2: after wx.requestFacialVerify, bind this account if WeChat says the face verification passed."""
    subject = identity.confirm_face_verification(current_mp().account_id, verification_id, verifier=FaceVerifier())
    return _me(current_mp().account_id, subject)


@blp.route("/me/identity/counter-code", methods=["POST"])
@require_mp_session
@binding_limit
@blp.response(201, CounterCodeSchema)
def issue_counter_code():
    """For residents who cannot do face verification: a one-time code to show at a service window, where a clerk
    checks the ID card and binds this account (valid COUNTER_CODE_TTL_SECONDS)."""
    return identity.issue_counter_code(current_mp().account_id)
