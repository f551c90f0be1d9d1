"""POST /me/commitments (sign a 主动型 credit commitment online), GET /me/commitments."""

from __future__ import annotations

from backend.credit import commitments_of, describe_commitment
from backend.credit.commitments import sign_voluntary
from backend.credit.schemas import CommitmentFieldsSchema, CommitmentListSchema, CommitmentOutSchema
from miniprogram_api import blp
from miniprogram_api.auth import current_mp, require_bound_person


@blp.route("/me/commitments", methods=["POST"])
@require_bound_person
@blp.arguments(CommitmentFieldsSchema)
@blp.response(201, CommitmentOutSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def sign_commitment(body):
    """Sign a 主动型 credit commitment, dated today; public ones show where my credit is shown."""
    mp = current_mp()
    return describe_commitment(sign_voluntary(mp.subject_id, body, actor=mp.actor))


@blp.route("/me/commitments", methods=["GET"])
@require_bound_person
@blp.response(200, CommitmentListSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def my_commitments():
    """Every credit commitment I made (主动型, 信用修复型 and those departments recorded), newest first."""
    return {"items": [describe_commitment(c) for c in commitments_of(current_mp().subject_id, public_only=False)]}
