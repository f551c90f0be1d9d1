"""Schemas of objections, declarations and the department worklists."""

import marshmallow as ma

from backend.credit.schemas import SubjectRefSchema
from backend.objections.vocab import DeclarationCategory, DeclarationState, Grounds, ObjectionState, Outcome
from backend.platform.web.schemas import JsonBoolean, PageArgsSchema, PlainText, UploadSchema, body_id, page_schema

V = ma.validate
DAY = {"format": "date", "example": "2026-12-03"}


# Correctable fields (credit.corrections): which apply depends on the item, checked by the use case.
FIELDS = ("title", "content", "legal_basis", "decided_on", "expires_on", "severity", "result", "reason",
          "decision_document", "starts_on", "ends_on")


class CorrectionInSchema(ma.Schema):
    field = ma.fields.String(required=True, validate=V.OneOf(FIELDS), metadata={
        "description": "A record's title, content, legal_basis, decided_on, expires_on, severity, result; a list "
                       "entry's reason, legal_basis, decision_document, starts_on, ends_on"})
    current = PlainText(allow_none=True, validate=V.Length(max=1000), metadata={"description": "As shown now"})
    proposed = PlainText(allow_none=True, validate=V.Length(max=1000), metadata={"description": "What it should be"})


class ObjectionInSchema(ma.Schema):
    item = ma.fields.String(required=True, validate=V.OneOf(("record", "list_entry")))
    item_id = body_id(required=True, metadata={"description": "The record's or list entry's id (GET /me/credit)"})
    grounds = ma.fields.String(required=True, validate=V.OneOf(tuple(Grounds)), metadata={
        "description": "wrong_facts 错误或遗漏 / past_window 超过公示期限 / "
                       "wrongly_listed 不应列入或未移出名单 / other"})
    statement = PlainText(required=True, multiline=True, validate=V.Length(min=5, max=2000),
                          metadata={"description": "What is wrong and why (异议理由)"})
    corrections = ma.fields.List(ma.fields.Nested(CorrectionInSchema), load_default=list,
                                 validate=V.Length(max=10))


class WindowObjectionInSchema(ObjectionInSchema, SubjectRefSchema):
    applicant = PlainText(required=True, validate=V.Length(min=1, max=100),
                          metadata={"description": "The agent at the window (经办人), as the receipt names them"})


class ReasonSchema(ma.Schema):
    reason = PlainText(required=True, multiline=True, validate=V.Length(min=2, max=1000))


class CheckSchema(ma.Schema):
    own_error = JsonBoolean(required=True, metadata={
        "description": "true: the credit office's own data is wrong, corrected at once (closed, corrected); "
                       "false: forwarded to the providing department"})
    reason = PlainText(multiline=True, validate=V.Length(min=2, max=1000))
    corrections = ma.fields.List(ma.fields.Nested(lambda: AppliedCorrectionSchema()), load_default=list)

    @ma.validates_schema
    def _reason_for_own_error(self, data, **kwargs):
        if data["own_error"] and not data.get("reason"):
            raise ma.ValidationError("更正时请写明理由。", "reason")


class AppliedCorrectionSchema(ma.Schema):
    field = ma.fields.String(required=True, validate=V.OneOf(FIELDS))
    value = PlainText(allow_none=True, validate=V.Length(max=1000), metadata={"description": "The corrected value"})


class DecisionSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=V.OneOf(tuple(Outcome)), metadata={
        "description": "corrected 更正 / supplemented 补充 / publication_stopped 停止公示 / "
                       "removed_from_list 移出名单 / "
                       "upheld 维持 (with reasons)"})
    reason = PlainText(required=True, multiline=True, validate=V.Length(min=2, max=1000))
    corrections = ma.fields.List(ma.fields.Nested(AppliedCorrectionSchema), load_default=list, metadata={
        "description": "corrected/supplemented: the values to set; empty: the corrections the subject asked for"})


class WorklistArgsSchema(PageArgsSchema):
    state = ma.fields.String(validate=V.OneOf(tuple(ObjectionState)))
    overdue = ma.fields.Boolean(load_default=False, metadata={"description": "Only open items past their deadline"})
    department = PlainText(validate=V.Length(min=1, max=100), metadata={"description": "Admins: one department"})


class DeclarationWorklistArgsSchema(WorklistArgsSchema):
    state = ma.fields.String(validate=V.OneOf(tuple(DeclarationState)))


class CorrectionSchema(ma.Schema):
    field = ma.fields.String(required=True)
    current = ma.fields.String(allow_none=True)
    proposed = ma.fields.String(allow_none=True)
    applied = ma.fields.Boolean(required=True)
    old_value = ma.fields.String(allow_none=True, metadata={"description": "The value the correction replaced"})
    new_value = ma.fields.String(allow_none=True)
    applied_at = ma.fields.DateTime(allow_none=True)


class StepSchema(ma.Schema):
    at = ma.fields.DateTime(required=True)
    state = ma.fields.String(required=True)
    state_zh = ma.fields.String(required=True)
    by = ma.fields.String(required=True)
    note = ma.fields.String(allow_none=True)
    due_on = ma.fields.Date(allow_none=True)


class UploadListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UploadSchema), required=True)


class ObjectionRowSchema(ma.Schema):
    number = ma.fields.String(required=True, metadata={"example": "YY20261201000001"})
    state = ma.fields.String(required=True)
    state_zh = ma.fields.String(required=True)
    grounds = ma.fields.String(required=True)
    grounds_zh = ma.fields.String(required=True)
    channel = ma.fields.String(required=True)
    channel_zh = ma.fields.String(required=True)
    item = ma.fields.String(required=True)
    item_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    document_no = ma.fields.String(required=True)
    department = ma.fields.String(required=True, metadata={"description": "The department that provided the item"})
    due_on = ma.fields.Date(allow_none=True, metadata={"description": "The current step's deadline (working days)"})
    extended = ma.fields.Boolean(required=True)
    overdue = ma.fields.Boolean(required=True)
    outcome = ma.fields.String(allow_none=True)
    outcome_zh = ma.fields.String(allow_none=True)
    review_outcome = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.DateTime(required=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    subject_handle = ma.fields.String(required=True)


class ObjectionSchema(ObjectionRowSchema):
    statement = ma.fields.String(required=True)
    applicant = ma.fields.String(allow_none=True)
    not_accepted_reason = ma.fields.String(allow_none=True)
    outcome_reason = ma.fields.String(allow_none=True)
    decided_by = ma.fields.String(allow_none=True)
    review_reason = ma.fields.String(allow_none=True)
    review_outcome_reason = ma.fields.String(allow_none=True)
    corrections = ma.fields.List(ma.fields.Nested(CorrectionSchema), required=True)
    steps = ma.fields.List(ma.fields.Nested(StepSchema), required=True)
    evidence = ma.fields.List(ma.fields.Nested(UploadSchema), required=True)
    current_values = ma.fields.Dict(metadata={"description": "Department views: the item's correctable fields now"})


ObjectionPageSchema = page_schema(ObjectionRowSchema, "ObjectionPageSchema")


class DeclarationInSchema(ma.Schema):
    category = ma.fields.String(required=True, validate=V.OneOf(tuple(DeclarationCategory)), metadata={
        "description": "qualification 资质证照 / operation 生产经营 / contract 合同履约 / honour 表彰奖励 / "
                       "public_welfare 社会公益"})
    title = PlainText(required=True, validate=V.Length(min=2, max=200))
    content = PlainText(multiline=True, allow_none=True, validate=V.Length(max=2000))
    issuer = PlainText(required=True, validate=V.Length(min=2, max=100),
                       metadata={"description": "Who issued the certificate, award or contract"})
    document_no = PlainText(required=True, validate=V.Length(min=1, max=100),
                            metadata={"description": "Its number (matched against records the platform holds)"})
    issued_on = ma.fields.Date(required=True)
    valid_until = ma.fields.Date(allow_none=True)
    department = PlainText(required=True, validate=V.Length(min=2, max=100),
                           metadata={"description": "The competent department that verifies it"})
    commitment_accepted = JsonBoolean(required=True, metadata={
        "description": "true: I make the truthfulness commitment (GET /me/declarations/commitment gives the text)"})


class WindowDeclarationInSchema(DeclarationInSchema, SubjectRefSchema):
    applicant = PlainText(required=True, validate=V.Length(min=1, max=100),
                          metadata={"description": "The agent at the window (经办人), as the receipt names them"})
    commitment_accepted = JsonBoolean(required=True, metadata={
        "description": "true: the subject (or its agent) signed the truthfulness commitment on paper at the "
                       "counter; the window records it"})


class DeclarationDecisionSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=V.OneOf(("verified", "rejected", "more_info")))
    note = PlainText(multiline=True, allow_none=True, validate=V.Length(max=1000),
                     metadata={"description": "Required for rejected (the reason) and more_info (what is needed)"})


class SupplementSchema(ma.Schema):
    note = PlainText(required=True, multiline=True, validate=V.Length(min=2, max=1000))


class DeclarationCommitmentSchema(ma.Schema):
    """The truthfulness commitment: its text (GET /me/declarations/commitment), and once signed the 主动型 credit
    commitment it became (code, accepting unit, status, fulfilment)."""

    text = ma.fields.String(required=True)
    type_zh = ma.fields.String(required=True)
    code = ma.fields.String(metadata={"description": "The 20-character credit commitment code"})
    commitment_type = ma.fields.String(metadata={"description": "voluntary (主动型)"})
    matter = ma.fields.String()
    liability = ma.fields.String()
    committed_on = ma.fields.Date()
    valid_until = ma.fields.Date(allow_none=True)
    accepting_unit = ma.fields.String()
    status = ma.fields.String(metadata={"description": "active / kept / broken / withdrawn"})
    fulfilment = ma.fields.String(allow_none=True)
    unfulfilled = ma.fields.String(allow_none=True)
    assessed_on = ma.fields.Date(allow_none=True)
    signed_online = ma.fields.Boolean(metadata={"description": "false: signed on paper at a service window"})
    accepted_at = ma.fields.DateTime()


class DeclarationRowSchema(ma.Schema):
    number = ma.fields.String(required=True, metadata={"example": "SB20261201000001"})
    state = ma.fields.String(required=True)
    state_zh = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    category_zh = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    issuer = ma.fields.String(required=True)
    document_no = ma.fields.String(required=True)
    issued_on = ma.fields.Date(required=True)
    valid_until = ma.fields.Date(allow_none=True)
    department = ma.fields.String(required=True)
    channel = ma.fields.String(required=True, metadata={"description": "resident / merchant / window"})
    channel_zh = ma.fields.String(required=True)
    applicant = ma.fields.String(allow_none=True, metadata={"description": "At a window: the agent (经办人)"})
    due_on = ma.fields.Date(allow_none=True)
    overdue = ma.fields.Boolean(required=True)
    verification_method = ma.fields.String(allow_none=True, metadata={"description": "data_match or document_review"})
    verified_by = ma.fields.String(allow_none=True)
    verified_at = ma.fields.DateTime(allow_none=True)
    note = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.DateTime(required=True)
    subject_handle = ma.fields.String(required=True)


class DeclarationSchema(DeclarationRowSchema):
    commitment = ma.fields.Nested(DeclarationCommitmentSchema, required=True)
    evidence = ma.fields.List(ma.fields.Nested(UploadSchema), required=True)


DeclarationPageSchema = page_schema(DeclarationRowSchema, "DeclarationPageSchema")
