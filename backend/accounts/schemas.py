"""Schemas of the mini-program API (/api/mp/v1) and of merchant binding codes."""

import marshmallow as ma

from backend.platform.web.schemas import PageMetaSchema
from backend.credit.schemas import GradeChangeSchema

V = ma.validate


class LoginSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=V.Length(min=1, max=128),
                            metadata={"description": "The code from wx.login(), single-use, valid 5 minutes"})


class SessionSchema(ma.Schema):
    token = ma.fields.String(required=True, metadata={"description": "Bearer token for /api/mp/v1 (mps_…)"})
    expires_at = ma.fields.DateTime(required=True)
    identity_bound = ma.fields.Boolean(required=True)


class IdentitySchema(ma.Schema):
    name = ma.fields.String(required=True, validate=V.Length(min=1, max=50))
    id_number = ma.fields.String(required=True, validate=V.Length(min=15, max=20),
                                 metadata={"description": "居民身份证号 (18 characters, GB 11643)"})


class MerchantSummarySchema(ma.Schema):
    handle = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    market = ma.fields.String(required=True)
    stall_no = ma.fields.String(required=True)
    grade = ma.fields.String(required=True)


class MeSchema(ma.Schema):
    identity_bound = ma.fields.Boolean(required=True)
    display_name = ma.fields.String(allow_none=True, metadata={"description": "Masked name, e.g. 张*三"})
    id_number_masked = ma.fields.String(allow_none=True, metadata={"example": "4415**********123X"})
    grade = ma.fields.String(allow_none=True)
    merchants = ma.fields.List(ma.fields.Nested(MerchantSummarySchema), required=True)


class PersonalCodeSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Compact JWS; verify with /.well-known/jwks.json"})
    expires_at = ma.fields.Integer(required=True, metadata={"description": "Epoch seconds"})
    refresh_at = ma.fields.Integer(required=True, metadata={"description": "Fetch a new code at this epoch second"})
    refresh_in = ma.fields.Integer(required=True, metadata={"description": "Seconds until refresh_at"})
    grade = ma.fields.String(required=True)
    grade_zh = ma.fields.String(required=True)


class CodeRevocationSchema(ma.Schema):
    codes_valid_after = ma.fields.DateTime(required=True, metadata={
        "description": "Codes issued before this instant now verify as revoked"})
    sessions_revoked = ma.fields.Integer(required=True, metadata={
        "description": "Other sessions of this WeChat account that were logged out"})


class GradeViewSchema(ma.Schema):
    grade = ma.fields.String(required=True)
    grade_zh = ma.fields.String(required=True)
    score = ma.fields.Float(required=True)
    grade_updated_at = ma.fields.DateTime(allow_none=True)
    model_version = ma.fields.String(allow_none=True, metadata={"description": "Model version of the breakdown"})
    breakdown = ma.fields.Dict(required=True, metadata={
        "description": "Live explanation by the current evaluation model (grading.current_breakdown): base_score, "
                       "records (each with points and rule), adjustments, score, score_grade, lists, grade, grade_zh"})
    history = ma.fields.List(ma.fields.Nested(GradeChangeSchema), required=True)


class OwnRecordSchema(ma.Schema):
    category = ma.fields.String(required=True)
    severity = ma.fields.String(allow_none=True)
    title = ma.fields.String(required=True)
    content = ma.fields.String(allow_none=True)
    department = ma.fields.String(required=True)
    document_no = ma.fields.String(required=True)
    legal_basis = ma.fields.String(required=True)
    decided_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(allow_none=True)
    status = ma.fields.String(required=True)


class ListEntryViewSchema(ma.Schema):
    list_type = ma.fields.String(required=True, metadata={"description": "red, black or watch"})
    reason = ma.fields.String(required=True)
    legal_basis = ma.fields.String(required=True)
    decision_document = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(allow_none=True)
    active = ma.fields.Boolean(required=True)


class ListFlagsSchema(ma.Schema):
    red = ma.fields.Boolean(required=True)
    black = ma.fields.Boolean(required=True)
    watch = ma.fields.Boolean(required=True)


class MyCreditSchema(GradeViewSchema):
    display_name = ma.fields.String(required=True)
    id_number_masked = ma.fields.String(allow_none=True)
    records = ma.fields.List(ma.fields.Nested(OwnRecordSchema), required=True)
    lists = ma.fields.List(ma.fields.Nested(ListEntryViewSchema), required=True)
    list_status = ma.fields.Nested(ListFlagsSchema, required=True)


class GrantSchema(ma.Schema):
    title = ma.fields.String(required=True)
    granted_at = ma.fields.DateTime(required=True)
    status = ma.fields.String(required=True, metadata={
        "description": "granted, or flagged: granted offline beyond what the rules allow, under review"})


class ScanViewSchema(ma.Schema):
    scanned_at = ma.fields.DateTime(required=True)
    outcome = ma.fields.String(required=True)
    outcome_zh = ma.fields.String(required=True)
    offline = ma.fields.Boolean(required=True)
    device = ma.fields.String(required=True)
    partner = ma.fields.String(required=True)
    scenario = ma.fields.String(required=True)
    scenario_zh = ma.fields.String(required=True)
    granted = ma.fields.List(ma.fields.Nested(GrantSchema), required=True,
                             metadata={"description": "Perks granted at this scan (redemptions linked to it)"})
    refusal = ma.fields.String(allow_none=True, metadata={
        "description": "Why a perk was refused at this scan: grade, subject_kind, blacklisted, not_started, ended, "
                       "over_quota (null: none refused; a rejected code shows in outcome)"})
    refusal_zh = ma.fields.String(allow_none=True)


class ScanPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ScanViewSchema), required=True)
    meta = ma.fields.Nested(PageMetaSchema, required=True)


class RedeemBindingSchema(ma.Schema):
    binding_code = ma.fields.String(required=True, validate=V.Length(min=1, max=32))


class InspectionViewSchema(ma.Schema):
    product = ma.fields.String(required=True)
    sampled_on = ma.fields.Date(required=True)
    agency = ma.fields.String(required=True)
    result = ma.fields.String(required=True)
    failed_items = ma.fields.String(allow_none=True)
    report_no = ma.fields.String(required=True)


class MerchantFileSchema(MerchantSummarySchema, GradeViewSchema):
    inspections = ma.fields.List(ma.fields.Nested(InspectionViewSchema), required=True)


class NewBindingCodeSchema(ma.Schema):
    note = ma.fields.String(validate=V.Length(max=200), metadata={"description": "Who it was handed to"})


class BindingCodeSchema(ma.Schema):
    merchant = ma.fields.String(required=True, metadata={"description": "Merchant handle"})
    binding_code = ma.fields.String(required=True, metadata={"description": "Shown once; single-use"})
    expires_at = ma.fields.DateTime(required=True)
