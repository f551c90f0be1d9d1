"""Objections, self-declarations and what may be shown, from the mini-program: a resident about their own file, a
merchant's bound owner about the merchant's. Evidence goes up one file per call (wx.uploadFile) or several."""

from __future__ import annotations

from backend.credit import preferences, set_hides_positive, subject_by_handle
from backend.credit.schemas import PreferencesSchema
from backend.merchants import owned_merchant
from backend.objections import declarations, evidence, objections, reading
from backend.objections.schemas import (
    DeclarationCommitmentSchema,
    DeclarationInSchema,
    DeclarationPageSchema,
    DeclarationSchema,
    ObjectionInSchema,
    ObjectionPageSchema,
    ObjectionSchema,
    ReasonSchema,
    SupplementSchema,
    UploadListSchema,
)
from backend.objections.vocab import DECLARATION_COMMITMENT, Channel
from backend.platform.web.http import accepts
from backend.platform.web.schemas import OptionalIdempotencyHeaderSchema, PageArgsSchema
from backend.platform.web.uploads import files_in_request, send_upload
from miniprogram_api import blp
from miniprogram_api.auth import current_mp, require_bound_person, require_mp_session

MULTIPART = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}
BINARY = {"type": "string", "format": "binary"}


def _me():
    return subject_by_handle(current_mp().handle)


def _mine(number: str):
    mp = current_mp()
    return reading.my_objection(mp.account_id, mp.subject_id, number)


def _my_declaration(number: str):
    mp = current_mp()
    return reading.my_declaration(mp.account_id, mp.subject_id, number)


@blp.route("/me/objections", methods=["POST"])
@require_bound_person
@blp.arguments(ObjectionInSchema)
@blp.response(201, ObjectionSchema)
@blp.alt_response(409, description="The item has an open objection (objection_open, its number in details)")
def file_my_objection(body):
    """Object to one record or list entry of my file (ids from GET /me/credit); evidence next, one call per file."""
    mp = current_mp()
    obj = objections.submit(_me(), body, channel=Channel.RESIDENT, actor=mp.actor, account_id=mp.account_id)
    return reading.objection_detail(obj)


@blp.route("/me/merchants/<handle>/objections", methods=["POST"])
@require_mp_session
@blp.arguments(ObjectionInSchema)
@blp.response(201, ObjectionSchema)
@blp.alt_response(409, description="The item has an open objection (objection_open, its number in details)")
def file_merchant_objection(body, handle):
    """As an owner, object to one record or list entry of the merchant's file (404 for others' merchants)."""
    mp = current_mp()
    _, subject = owned_merchant(mp.account_id, handle)
    obj = objections.submit(subject, body, channel=Channel.MERCHANT, actor=mp.actor, account_id=mp.account_id)
    return reading.objection_detail(obj)


@blp.route("/me/objections", methods=["GET"])
@require_mp_session
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ObjectionPageSchema)
def list_my_objections(args):
    """My objections (about my own file, and those I filed for merchants I own), newest first, with their state."""
    mp = current_mp()
    return reading.my_objections(mp.account_id, mp.subject_id, args["page"], args["per_page"]).envelope()


@blp.route("/me/objections/<number>", methods=["GET"])
@require_mp_session
@blp.response(200, ObjectionSchema)
def get_my_objection(number):
    """One of my objections: every step with its deadline, the outcome, corrections applied (old → new)."""
    return reading.objection_detail(_mine(number))


@blp.route("/me/objections/<number>/evidence", methods=["POST"])
@blp.doc(requestBody=MULTIPART)
@require_mp_session
@blp.response(201, UploadListSchema)
@accepts("multipart/form-data")
def add_my_objection_evidence(number):
    """Evidence (PDF, PNG or JPEG, field `files`) until the objection is accepted; nothing is kept if a file is
    refused."""
    files = files_in_request()
    return {"items": evidence.add_evidence(_mine(number), files, actor=current_mp().actor)}


@blp.route("/me/objections/<number>/evidence/<ref>", methods=["GET"])
@require_mp_session
@blp.response(200, BINARY, content_type="application/octet-stream")
def get_my_objection_evidence(number, ref):
    """One of my evidence files, as a download."""
    return send_upload(evidence.evidence_file(_mine(number), ref))


@blp.route("/me/objections/<number>/review", methods=["POST"])
@require_mp_session
@blp.arguments(ReasonSchema)
@blp.response(200, ObjectionSchema)
def ask_review(body, number):
    """Ask once for a 复核 of an upheld decision; the item is marked again until it is decided."""
    return reading.objection_detail(objections.request_review(_mine(number), body["reason"], actor=current_mp().actor))


@blp.route("/me/declarations/commitment", methods=["GET"])
@require_mp_session
@blp.response(200, DeclarationCommitmentSchema)
def declaration_commitment():
    """The truthfulness commitment (主动型) a declaration is made under: show it, then send commitment_accepted."""
    return {"text": DECLARATION_COMMITMENT, "type_zh": "主动型"}


def _declared(made) -> tuple[dict, int]:
    d, replayed = made
    return declarations.declaration_detail(d), 200 if replayed else 201


@blp.route("/me/declarations", methods=["POST"])
@require_bound_person
@blp.arguments(DeclarationInSchema)
@blp.arguments(OptionalIdempotencyHeaderSchema, location="headers")
@blp.response(201, DeclarationSchema)
@blp.alt_response(200, schema=DeclarationSchema, description="A retry with the same Idempotency-Key")
def declare(body, headers):
    """Declare credit information about myself (资质证照, 生产经营, 合同履约, 表彰奖励, 社会公益), committed true.
    A retry with the same `Idempotency-Key` gives the same declaration; the key with another body is refused."""
    mp = current_mp()
    return _declared(declarations.submit(_me(), body, actor=mp.actor, channel=Channel.RESIDENT,
                                         account_id=mp.account_id, idempotency_key=headers.get("idempotency_key")))


@blp.route("/me/merchants/<handle>/declarations", methods=["POST"])
@require_mp_session
@blp.arguments(DeclarationInSchema)
@blp.arguments(OptionalIdempotencyHeaderSchema, location="headers")
@blp.response(201, DeclarationSchema)
@blp.alt_response(200, schema=DeclarationSchema, description="A retry with the same Idempotency-Key")
def declare_for_merchant(body, headers, handle):
    """As an owner, declare credit information about the merchant under the commitment (Idempotency-Key as for
    POST /me/declarations)."""
    mp = current_mp()
    _, subject = owned_merchant(mp.account_id, handle)
    return _declared(declarations.submit(subject, body, actor=mp.actor, channel=Channel.MERCHANT,
                                         account_id=mp.account_id, idempotency_key=headers.get("idempotency_key")))


@blp.route("/me/declarations", methods=["GET"])
@require_mp_session
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, DeclarationPageSchema)
def list_my_declarations(args):
    """My declarations, newest first, with their state (only verified ones count)."""
    mp = current_mp()
    return reading.my_declarations(mp.account_id, mp.subject_id, args["page"], args["per_page"]).envelope()


@blp.route("/me/declarations/<number>", methods=["GET"])
@require_mp_session
@blp.response(200, DeclarationSchema)
def get_my_declaration(number):
    """One of my declarations with its commitment and evidence."""
    return declarations.declaration_detail(_my_declaration(number))


@blp.route("/me/declarations/<number>/evidence", methods=["POST"])
@blp.doc(requestBody=MULTIPART)
@require_mp_session
@blp.response(201, UploadListSchema)
@accepts("multipart/form-data")
def add_my_declaration_evidence(number):
    """Evidence (PDF, PNG or JPEG, field `files`) while the declaration is being verified."""
    files = files_in_request()
    return {"items": evidence.add_evidence(_my_declaration(number), files, actor=current_mp().actor)}


@blp.route("/me/declarations/<number>/supplement", methods=["POST"])
@require_mp_session
@blp.arguments(SupplementSchema)
@blp.response(200, DeclarationSchema)
def supplement_declaration(body, number):
    """Answer the department's request for more information (upload the evidence first); back to verifying."""
    d = declarations.supplement(_my_declaration(number), body["note"], actor=current_mp().actor)
    return declarations.declaration_detail(d)


@blp.route("/me/preferences", methods=["GET"])
@require_bound_person
@blp.response(200, PreferencesSchema)
def get_preferences():
    """Whether my awards, volunteering and donations are shown."""
    return preferences(_me())


@blp.route("/me/preferences", methods=["PUT"])
@require_bound_person
@blp.arguments(PreferencesSchema)
@blp.response(200, PreferencesSchema)
def put_preferences(body):
    """Refuse (true) or allow (false) showing my positive information: awards, volunteering, donations."""
    return set_hides_positive(current_mp().subject_id, body["hides_positive"], actor=current_mp().actor)


@blp.route("/me/merchants/<handle>/preferences", methods=["PUT"])
@require_mp_session
@blp.arguments(PreferencesSchema)
@blp.response(200, PreferencesSchema)
def put_merchant_preferences(body, handle):
    """As an owner: refuse or allow showing the merchant's awards and public-welfare declarations publicly."""
    _, subject = owned_merchant(current_mp().account_id, handle)
    return set_hides_positive(subject.id, body["hides_positive"], actor=current_mp().actor)
