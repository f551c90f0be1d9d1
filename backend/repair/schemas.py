"""Schemas of repair applications: the multipart forms applicants send and what they and departments see."""

import marshmallow as ma

from backend.platform.db import DB_INT_MAX
from backend.platform.web.schemas import PageArgsSchema, PlainText, UploadSchema, page_schema
from backend.repair.vocab import RepairState

V = ma.validate
TRUTHY = ma.fields.Boolean.truthy | {"是", "同意"}


class RepairFormSchema(ma.Schema):
    """Sent as multipart/form-data with the proof files in `files` (PDF, PNG or JPEG)."""

    record_id = ma.fields.Integer(required=True, validate=V.Range(min=1, max=DB_INT_MAX),
                                  metadata={"description": "The record to repair (one per application)"})
    statement = PlainText(multiline=True, required=True, validate=V.Length(min=2, max=4000),
                          metadata={"description": "How the obligations were fulfilled (纠正失信行为、履行义务情况)"})
    sign_commitment = ma.fields.Boolean(required=True, truthy=TRUTHY, metadata={
        "description": "true: I sign the 信用修复型 credit commitment (public); required"})
    commitment_content = PlainText(multiline=True, validate=V.Length(min=10, max=4000),
                                   metadata={"description": "The commitment's text; a standard text by default"})


class WindowRepairFormSchema(RepairFormSchema):
    uscc = PlainText(required=True, validate=V.Length(min=1, max=32),
                     metadata={"description": "The organisation's 统一社会信用代码"})


class CompletionFormSchema(ma.Schema):
    note = PlainText(multiline=True, validate=V.Length(min=1, max=4000))


class ReturnSchema(ma.Schema):
    items = ma.fields.List(PlainText(validate=V.Length(min=2, max=300)), required=True,
                           validate=V.Length(min=1, max=30),
                           metadata={"description": "Every missing item, all at once (一次性告知)"})


class RepairReasonSchema(ma.Schema):
    reason = PlainText(required=True, validate=V.Length(min=2, max=500))


class ApproveSchema(ma.Schema):
    reason = PlainText(validate=V.Length(min=2, max=500))


class RepairArgsSchema(PageArgsSchema):
    state = ma.fields.String(validate=V.OneOf(tuple(RepairState)))


class RepairRecordSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    document_no = ma.fields.String(required=True)
    decided_on = ma.fields.Date(required=True)
    severity_class = ma.fields.String(allow_none=True)
    min_publish_until = ma.fields.Date(allow_none=True)
    max_publish_until = ma.fields.Date(allow_none=True)
    publication_state = ma.fields.String(required=True)


class RepairStepSchema(ma.Schema):
    step = ma.fields.String(required=True)
    step_zh = ma.fields.String(required=True)
    at = ma.fields.String(required=True)
    note = ma.fields.String(allow_none=True)


class RepairSchema(ma.Schema):
    ref = ma.fields.String(required=True, metadata={"description": "申请编号 (XF + date + number): the 查询码"})
    state = ma.fields.String(required=True, metadata={"description": "submitted, returned, under_review, extended, "
                                                                     "approved, denied, propagated"})
    state_zh = ma.fields.String(required=True)
    channel = ma.fields.String(required=True)
    department = ma.fields.String(required=True, metadata={"description": "Decides it (谁认定、谁修复)"})
    record = ma.fields.Nested(RepairRecordSchema, required=True)
    statement = ma.fields.String(required=True)
    commitment_code = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.DateTime(required=True)
    accept_due = ma.fields.Date(required=True, metadata={"description": "Acceptance due by (working days)"})
    accepted_at = ma.fields.DateTime(allow_none=True)
    decide_due = ma.fields.Date(allow_none=True, metadata={"description": "Decision due by (working days)"})
    extended = ma.fields.Boolean(required=True)
    extension_reason = ma.fields.String(allow_none=True)
    returned_items = ma.fields.List(ma.fields.String(), allow_none=True)
    decided_at = ma.fields.DateTime(allow_none=True)
    decision_reason = ma.fields.String(allow_none=True)
    propagated_at = ma.fields.DateTime(allow_none=True)
    overdue = ma.fields.Boolean(required=True)
    proofs = ma.fields.List(ma.fields.Nested(UploadSchema), required=True)
    history = ma.fields.List(ma.fields.Nested(RepairStepSchema), required=True)
    fee = ma.fields.String(required=True, metadata={"description": "Always 免费: repair is free"})


RepairPageSchema = page_schema(RepairSchema, "RepairPage")


class RepairCommitmentSchema(ma.Schema):
    text = ma.fields.String(required=True, metadata={"description": "Sent back as commitment_content when signed"})
    liability = ma.fields.String(required=True)
    type_zh = ma.fields.String(required=True)


class RepairListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RepairSchema), required=True)
