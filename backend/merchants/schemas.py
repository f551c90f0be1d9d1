"""Schemas for market operators (merchants, inspections, commitments) and the public merchant JSON."""

import marshmallow as ma

from backend.credit.schemas import GRADE_DOC, GradeViewSchema, ListEntryViewSchema, ListFlagsSchema, OwnRecordSchema
from backend.platform.web.schemas import PageArgsSchema, PageMetaSchema, PlainText, page_schema

V = ma.validate


class SearchArgsSchema(PageArgsSchema):
    q = PlainText(validate=V.Length(max=50), metadata={"description": "Part of a name or stall number"})


class MerchantFieldsSchema(ma.Schema):
    stall_no = PlainText(validate=V.Length(min=1, max=32))
    stall_name = PlainText(validate=V.Length(min=1, max=200), metadata={
        "description": "The name over the stall, shown on the page and poster beside the registered name"})
    business_scope = PlainText(allow_none=True, validate=V.Length(max=300))
    contact_phone = ma.fields.String(allow_none=True, validate=V.Regexp(r"^[0-9+\- ]{5,32}$"))
    photo_url = ma.fields.Url(allow_none=True, schemes={"https"}, validate=V.Length(max=300))


class NewMerchantSchema(MerchantFieldsSchema):
    uscc = PlainText(required=True, validate=V.Length(min=1, max=32),
                     metadata={"description": "统一社会信用代码 (checked). One that already has a credit file is "
                                              "not registered at once: the answer is a 202 link request"})
    name = PlainText(required=True, validate=V.Length(min=1, max=200), metadata={
        "description": "The registered name of a new subject (营业执照上的名称); the stall name unless stall_name "
                       "is given. For an existing subject it is only the stall name: its registered name stays"})
    stall_no = PlainText(required=True, validate=V.Length(min=1, max=32))


class MerchantUpdateSchema(MerchantFieldsSchema):
    name = PlainText(validate=V.Length(min=1, max=200), metadata={
        "description": "Refused (422 registered_name_read_only): the registered name is the subject's; "
                       "change stall_name"})


class MerchantSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    handle = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "The subject's registered name"})
    registered_name = ma.fields.String(required=True, metadata={"description": "Same as name"})
    stall_name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True)
    market_slug = ma.fields.String(required=True)
    stall_no = ma.fields.String(required=True)
    business_scope = ma.fields.String(allow_none=True)
    contact_phone = ma.fields.String(allow_none=True)
    photo_url = ma.fields.String(allow_none=True)
    grade = ma.fields.String(required=True, allow_none=True, metadata=GRADE_DOC)
    grade_updated_at = ma.fields.DateTime(allow_none=True)
    code_serial = ma.fields.Integer(required=True)
    sticker_url = ma.fields.String(required=True, metadata={"description": "URL on the current sticker"})


MerchantPageSchema = page_schema(MerchantSchema, "MerchantPageSchema")


class ReissueSchema(ma.Schema):
    reason = PlainText(required=True, validate=V.Length(min=1, max=200))


class NewInspectionSchema(ma.Schema):
    product = PlainText(required=True, validate=V.Length(min=1, max=100))
    sampled_on = ma.fields.Date(required=True)
    agency = PlainText(required=True, validate=V.Length(min=1, max=100))
    result = ma.fields.String(required=True, validate=V.OneOf(("pass", "fail")),
                              metadata={"description": "pass 合格 / fail 不合格"})
    failed_items = PlainText(multiline=True, allow_none=True, validate=V.Length(max=2000))
    report_no = PlainText(required=True, validate=V.Length(min=1, max=64))


class InspectionSchema(NewInspectionSchema):
    id = ma.fields.Integer(required=True)
    merchant_id = ma.fields.Integer(required=True)


class NewCommitmentSchema(ma.Schema):
    title = PlainText(required=True, validate=V.Length(min=1, max=200))
    content = PlainText(multiline=True, required=True, validate=V.Length(min=1, max=4000))
    signed_on = ma.fields.Date(required=True)


class CommitmentStatusSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=V.OneOf(("broken", "withdrawn")))
    on = ma.fields.Date(required=True)
    reason = PlainText(required=True, validate=V.Length(min=1, max=500))


class CommitmentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True, metadata={"description": "信用承诺编码 (20 characters)"})
    title = ma.fields.String(required=True, attribute="matter")
    content = ma.fields.String(required=True)
    signed_on = ma.fields.Date(required=True, attribute="committed_on")
    status = ma.fields.String(required=True, metadata={"description": "active / broken / withdrawn"})
    status_changed_on = ma.fields.Date(allow_none=True, attribute="assessed_on")


class PublicMarketRefSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    address = ma.fields.String(allow_none=True)


class PublicListSchema(ma.Schema):
    list_type = ma.fields.String(required=True,
                                 metadata={"description": "black 失信联合惩戒 / watch 重点关注 / red 红名单"})
    label = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    decision_document = ma.fields.String(required=True)
    starts_on = ma.fields.String(required=True)
    ends_on = ma.fields.String(allow_none=True)
    marks = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Neutral notes while it is under objection, reconsideration or litigation "
                       "(信息主体已提出异议，正在核实)"})


class PublicCommitmentSchema(ma.Schema):
    title = ma.fields.String(required=True)
    content = ma.fields.String(required=True)
    signed_on = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    status_changed_on = ma.fields.String(allow_none=True)
    code = ma.fields.String(required=True)
    type_zh = ma.fields.String(required=True)


class RetestSchema(ma.Schema):
    result = ma.fields.String(required=True)
    sampled_on = ma.fields.String(required=True)
    report_no = ma.fields.String(required=True)


class PublicInspectionSchema(ma.Schema):
    product = ma.fields.String(required=True)
    sampled_on = ma.fields.String(required=True)
    agency = ma.fields.String(required=True)
    result = ma.fields.String(required=True)
    failed_items = ma.fields.String(allow_none=True)
    report_no = ma.fields.String(required=True)
    retest = ma.fields.Nested(RetestSchema, allow_none=True, metadata={
        "description": "For a failure: the next inspection of the same product (复检), null if none yet"})
    marks = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Neutral notes while it is under objection, reconsideration or litigation "
                       "(信息主体已提出异议，正在核实)"})


class PublicDeclarationSchema(ma.Schema):
    title = ma.fields.String(required=True)
    label = ma.fields.String(required=True, metadata={"example": "自主申报，已核验"})
    kind = ma.fields.String(required=True, metadata={
        "description": "qualification 资质证照 / operation 生产经营 / contract 合同履约 / honour 表彰奖励 / "
                       "public_welfare 社会公益"})
    department = ma.fields.String(required=True, metadata={"description": "Who verified it"})
    verified_on = ma.fields.String(required=True)
    valid_until = ma.fields.String(allow_none=True)
    marks = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Neutral notes while it is under objection, reconsideration or litigation "
                       "(信息主体已提出异议，正在核实)"})


class PublicMarkedItemSchema(ma.Schema):
    title = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    document_no = ma.fields.String(required=True)
    marks = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Neutral notes while it is under objection, reconsideration or litigation "
                       "(信息主体已提出异议，正在核实)"})


class ComplaintSchema(ma.Schema):
    hotline = ma.fields.String(required=True)
    url = ma.fields.String(required=True)
    text = ma.fields.String(required=True)


class PublicMerchantSchema(ma.Schema):
    handle = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "The registered name (as before)"})
    registered_name = ma.fields.String(required=True, metadata={
        "description": "The credit subject's registered name; the market cannot change it"})
    stall_name = ma.fields.String(required=True, metadata={"description": "The name over the stall (the market's)"})
    uscc = ma.fields.String(required=True)
    market = ma.fields.Nested(PublicMarketRefSchema, required=True)
    stall_no = ma.fields.String(required=True)
    business_scope = ma.fields.String(allow_none=True)
    photo_url = ma.fields.String(allow_none=True)
    grade = ma.fields.String(required=True, allow_none=True,
                             metadata={"description": "A 优 / B 良 / C 中 / D 差; null 未评价 (no record yet)"})
    grade_zh = ma.fields.String(required=True)
    grade_meaning = ma.fields.String(required=True)
    grade_updated_at = ma.fields.String(allow_none=True)
    lists = ma.fields.List(ma.fields.Nested(PublicListSchema), required=True)
    commitments = ma.fields.List(ma.fields.Nested(PublicCommitmentSchema), required=True)
    inspections = ma.fields.List(ma.fields.Nested(PublicInspectionSchema), required=True)
    latest_inspection_on = ma.fields.String(allow_none=True, metadata={"description": "Date of the latest 抽检"})
    declarations = ma.fields.List(ma.fields.Nested(PublicDeclarationSchema), required=True, metadata={
        "description": "Verified self-declarations (自主申报，已核验); awards and public welfare hidden when the "
                       "merchant refuses to show positive information"})
    marked_items = ma.fields.List(ma.fields.Nested(PublicMarkedItemSchema), required=True, metadata={
        "description": "Records and entries the grade rests on that are under objection, reconsideration or "
                       "litigation, besides the lists and inspections above"})
    grade_scale = ma.fields.Dict(required=True, metadata={"description": "The four levels, their score ranges and "
                                                                         "meanings, and how grades are computed"})
    complaint = ma.fields.Nested(ComplaintSchema, required=True, metadata={"description": "Consumer disputes: 12315"})
    objection = ma.fields.Nested(ComplaintSchema, required=True,
                                 metadata={"description": "Wrong credit information: an objection (信用信息异议)"})
    page_url = ma.fields.String(required=True)


class PublicMarketItemSchema(ma.Schema):
    handle = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "The registered name"})
    registered_name = ma.fields.String(required=True)
    stall_name = ma.fields.String(required=True)
    stall_no = ma.fields.String(required=True)
    business_scope = ma.fields.String(allow_none=True)
    grade = ma.fields.String(required=True, allow_none=True, metadata=GRADE_DOC)
    grade_zh = ma.fields.String(required=True)
    page_path = ma.fields.String(required=True)


class PublicMarketSchema(ma.Schema):
    market = ma.fields.Nested(PublicMarketRefSchema, required=True)
    q = ma.fields.String(required=True)
    items = ma.fields.List(ma.fields.Nested(PublicMarketItemSchema), required=True)
    meta = ma.fields.Nested(PageMetaSchema, required=True)


# Merchant owners (mini-program) and their binding codes.


class MerchantSummarySchema(ma.Schema):
    handle = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "The registered name"})
    stall_name = ma.fields.String(required=True)
    market = ma.fields.String(required=True)
    stall_no = ma.fields.String(required=True)
    grade = ma.fields.String(required=True, allow_none=True, metadata=GRADE_DOC)

class RedeemBindingSchema(ma.Schema):
    binding_code = PlainText(required=True, validate=V.Length(min=1, max=32))

class InspectionViewSchema(ma.Schema):
    product = ma.fields.String(required=True)
    sampled_on = ma.fields.Date(required=True)
    agency = ma.fields.String(required=True)
    result = ma.fields.String(required=True)
    failed_items = ma.fields.String(allow_none=True)
    report_no = ma.fields.String(required=True)

class MerchantFileSchema(MerchantSummarySchema, GradeViewSchema):
    inspections = ma.fields.List(ma.fields.Nested(InspectionViewSchema), required=True)
    records = ma.fields.List(ma.fields.Nested(OwnRecordSchema), required=True, metadata={
        "description": "Every record of the merchant's file, with its id (what an objection names) and marks"})
    lists = ma.fields.List(ma.fields.Nested(ListEntryViewSchema), required=True)
    list_status = ma.fields.Nested(ListFlagsSchema, required=True)
    hides_positive = ma.fields.Boolean(required=True)

class NewBindingCodeSchema(ma.Schema):
    note = PlainText(validate=V.Length(max=200), metadata={"description": "Who it was handed to"})

class BindingCodeSchema(ma.Schema):
    merchant = ma.fields.String(required=True, metadata={"description": "Merchant handle"})
    binding_code = ma.fields.String(required=True, metadata={"description": "Shown once; single-use"})
    expires_at = ma.fields.DateTime(required=True)


# Platform admins: markets' departments and the list of testing agencies.


class MarketSettingsSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    address = ma.fields.String(allow_none=True)
    department = ma.fields.String(required=True, metadata={
        "description": "Supervising department: inspections and broken commitments are filed under it, "
                       "its operators approve the market's link requests"})


class MarketListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MarketSettingsSchema), required=True)


class MarketUpdateSchema(ma.Schema):
    department = PlainText(required=True, validate=V.Length(min=1, max=100))


class NewAgencySchema(ma.Schema):
    name = PlainText(required=True, validate=V.Length(min=1, max=100),
                     metadata={"description": "The agency's full name, as its reports print it"})


class AgencySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    active = ma.fields.Boolean(required=True)
    created_at = ma.fields.DateTime(allow_none=True)
    deactivated_at = ma.fields.DateTime(allow_none=True)


class AgencyListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AgencySchema), required=True)


class AgencyArgsSchema(ma.Schema):
    include_inactive = ma.fields.Boolean(load_default=False)


# Link requests: a market asks to register an existing subject; an approver decides.


class LinkMarketSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    department = ma.fields.String(required=True, metadata={"description": "Its operators may approve"})


class LinkSubjectSchema(ma.Schema):
    handle = ma.fields.String(required=True)
    registered_name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)


class LinkRequestSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, validate=V.OneOf(("pending", "approved", "refused")))
    status_zh = ma.fields.String(required=True)
    market = ma.fields.Nested(LinkMarketSchema, required=True)
    uscc = ma.fields.String(required=True)
    stall_no = ma.fields.String(required=True)
    stall_name = ma.fields.String(required=True, metadata={"description": "As the market operator typed it"})
    business_scope = ma.fields.String(allow_none=True)
    contact_phone = ma.fields.String(allow_none=True)
    photo_url = ma.fields.String(allow_none=True)
    requested_at = ma.fields.DateTime(allow_none=True)
    decided_at = ma.fields.DateTime(allow_none=True)
    decision_reason = ma.fields.String(allow_none=True, metadata={"description": "Why it was refused (or a note)"})
    merchant_id = ma.fields.Integer(allow_none=True, metadata={"description": "The merchant, once approved"})
    subject = ma.fields.Nested(LinkSubjectSchema, allow_none=True, metadata={
        "description": "The subject the USCC names: shown to approvers only (null for the market)"})


LinkRequestPageSchema = page_schema(LinkRequestSchema, "LinkRequestPageSchema")


class LinkArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=V.OneOf(("pending", "approved", "refused")), metadata={
        "description": "Default: every status for a market, pending for approvers"})


class LinkApprovalSchema(ma.Schema):
    note = PlainText(validate=V.Length(min=1, max=500))


class LinkRefusalSchema(ma.Schema):
    reason = PlainText(required=True, validate=V.Length(min=2, max=500),
                       metadata={"description": "Shown to the market"})
