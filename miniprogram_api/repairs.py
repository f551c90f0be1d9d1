"""Credit repair in the mini-program: a resident applies for their own record, a merchant's bound owner for
the merchant's; /me/repairs shows every application with its state, deadlines and history (the "notice")."""

from __future__ import annotations

from backend.platform.web.http import accepts
from backend.platform.web.uploads import files_in_request
from backend.repair import (
    COMMITMENT_LIABILITY,
    COMMITMENT_TEXT,
    complete,
    describe,
    mine,
    my_applications,
    submit_as_owner,
    submit_as_resident,
)
from backend.repair.schemas import (
    CompletionFormSchema,
    RepairCommitmentSchema,
    RepairFormSchema,
    RepairListSchema,
    RepairSchema,
)
from miniprogram_api import blp
from miniprogram_api.auth import current_mp, require_bound_person, require_mp_session


@blp.route("/me/repairs", methods=["POST"])
@require_bound_person
@blp.arguments(RepairFormSchema, location="form", content_type="multipart/form-data")
@blp.response(201, RepairSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
@accepts("multipart/form-data")
def apply_for_repair(form):
    """Apply to repair one of my records (wx.uploadFile: proof files in `files`), signing the 信用修复型
    commitment. Possible once the record's minimum publication period has passed; free of charge."""
    files = files_in_request()
    mp = current_mp()
    return describe(submit_as_resident(mp.subject_id, mp.account_id, form, files, actor=mp.actor))


@blp.route("/me/merchants/<handle>/repairs", methods=["POST"])
@require_mp_session
@blp.arguments(RepairFormSchema, location="form", content_type="multipart/form-data")
@blp.response(201, RepairSchema)
@accepts("multipart/form-data")
def apply_for_merchant_repair(form, handle):
    """As a merchant's bound owner, apply to repair one of the merchant's records."""
    files = files_in_request()
    mp = current_mp()
    return describe(submit_as_owner(mp.account_id, handle, form, files, actor=mp.actor))


@blp.route("/me/repairs/commitment", methods=["GET"])
@require_mp_session
@blp.response(200, RepairCommitmentSchema)
def repair_commitment():
    """The standard 信用修复型 commitment an application is signed under: show it, send it as commitment_content."""
    return {"text": COMMITMENT_TEXT, "liability": COMMITMENT_LIABILITY, "type_zh": "信用修复型"}


@blp.route("/me/repairs", methods=["GET"])
@require_mp_session
@blp.response(200, RepairListSchema)
def my_repairs():
    """My repair applications (mine and my merchants'), newest first, with state, deadlines and history."""
    mp = current_mp()
    return {"items": [describe(a) for a in my_applications(mp.account_id, mp.subject_id)]}


@blp.route("/me/repairs/<ref>", methods=["GET"])
@require_mp_session
@blp.response(200, RepairSchema)
def my_repair(ref):
    """One of my repair applications."""
    mp = current_mp()
    return describe(mine(mp.account_id, mp.subject_id, ref))


@blp.route("/me/repairs/<ref>/completion", methods=["POST"])
@require_mp_session
@blp.arguments(CompletionFormSchema, location="form", content_type="multipart/form-data")
@blp.response(200, RepairSchema)
@accepts("multipart/form-data")
def complete_repair(form, ref):
    """Supply what a return listed (files and/or a note); the application is submitted again."""
    files = files_in_request()
    mp = current_mp()
    return describe(complete(mine(mp.account_id, mp.subject_id, ref), form.get("note"), files, actor=mp.actor))
