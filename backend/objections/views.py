"""/api/dept/v1 objections and declarations: filing at a service window, the credit office's acceptance and check,
the providing department's decision, the competent department's verification, worklists with CSV export."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from backend.credit import find_subject
from backend.objections import declarations, evidence, objections, reading
from backend.objections.schemas import (
    CheckSchema,
    DecisionSchema,
    DeclarationDecisionSchema,
    DeclarationPageSchema,
    DeclarationSchema,
    DeclarationWorklistArgsSchema,
    ObjectionPageSchema,
    ObjectionSchema,
    ReasonSchema,
    UploadListSchema,
    WindowDeclarationInSchema,
    WindowObjectionInSchema,
    WorklistArgsSchema,
)
from backend.objections.vocab import Channel
from backend.platform.access import current_operator, operator_actor, require_operator
from backend.platform.web.http import accepts
from backend.platform.web.schemas import OptionalIdempotencyHeaderSchema
from backend.platform.web.uploads import files_in_request, send_upload

blp = Blueprint("objections", __name__, url_prefix="/api/dept/v1",
                description="Objections (异议) and self-declarations (自主申报): windows, credit office, departments")
MULTIPART = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}
CSV = {"type": "string"}


def _objection(number: str):
    obj = objections.by_number(number)
    reading.visible_to_operator(obj, current_operator())
    return obj


def _detail(obj) -> dict:
    return {**reading.objection_detail(obj), "current_values": objections.current_values(obj)}


@blp.route("/objections", methods=["POST"])
@require_operator("window", "admin")
@blp.arguments(WindowObjectionInSchema)
@blp.response(201, ObjectionSchema)
@blp.alt_response(409, description="The item has an open objection (objection_open, its number in details)")
def file_objection(body):
    """At a service window: an objection for an organisation (or anyone) to one item of its file; evidence next."""
    subject = find_subject(body)
    obj = objections.submit(subject, body, channel=Channel.WINDOW, actor=operator_actor(), operator=current_operator())
    return _detail(obj)


@blp.route("/objections", methods=["GET"])
@require_operator("department", "admin", "window")
@blp.arguments(WorklistArgsSchema, location="query")
@blp.response(200, ObjectionPageSchema)
def objection_worklist(args):
    """Objections by deadline: a department sees those about its own items, a window those it filed, admins all."""
    return reading.objection_worklist(args, current_operator()).envelope()


@blp.route("/objections/export.csv", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(WorklistArgsSchema, location="query")
@blp.response(200, CSV, content_type="text/csv", description="The filtered worklist, every page")
def objection_worklist_csv(args):
    """The same worklist as CSV (UTF-8 with BOM)."""
    return Response(reading.worklist_csv("objection", args, current_operator()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="objections.csv"'})


@blp.route("/objections/<number>", methods=["GET"])
@require_operator("department", "admin", "window")
@blp.response(200, ObjectionSchema)
def get_objection(number):
    """One objection: the item and its correctable fields now, corrections asked and applied, steps, evidence."""
    return _detail(_objection(number))


@blp.route("/objections/<number>/evidence", methods=["POST"])
@blp.doc(requestBody=MULTIPART)
@require_operator("window", "admin")
@blp.response(201, UploadListSchema)
@accepts("multipart/form-data")
def add_objection_evidence(number):
    """Evidence (PDF, PNG, JPEG) for an objection filed at this window, until it is accepted."""
    files = files_in_request()
    return {"items": evidence.add_evidence(_objection(number), files, actor=operator_actor())}


@blp.route("/objections/<number>/evidence/<ref>", methods=["GET"])
@require_operator("department", "admin", "window")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream")
def get_objection_evidence(number, ref):
    """One evidence file, as a download."""
    return send_upload(evidence.evidence_file(_objection(number), ref))


@blp.route("/objections/<number>/accept", methods=["POST"])
@require_operator("admin")
@blp.response(200, ObjectionSchema)
def accept_objection(number):
    """受理 (credit office): the item is marked 「信息主体已提出异议，正在核实」 in every view from now on."""
    return _detail(objections.accept(number, operator=current_operator(), actor=operator_actor()))


@blp.route("/objections/<number>/not-accept", methods=["POST"])
@require_operator("admin")
@blp.arguments(ReasonSchema)
@blp.response(200, ObjectionSchema)
def not_accept_objection(body, number):
    """不予受理 (credit office), with every reason at once (一次性告知)."""
    return _detail(objections.not_accept(number, body["reason"], operator=current_operator(), actor=operator_actor()))


@blp.route("/objections/<number>/check", methods=["POST"])
@require_operator("admin")
@blp.arguments(CheckSchema)
@blp.response(200, ObjectionSchema)
def check_objection(body, number):
    """The credit office's check: its own error corrected at once, or forwarded to the providing department."""
    return _detail(objections.check(number, body, operator=current_operator(), actor=operator_actor()))


@blp.route("/objections/<number>/extend", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(ReasonSchema)
@blp.response(200, ObjectionSchema)
def extend_objection(body, number):
    """The providing department extends its time once (OBJECTION_EXTENSION_DAYS working days)."""
    return _detail(objections.extend(number, body["reason"], operator=current_operator(), actor=operator_actor()))


@blp.route("/objections/<number>/decide", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(DecisionSchema)
@blp.response(200, ObjectionSchema)
def decide_objection(body, number):
    """The decision (the providing department; a 复核: the credit office): applied at once, the mark cleared,
    the subject re-graded."""
    return _detail(objections.decide(number, body, operator=current_operator(), actor=operator_actor()))


def _declaration(number: str):
    d = declarations.by_number(number)
    reading.visible_to_operator(d, current_operator())
    return d


@blp.route("/declarations", methods=["POST"])
@require_operator("window", "admin")
@blp.arguments(WindowDeclarationInSchema)
@blp.arguments(OptionalIdempotencyHeaderSchema, location="headers")
@blp.response(201, DeclarationSchema)
@blp.alt_response(200, schema=DeclarationSchema, description="A retry with the same Idempotency-Key")
def declare_at_window(body, headers):
    """At a service window: a declaration for an organisation, or a person without the mini-program, named by
    `uscc` or `resident_id` (the subject must have a file), under the truthfulness commitment signed at the
    counter (a 主动型 commitment the window records); evidence next. The clerk and the window are recorded."""
    op = current_operator()
    d, replayed = declarations.submit(find_subject(body), body, actor=operator_actor(), channel=Channel.WINDOW,
                                      operator=op, idempotency_key=headers.get("idempotency_key"))
    return declarations.declaration_detail(d), 200 if replayed else 201


@blp.route("/declarations", methods=["GET"])
@require_operator("department", "admin", "window")
@blp.arguments(DeclarationWorklistArgsSchema, location="query")
@blp.response(200, DeclarationPageSchema)
def declaration_worklist(args):
    """Declarations by deadline: a department sees those it verifies, a window those it filed, admins all."""
    return reading.declaration_worklist(args, current_operator()).envelope()


@blp.route("/declarations/export.csv", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(DeclarationWorklistArgsSchema, location="query")
@blp.response(200, CSV, content_type="text/csv", description="The filtered worklist, every page")
def declaration_worklist_csv(args):
    """The same worklist as CSV (UTF-8 with BOM)."""
    return Response(reading.worklist_csv("declaration", args, current_operator()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="declarations.csv"'})


@blp.route("/declarations/<number>", methods=["GET"])
@require_operator("department", "admin", "window")
@blp.response(200, DeclarationSchema)
def get_declaration(number):
    """One declaration with its commitment and evidence (a window: those it filed)."""
    return declarations.declaration_detail(_declaration(number))


@blp.route("/declarations/<number>/evidence", methods=["POST"])
@blp.doc(requestBody=MULTIPART)
@require_operator("window", "admin")
@blp.response(201, UploadListSchema)
@accepts("multipart/form-data")
def add_declaration_evidence(number):
    """Evidence (PDF, PNG, JPEG) for a declaration filed at this window, while it is being verified."""
    files = files_in_request()
    return {"items": evidence.add_evidence(_declaration(number), files, actor=operator_actor())}


@blp.route("/declarations/<number>/evidence/<ref>", methods=["GET"])
@require_operator("department", "admin", "window")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream")
def get_declaration_evidence(number, ref):
    """One evidence file, as a download."""
    return send_upload(evidence.evidence_file(_declaration(number), ref))


@blp.route("/declarations/<number>/decide", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(DeclarationDecisionSchema)
@blp.response(200, DeclarationSchema)
def decide_declaration(body, number):
    """Verified (filed as 「自主申报，已核验」 and graded), rejected with the reason, or more information needed."""
    _declaration(number)
    d = declarations.decide(number, body, operator=current_operator(), actor=operator_actor())
    return declarations.declaration_detail(d)


@blp.route("/declarations/<number>/found-false", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(ReasonSchema)
@blp.response(200, DeclarationSchema)
def declaration_found_false(body, number):
    """A verified declaration found untrue: its record stops and the subject goes on the watch list."""
    _declaration(number)
    d = declarations.found_false(number, body["reason"], operator=current_operator(), actor=operator_actor())
    return declarations.declaration_detail(d)
