"""/api/dept/v1/repairs: departments decide the applications for their records (谁认定、谁修复); service windows
file organisations' applications; the credit office (admins) sees every overdue one, also as CSV."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from backend.credit import find_subject
from backend.platform import uploads
from backend.platform.access import current_operator, operator_actor, require_operator
from backend.platform.web.http import accepts
from backend.platform.web.uploads import files_in_request, send_upload
from backend.repair import applications, review
from backend.repair.applications import OWNER_KIND
from backend.repair.presenting import describe
from backend.repair.schemas import (
    ApproveSchema,
    CompletionFormSchema,
    RepairArgsSchema,
    RepairListSchema,
    RepairPageSchema,
    RepairReasonSchema,
    RepairSchema,
    ReturnSchema,
    WindowRepairFormSchema,
)

blp = Blueprint("repair", __name__, url_prefix="/api/dept/v1",
                description="Credit repair: applications at the service window, decisions by the filing department")
FORM_DOC = {"requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
    "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}}


@blp.route("/repairs", methods=["POST"])
@require_operator("window", "admin")
@blp.arguments(WindowRepairFormSchema, location="form", content_type="multipart/form-data")
@blp.response(201, RepairSchema)
@accepts("multipart/form-data")
def submit_at_window(form):
    """File an organisation's repair application at the service window, with its proof files (`files`) and its
    signed 信用修复型 commitment. The record's minimum publication period must have passed."""
    files = files_in_request()
    op = current_operator()
    subject = find_subject({"uscc": form["uscc"]})
    return describe(applications.submit_at_window(subject, op.id, form, files, actor=operator_actor()))


@blp.route("/repairs/<ref>/completion", methods=["POST"])
@require_operator("window", "admin")
@blp.arguments(CompletionFormSchema, location="form", content_type="multipart/form-data")
@blp.response(200, RepairSchema)
@accepts("multipart/form-data")
def complete_at_window(form, ref):
    """Supply at the window what a return listed for an application filed there; it is submitted again."""
    files = files_in_request()
    return describe(applications.complete(applications.at_window(ref), form.get("note"), files,
                                          actor=operator_actor()))


@blp.route("/repairs", methods=["GET"])
@require_operator("department", "admin", "window")
@blp.arguments(RepairArgsSchema, location="query")
@blp.response(200, RepairPageSchema)
def list_repairs(args):
    """Applications to your department (admins: all), newest first; a service-window clerk's: those they filed."""
    page = review.applications(current_operator(), args.get("state"), args["page"], args["per_page"])
    return {"items": [describe(a) for a in page.items], "meta": page.envelope()["meta"]}


@blp.route("/repairs/overdue", methods=["GET"])
@require_operator("department", "admin")
@blp.response(200, RepairListSchema)
def overdue():
    """Open applications past their acceptance or decision deadline (working days)."""
    return {"items": [describe(a) for a in review.overdue(current_operator())]}


@blp.route("/repairs/overdue.csv", methods=["GET"])
@require_operator("department", "admin")
@blp.response(200, {"type": "string"}, content_type="text/csv")
def overdue_csv():
    """The overdue list as CSV (UTF-8 with BOM) for the credit office."""
    return Response(review.overdue_csv(current_operator()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="repairs-overdue.csv"'})


@blp.route("/repairs/<ref>", methods=["GET"])
@require_operator("department", "admin")
@blp.response(200, RepairSchema)
def get_repair(ref):
    """One application with its proofs (by reference), commitment, deadlines and history."""
    return describe(review.for_department(current_operator(), ref))


@blp.route("/repairs/<ref>/proofs/<upload_ref>", methods=["GET"])
@require_operator("department", "admin")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream")
def get_proof(ref, upload_ref):
    """Download one proof file of an application to your department (never public, never inline)."""
    app = review.for_department(current_operator(), ref)
    return send_upload(uploads.get(upload_ref, owner_kind=OWNER_KIND, owner_ref=app.ref))


@blp.route("/repairs/<ref>/accept", methods=["POST"])
@require_operator("department", "admin")
@blp.response(200, RepairSchema)
def accept(ref):
    """Materials complete: accept (受理); the decision is due REPAIR_DECIDE_DAYS working days later."""
    return describe(review.accept(current_operator(), ref, actor=operator_actor()))


@blp.route("/repairs/<ref>/return", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(ReturnSchema)
@blp.response(200, RepairSchema)
def return_for_completion(body, ref):
    """Return for completion, listing every missing item at once (一次性告知)."""
    return describe(review.return_for_completion(current_operator(), ref, body["items"], actor=operator_actor()))


@blp.route("/repairs/<ref>/extend", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(RepairReasonSchema)
@blp.response(200, RepairSchema)
def extend(body, ref):
    """Extend the decision deadline once by REPAIR_EXTEND_DAYS working days, with the reason."""
    return describe(review.extend(current_operator(), ref, body["reason"], actor=operator_actor()))


@blp.route("/repairs/<ref>/approve", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(ApproveSchema)
@blp.response(200, RepairSchema)
def approve(body, ref):
    """Approve: publication ends, list entries founded on the record end (and their joint measures), the
    subject is re-graded and the change feed carries it."""
    return describe(review.approve(current_operator(), ref, body.get("reason"), actor=operator_actor()))


@blp.route("/repairs/<ref>/deny", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(RepairReasonSchema)
@blp.response(200, RepairSchema)
def deny(body, ref):
    """Deny, with the reason; the record stays published."""
    return describe(review.deny(current_operator(), ref, body["reason"], actor=operator_actor()))
