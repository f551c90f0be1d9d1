"""Schemas of 双公示 filings, the publication report, the portal's JSON twins and credit reports."""

import marshmallow as ma

from backend.disclosure.vocab import (
    AMOUNT_FIELDS,
    LICENCE_FIELDS,
    PENALTY_FIELDS,
    PURPOSES,
    DecisionKind,
    PublicationState,
    ReportDomain,
    WithdrawalCause,
    item_key,
)
from backend.platform.web.schemas import JsonBoolean, PageArgsSchema, PlainText, page_schema

V = ma.validate
MULTILINE = {"SY", "NR", "BZ", "YJ"}


def _decision_schema(name: str, prefix: str, names: dict) -> type[ma.Schema]:
    fields: dict[str, ma.fields.Field] = {}
    for code, zh in names.items():
        key = item_key(prefix, code)
        meta = {"description": zh}
        if code in AMOUNT_FIELDS:
            fields[key] = ma.fields.Raw(allow_none=True, metadata={**meta, "description": zh + "：数字或数字文本"})
        else:
            fields[key] = PlainText(multiline=code in MULTILINE, allow_none=True, validate=V.Length(max=4000),
                                    metadata=meta)
    fields["department"] = PlainText(validate=V.Length(min=1, max=100),
                                     metadata={"description": "Filing department (admins only; operators file "
                                                              "as theirs)"})
    fields["publish"] = JsonBoolean(load_default=True, metadata={
        "description": "false: registered, held back (not public yet); its 7-day clock runs"})
    if prefix == "CF_":
        fields["severity"] = ma.fields.String(allow_none=True, validate=V.OneOf(("minor", "general", "serious")),
                                              metadata={"description": "失信信息分类 override (default from CF_CFLB)"})
    return type(name, (ma.Schema,), fields)


PenaltyInSchema = _decision_schema("PenaltyInSchema", "CF_", PENALTY_FIELDS)
LicenceInSchema = _decision_schema("LicenceInSchema", "XK_", LICENCE_FIELDS)


class PenaltyBatchSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PenaltyInSchema), required=True, validate=V.Length(min=1, max=1000))


class LicenceBatchSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(LicenceInSchema), required=True, validate=V.Length(min=1, max=1000))


class DisclosureSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": " / ".join(DecisionKind)})
    department = ma.fields.String()
    document_no = ma.fields.String()
    state = ma.fields.String(metadata={"description": "registered (待公示), published, withdrawn"})
    decided_on = ma.fields.Date()
    publish_due = ma.fields.Date(metadata={"description": "7 working days after the decision"})
    published_at = ma.fields.DateTime(allow_none=True)
    published_late = ma.fields.Boolean()
    credit_record_id = ma.fields.Integer(allow_none=True)
    items = ma.fields.Dict(metadata={"description": "The national items as filed, without identity documents"})
    withdraw_due = ma.fields.Date(allow_none=True)
    withdrawn_at = ma.fields.DateTime(allow_none=True)
    withdrawn_late = ma.fields.Boolean()
    withdrawal_cause = ma.fields.String(allow_none=True)
    withdrawal_reason = ma.fields.String(allow_none=True)
    withdrawal_document = ma.fields.String(allow_none=True)


class DisclosureRowSchema(DisclosureSchema):
    kind_zh = ma.fields.String()
    state_zh = ma.fields.String()


DisclosurePageSchema = page_schema(DisclosureRowSchema, "DisclosurePageSchema")


class DisclosureListArgsSchema(PageArgsSchema):
    kind = ma.fields.String(validate=V.OneOf(tuple(DecisionKind)))
    state = ma.fields.String(validate=V.OneOf(tuple(PublicationState)))
    department = PlainText(validate=V.Length(min=1, max=100), metadata={"description": "Admins: one department"})
    date_from = ma.fields.Date(metadata={"description": "Decided on or after"})
    date_to = ma.fields.Date(metadata={"description": "Decided on or before"})
    document_no = PlainText(validate=V.Length(min=1, max=100), metadata={"description": "Part of the 决定书文号"})


class FiledSchema(ma.Schema):
    decision = ma.fields.Nested(DisclosureSchema)
    created = ma.fields.Boolean()


class ImportedSchema(ma.Schema):
    rows = ma.fields.Integer()
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    encoding = ma.fields.String(allow_none=True)


class WithdrawalSchema(ma.Schema):
    cause = ma.fields.String(required=True, validate=V.OneOf(tuple(WithdrawalCause)))
    changed_on = ma.fields.Date(required=True, metadata={"description": "The day the decision was changed or revoked"})
    reason = PlainText(required=True, validate=V.Length(min=2, max=500))
    document = PlainText(required=True, validate=V.Length(min=2, max=200),
                         metadata={"description": "The changing or revoking document (e.g. 复议决定书文号)"})


class ReportArgsSchema(ma.Schema):
    department = PlainText(validate=V.Length(min=1, max=100))
    date_from = ma.fields.Date()
    date_to = ma.fields.Date()


class LateLineSchema(ma.Schema):
    id = ma.fields.Integer()
    problem = ma.fields.String()
    problem_zh = ma.fields.String()
    kind = ma.fields.String()
    kind_zh = ma.fields.String()
    document_no = ma.fields.String()
    decided_on = ma.fields.Date()
    due = ma.fields.Date()
    done_on = ma.fields.Date(allow_none=True)
    working_days_late = ma.fields.Integer()


class DepartmentReportSchema(ma.Schema):
    department = ma.fields.String()
    filed = ma.fields.Integer()
    published_on_time = ma.fields.Integer()
    published_late = ma.fields.List(ma.fields.Nested(LateLineSchema))
    overdue = ma.fields.List(ma.fields.Nested(LateLineSchema))
    withdrawn_late = ma.fields.List(ma.fields.Nested(LateLineSchema))


class PublicationReportSchema(ma.Schema):
    as_of = ma.fields.Date()
    departments = ma.fields.List(ma.fields.Nested(DepartmentReportSchema))


class SearchArgsSchema(PageArgsSchema):
    q = PlainText(load_default="", validate=V.Length(max=60),
                  metadata={"description": "Part of the name (simplified Chinese) or the full USCC"})


class FeedArgsSchema(ma.Schema):
    before = ma.fields.Integer(validate=V.Range(min=1, max=2**31 - 1),
                               metadata={"description": "Continue below this event id (next_url gives it)"})


class ListArgsSchema(PageArgsSchema):
    pass


class ReportInSchema(ma.Schema):
    period_from = ma.fields.Date(required=True)
    period_to = ma.fields.Date(required=True)
    domains = ma.fields.List(ma.fields.String(validate=V.OneOf(tuple(ReportDomain))), required=True,
                             validate=V.Length(min=1, max=len(ReportDomain)))
    purpose = PlainText(required=True, validate=V.Length(min=2, max=200),
                        metadata={"description": "用途, e.g. " + "、".join(PURPOSES)})


class MpReportInSchema(ReportInSchema):
    merchant = ma.fields.String(validate=V.Regexp(r"^[A-Za-z0-9]{4,16}$", error="应为 4 到 16 位字母或数字。"),
                                metadata={"description": "An owned merchant's handle: the report is about it"})


class OperatorReportInSchema(ReportInSchema):
    uscc = PlainText(validate=V.Length(min=1, max=32),
                     metadata={"description": "The organisation the report is about"})
    resident_id = PlainText(validate=V.Length(min=1, max=32), metadata={
        "description": "Service windows only, instead of uscc: the resident at the counter whose ID card the clerk "
                       "checked (居民身份证号); never stored with the report"})
    name = PlainText(validate=V.Length(min=1, max=100),
                     metadata={"description": "With resident_id: the name on the ID card (must match the file)"})

    @ma.validates_schema
    def _one_subject(self, data, **kwargs):
        if bool(data.get("uscc")) == bool(data.get("resident_id")):
            raise ma.ValidationError("请填写统一社会信用代码，或（服务窗口）居民身份证号和姓名，二者选一。", "uscc")
        if data.get("resident_id") and not data.get("name"):
            raise ma.ValidationError("按身份证号出具报告时须填写身份证上的姓名。", "name")


class ReportSchema(ma.Schema):
    report_no = ma.fields.String()
    state = ma.fields.String()
    period_from = ma.fields.Date()
    period_to = ma.fields.Date()
    domains = ma.fields.List(ma.fields.String())
    purpose = ma.fields.String()
    generated_at = ma.fields.DateTime(allow_none=True)
    digest = ma.fields.String(allow_none=True)
    free = ma.fields.Boolean()
    summary = ma.fields.Dict(allow_none=True, metadata={"description": "The signed claims"})
    token = ma.fields.String(allow_none=True, metadata={"description": "Compact JWS (typ sw-credit-report+jwt)"})
    verify_url = ma.fields.String()
    download_path = ma.fields.String()


class QuotaSchema(ma.Schema):
    year = ma.fields.Integer()
    free_per_year = ma.fields.Integer()
    free_used = ma.fields.Integer()
    free_left = ma.fields.Integer()


class ReportPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ReportSchema))
    meta = ma.fields.Dict()
    quota = ma.fields.Nested(QuotaSchema, allow_none=True)


def _loose(name: str, description: str, *keys: str) -> type[ma.Schema]:
    """A response schema naming its top-level keys (their shape is described in docs/portal.md)."""
    return type(name, (ma.Schema,), {"__doc__": description, **{k: ma.fields.Raw() for k in keys}})


SearchPageSchema = _loose("PortalSearchPage", "Organisations and merchants found (total counted up to 200; "
                          "more: there are more)", "q", "items", "meta", "more")
SubjectPageSchema = _loose("PortalSubject", "Every section of a subject's public page", "handle", "path", "basic",
                           "grade", "licences", "penalties", "red_list", "watch_list", "black_list",
                           "court_dishonesty", "commitments", "declarations", "how_to", "as_of")
ListPageSchema = _loose("PortalList", "The red or black list", "list_type", "list_zh", "basis", "as_of", "items",
                        "meta")
FeedSchema = _loose("DisclosureFeed", "JSON Feed 1.1", "version", "title", "language", "home_page_url", "feed_url",
                    "description", "items", "next_url")
VerificationSchema = _loose("ReportVerification", "What a verification found", "outcome", "outcome_zh", "genuine",
                            "report_no", "summary", "generated_local", "domains_zh", "token", "typ", "kid", "jwk",
                            "current", "digest", "needs_code")
MyFileSchema = _loose("MyDisclosures", "My 双公示 items", "items")
