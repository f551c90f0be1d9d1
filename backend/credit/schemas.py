"""Schemas of credit records, lists, grades and the joint-measures query."""

import marshmallow as ma

from backend.credit.vocab import CommitmentType, Disclosure, Fulfilment, ListType, MeasureKind, RecordCategory, Severity
from backend.platform.web.schemas import JsonBoolean, PageArgsSchema, PlainText, body_id, page_schema

V = ma.validate
RECORD_CATEGORIES = tuple(RecordCategory)
LIST_TYPES = tuple(ListType)

TRUTHY = ma.fields.Boolean.truthy | {"是", "Y", "y"}
FALSY = ma.fields.Boolean.falsy | {"否", "N", "n", ""}
GRADE_DOC = {"description": "A 优 / B 良 / C 中 / D 差; null: 未评价 (nothing in the file to grade yet)"}


class SubjectRefSchema(ma.Schema):
    """Name a subject by exactly one of USCC or resident id (checked by the service)."""

    uscc = PlainText(validate=ma.validate.Length(min=1, max=32),
                     metadata={"description": "统一社会信用代码 (GB 32100 check character verified)"})
    resident_id = PlainText(validate=ma.validate.Length(min=1, max=32),
                            metadata={"description": "居民身份证号 (GB 11643 check digit verified)"})


class QueryRefSchema(SubjectRefSchema):
    """Reading a file or 一键查询: also by the public handle (list entries show only the handle)."""

    handle = ma.fields.String(validate=ma.validate.Regexp(r"^[A-Za-z0-9]{4,16}$", error="应为 4 到 16 位字母或数字。"),
                              metadata={"description": "The subject's public handle (subject_handle of a list entry)"})


class RecordInSchema(SubjectRefSchema):
    subject_name = PlainText(validate=ma.validate.Length(min=1, max=200),
                             metadata={"description": "Merchant/organisation name (USCC); "
                                                      "person's name (optional)"})
    category = ma.fields.String(required=True, validate=ma.validate.OneOf(RECORD_CATEGORIES))
    severity = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(tuple(Severity)),
                                metadata={"description": "admin_penalty only: minor / general / serious"})
    result = PlainText(allow_none=True, validate=ma.validate.Length(max=16),
                       metadata={"description": "tax_rating A/B/M/C/D; product_inspection pass/fail; "
                                                "contract_performance kept/broken"})
    title = PlainText(required=True, validate=ma.validate.Length(min=1, max=300))
    content = PlainText(multiline=True, allow_none=True, validate=ma.validate.Length(max=5000))
    department = PlainText(validate=ma.validate.Length(min=1, max=100),
                           metadata={"description": "Deciding department; "
                                                    "a department operator's own by default"})
    document_no = PlainText(required=True, validate=ma.validate.Length(min=1, max=100))
    legal_basis = PlainText(required=True, validate=ma.validate.Length(min=1, max=500))
    decided_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(allow_none=True)
    tolerant_first_offence = ma.fields.Boolean(load_default=False, truthy=TRUTHY, falsy=FALSY,
                                               metadata={"description": "首次轻微违法且无危害后果 (包容审慎)"})
    emergency = ma.fields.Boolean(load_default=False, truthy=TRUTHY, falsy=FALSY,
                                  metadata={"description": "Caused by a declared emergency: shown, not scored"})
    penalty_type = PlainText(allow_none=True, validate=ma.validate.Length(min=1, max=50), metadata={
        "description": "处罚种类 as the department's classification table names it (罚款, 警告, 吊销许可证…)"})
    severity_class = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(tuple(Severity)), metadata={
        "description": "Publication class 轻微/一般/严重 (minor/general/serious); default from the department's table"})
    publish_months = ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(min=1, max=600),
                                       metadata={"description": "A law's own publication period for this record, "
                                                                "in months (needs window_basis)"})
    window_basis = PlainText(allow_none=True, validate=ma.validate.Length(min=2, max=300))


class RecordBatchSchema(ma.Schema):
    records = ma.fields.List(ma.fields.Nested(RecordInSchema), required=True,
                             validate=ma.validate.Length(min=1, max=1000))


class RecordSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    subject_handle = ma.fields.Function(lambda r: r.subject.handle, required=True)
    category = ma.fields.String(required=True)
    severity = ma.fields.String(allow_none=True)
    result = ma.fields.String(allow_none=True)
    title = ma.fields.String(required=True)
    content = ma.fields.String(allow_none=True)
    department = ma.fields.String(required=True)
    document_no = ma.fields.String(required=True)
    legal_basis = ma.fields.String(required=True)
    decided_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(allow_none=True)
    tolerant_first_offence = ma.fields.Boolean(required=True)
    emergency = ma.fields.Boolean(required=True)
    status = ma.fields.String(required=True)
    removed_reason = ma.fields.String(allow_none=True)
    penalty_type = ma.fields.String(allow_none=True)
    severity_class = ma.fields.String(allow_none=True,
                                      metadata={"description": "minor 轻微 / general 一般 / serious 严重"})
    class_basis = ma.fields.String(allow_none=True)
    class_defaulted = ma.fields.Boolean(required=True, metadata={"description": "class from a default, not a rule"})
    publish_from = ma.fields.Date(allow_none=True)
    min_publish_until = ma.fields.Date(allow_none=True)
    max_publish_until = ma.fields.Date(allow_none=True)
    window_basis = ma.fields.String(allow_none=True)
    window_overridden = ma.fields.Boolean(required=True)
    publication_state = ma.fields.String(required=True, metadata={
        "description": "unpublished / published / repair_pending / repaired / expired / withdrawn"})
    repairable = ma.fields.Boolean(required=True)


class RecordFiledSchema(ma.Schema):
    record = ma.fields.Nested(RecordSchema, required=True)
    repair_notice = ma.fields.String(allow_none=True, metadata={
        "description": "信用修复告知书 to serve with the decision (两书同达); null for non-negative records"})
    created = ma.fields.Boolean(required=True, metadata={"description": "false: an earlier submission was updated"})
    grade = ma.fields.String(required=True, allow_none=True, metadata=GRADE_DOC)


class ImportReportSchema(ma.Schema):
    rows = ma.fields.Integer(required=True)
    created = ma.fields.Integer(required=True)
    updated = ma.fields.Integer(required=True)
    subjects_regraded = ma.fields.Integer(required=True)
    encoding = ma.fields.String(allow_none=True)


class RemovalSchema(ma.Schema):
    reason = PlainText(required=True, validate=ma.validate.Length(min=2, max=500))


class FileQuerySchema(QueryRefSchema):
    purpose = PlainText(required=True, validate=ma.validate.Length(min=2, max=300),
                        metadata={"description": "Why the file is read (written to the audit log)"})


class FileArgsSchema(FileQuerySchema, PageArgsSchema):
    category = ma.fields.String(validate=ma.validate.OneOf(RECORD_CATEGORIES))
    date_from = ma.fields.Date()
    date_to = ma.fields.Date()
    include_removed = ma.fields.Boolean(load_default=False)


class SubjectSummarySchema(ma.Schema):
    handle = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)
    uscc = ma.fields.String(allow_none=True)
    resident_id_masked = ma.fields.String(allow_none=True)
    grade = ma.fields.String(required=True, allow_none=True, metadata=GRADE_DOC)
    score = ma.fields.Float(required=True, allow_none=True)


CreditFilePageSchema = page_schema(RecordSchema, "CreditFilePageSchema",
                                   subject=ma.fields.Nested(SubjectSummarySchema, required=True))


class GradeChangeSchema(ma.Schema):
    grade = ma.fields.String(required=True, allow_none=True, metadata=GRADE_DOC)
    score = ma.fields.Float(required=True, allow_none=True)
    model_version = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)
    computed_at = ma.fields.DateTime(required=True)


class GradeReportSchema(ma.Schema):
    subject = ma.fields.Nested(SubjectSummarySchema, required=True)
    grade_zh = ma.fields.String(required=True)
    model_version = ma.fields.String(allow_none=True)
    breakdown = ma.fields.Dict(required=True, metadata={"description": "records with points and rules, "
                                                                       "adjustments, list effects"})
    history = ma.fields.List(ma.fields.Nested(GradeChangeSchema), required=True)


class ListEntryInSchema(SubjectRefSchema):
    subject_name = PlainText(validate=ma.validate.Length(min=1, max=200))
    list_type = ma.fields.String(required=True, validate=ma.validate.OneOf(LIST_TYPES))
    reason = PlainText(required=True, validate=ma.validate.Length(min=2, max=500))
    legal_basis = PlainText(required=True, validate=ma.validate.Length(min=2, max=500))
    decision_document = PlainText(required=True, validate=ma.validate.Length(min=2, max=200))
    department = PlainText(validate=ma.validate.Length(min=1, max=100))
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(allow_none=True)
    record_id = body_id(allow_none=True, metadata={
        "description": "The credit record the listing is founded on: repairing that record ends the entry"})


class ListEntrySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    subject_handle = ma.fields.Function(lambda e: e.subject.handle, required=True)
    list_type = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)
    legal_basis = ma.fields.String(required=True)
    decision_document = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(allow_none=True)
    removed_at = ma.fields.DateTime(allow_none=True)
    removed_reason = ma.fields.String(allow_none=True)
    record_id = ma.fields.Integer(allow_none=True)


class ListArgsSchema(PageArgsSchema):
    list_type = ma.fields.String(validate=ma.validate.OneOf(LIST_TYPES))
    active = ma.fields.Boolean(load_default=True)


ListEntryPageSchema = page_schema(ListEntrySchema, "ListEntryPageSchema")


class MeasureSchema(ma.Schema):
    code = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    list_type = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(tuple(MeasureKind)))
    applies_to = ma.fields.String(required=True)
    legal_basis = ma.fields.String(required=True)
    implementing_body = ma.fields.String(required=True)


class MeasureListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MeasureSchema), required=True)


class JointQueryArgsSchema(FileQuerySchema):
    applies_to = PlainText(validate=ma.validate.Length(max=32),
                           metadata={"description": "Only measures for this decision kind, "
                                                    "e.g. government_procurement"})


DAY = {"format": "date", "example": "2026-03-01"}


class ListStatusSchema(ma.Schema):
    list_type = ma.fields.String(required=True)
    list_zh = ma.fields.String(required=True)
    decision_document = ma.fields.String(required=True)
    legal_basis = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    starts_on = ma.fields.String(required=True, metadata=DAY)
    ends_on = ma.fields.String(allow_none=True, metadata=DAY)
    bases = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Catalogue bases (measures.toml [[basis]]) this decision's legal basis names"})
    basis_matched = ma.fields.Boolean(required=True, metadata={
        "description": "false: the legal basis matches no catalogue basis, so it brings no measure (see notes)"})
    marks = ma.fields.List(ma.fields.String(), load_default=list, metadata={
        "description": "Neutral notes while the entry is under objection, reconsideration or litigation, e.g. "
                       "信息主体已提出异议，正在核实"})


class AppliedMeasureSchema(MeasureSchema):
    because = ma.fields.List(ma.fields.String(), required=True,
                             metadata={"description": "Decision documents whose legal basis brings this measure"})


class JointResultSchema(ma.Schema):
    query_no = ma.fields.String(required=True,
                                metadata={"description": "Number of this query, e.g. YJCX20261201000042"})
    queried_at = ma.fields.DateTime(required=True)
    record_url = ma.fields.String(required=True, metadata={"description": "The printable query record (PDF)"})
    result = ma.fields.String(required=True, validate=ma.validate.OneOf(("no_record", "not_listed", "listed")))
    result_zh = ma.fields.String(required=True, metadata={"example": "查询无记录"})
    queried = ma.fields.String(required=True, metadata={"description": "What was asked (a resident id masked)"})
    subject = ma.fields.Nested(SubjectSummarySchema, required=True, allow_none=True,
                               metadata={"description": "null: no credit file (查询无记录)"})
    lists = ma.fields.List(ma.fields.Nested(ListStatusSchema), required=True)
    measures = ma.fields.List(ma.fields.Nested(AppliedMeasureSchema), required=True)
    notes = ma.fields.List(ma.fields.String(), required=True)
    checked_on = ma.fields.String(required=True, metadata=DAY)
    purpose = ma.fields.String(required=True)
    applies_to = ma.fields.String(allow_none=True)


class JointRecordSchema(JointResultSchema):
    operator = ma.fields.String(required=True, metadata={"description": "Who queried"})
    department = ma.fields.String(required=True, metadata={"description": "For which department"})


# The subject's own view (mini-program: GET /me/credit; merchant owners).


class GradeViewSchema(ma.Schema):
    grade = ma.fields.String(required=True, allow_none=True, metadata=GRADE_DOC)
    grade_zh = ma.fields.String(required=True)
    score = ma.fields.Float(required=True, allow_none=True)
    grade_updated_at = ma.fields.DateTime(allow_none=True)
    model_version = ma.fields.String(allow_none=True, metadata={"description": "Model version of the breakdown"})
    breakdown = ma.fields.Dict(required=True, metadata={
        "description": "Live explanation by the current evaluation model (grading.current_breakdown): base_score, "
                       "records (each with points and rule), adjustments, score, score_grade, lists, grade, grade_zh"})
    history = ma.fields.List(ma.fields.Nested(GradeChangeSchema), required=True)

class MarkSchema(ma.Schema):
    kind = ma.fields.String(required=True, metadata={"description": "objection, reconsideration or litigation"})
    note = ma.fields.String(required=True, metadata={"example": "信息主体已提出异议，正在核实"})
    ref = ma.fields.String(required=True, metadata={"description": "The objection's number or the case number"})
    since = ma.fields.DateTime(required=True)
    suspends_grade = ma.fields.Boolean(required=True,
                                       metadata={"description": "true: not counted in the grade while decided"})


class OwnRecordSchema(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "What an objection names (record_id)"})
    result = ma.fields.String(allow_none=True)
    marks = ma.fields.List(ma.fields.Nested(MarkSchema), required=True)
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
    severity_class = ma.fields.String(allow_none=True)
    publication_state = ma.fields.String(required=True)
    min_publish_until = ma.fields.Date(allow_none=True, metadata={"description": "Repair possible after this day"})
    max_publish_until = ma.fields.Date(allow_none=True)
    repairable = ma.fields.Boolean(required=True)


class ListEntryViewSchema(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "What an objection names (list_entry_id)"})
    marks = ma.fields.List(ma.fields.Nested(MarkSchema), required=True)
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
    hides_positive = ma.fields.Boolean(required=True, metadata={
        "description": "true: my awards, volunteering and donations are not shown publicly (PUT /me/preferences)"})


class FileAccessSchema(ma.Schema):
    at = ma.fields.DateTime(required=True)
    kind = ma.fields.String(required=True, metadata={"description": "file, grade, joint_query, joint_record, report, "
                                                                     "financing, console"})
    kind_zh = ma.fields.String(required=True)
    organisation = ma.fields.String(required=True, metadata={"description": "the department, market office or bank"})
    role_zh = ma.fields.String(required=True)
    purpose = ma.fields.String(required=True)
    ref = ma.fields.String(allow_none=True, metadata={"description": "e.g. the 一键查询 number"})


FileAccessPageSchema = page_schema(FileAccessSchema, "FileAccessPageSchema")


class MarkInSchema(ma.Schema):
    item = ma.fields.String(required=True, validate=ma.validate.OneOf(("record", "list_entry")))
    item_id = body_id(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(("reconsideration", "litigation")),
                            metadata={"description": "行政复议 or 行政诉讼 (objection marks come from objections)"})
    ref = PlainText(required=True, validate=ma.validate.Length(min=2, max=64),
                    metadata={"description": "The case number (复议/诉讼案号)"})
    suspends_grade = JsonBoolean(load_default=False)


class MarkOutSchema(MarkSchema):
    id = ma.fields.Integer(required=True)
    item = ma.fields.String(required=True)
    item_id = ma.fields.Integer(required=True)
    cleared_at = ma.fields.DateTime(allow_none=True)


class SuspensionSchema(ma.Schema):
    suspended = JsonBoolean(required=True)


class PreferencesSchema(ma.Schema):
    hides_positive = JsonBoolean(required=True, metadata={
        "description": "true: do not show my awards, volunteering and donations (表彰奖励、志愿服务、慈善捐赠)"})
    hides_positive_zh = ma.fields.String(dump_only=True)


class PublicationClassInSchema(ma.Schema):
    department = PlainText(validate=ma.validate.Length(min=1, max=100),
                           metadata={"description": "admins only: whose table; departments edit their own"})
    severity_class = ma.fields.String(required=True, validate=ma.validate.OneOf(tuple(Severity)))
    reference = PlainText(required=True, validate=ma.validate.Length(min=2, max=300),
                          metadata={"description": "The rule's reference (分类标准条款)"})
    published = JsonBoolean(load_default=True, metadata={"description": "轻微: false = 不予公示"})
    min_months = ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(min=0, max=600))
    max_months = ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(min=1, max=600))
    repairable = JsonBoolean(load_default=True)


class PublicationClassSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    department = ma.fields.String(required=True)
    penalty_type = ma.fields.String(required=True, metadata={"description": "\"*\": the department's default"})
    severity_class = ma.fields.String(required=True)
    reference = ma.fields.String(required=True)
    published = ma.fields.Boolean(required=True)
    min_months = ma.fields.Integer(allow_none=True)
    max_months = ma.fields.Integer(allow_none=True)
    repairable = ma.fields.Boolean(required=True)


class PublicationClassListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PublicationClassSchema), required=True)


class DepartmentArgsSchema(ma.Schema):
    department = PlainText(validate=ma.validate.Length(min=1, max=100))


class CommitmentFieldsSchema(ma.Schema):
    matter = PlainText(required=True, validate=V.Length(min=2, max=200), metadata={"description": "承诺事项"})
    content = PlainText(multiline=True, required=True, validate=V.Length(min=2, max=4000))
    liability = PlainText(multiline=True, validate=V.Length(min=2, max=2000),
                          metadata={"description": "违诺责任; a standard text by default"})
    valid_until = ma.fields.Date(allow_none=True)
    disclosure = ma.fields.String(load_default="public", validate=V.OneOf(tuple(Disclosure)), metadata={
        "description": "public 可向社会公开 / restricted 特定范围内公开 / private 不可公开"})


class CommitmentInSchema(SubjectRefSchema, CommitmentFieldsSchema):
    handle = ma.fields.String(validate=V.Regexp(r"^[A-Za-z0-9]{4,16}$", error="应为 4 到 16 位字母或数字。"))
    commitment_type = ma.fields.String(required=True, validate=V.OneOf(tuple(CommitmentType)), metadata={
        "description": "approval_replacing 审批替代型, tolerant_acceptance 容缺受理型, certification 证明事项型, "
                       "repair 信用修复型, self_discipline 行业自律型, other 其他 (voluntary 主动型: mini-program)"})
    committed_on = ma.fields.Date(required=True)
    accepting_unit = PlainText(validate=V.Length(min=2, max=100), metadata={"description": "default: your department"})


class FulfilmentInSchema(ma.Schema):
    fulfilment = ma.fields.String(required=True, validate=V.OneOf(tuple(Fulfilment)),
                                  metadata={"description": "full 全部履行 / partial 部分履行 / none 全部未履行"})
    unfulfilled = PlainText(multiline=True, validate=V.Length(min=2, max=2000))
    liability_pursued = PlainText(multiline=True, validate=V.Length(min=2, max=2000))
    assessed_on = ma.fields.Date()


class CommitmentOutSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "20 characters: area + yyyymmdd + serial"})
    commitment_type = ma.fields.String(required=True)
    type_zh = ma.fields.String(required=True)
    matter = ma.fields.String(required=True)
    content = ma.fields.String(required=True)
    liability = ma.fields.String(required=True)
    committed_on = ma.fields.Date(required=True)
    valid_until = ma.fields.Date(allow_none=True)
    accepting_unit = ma.fields.String(required=True)
    disclosure = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "active / kept / broken / withdrawn"})
    fulfilment = ma.fields.String(allow_none=True)
    unfulfilled = ma.fields.String(allow_none=True)
    liability_pursued = ma.fields.String(allow_none=True)
    assessed_on = ma.fields.Date(allow_none=True)
    record_id = ma.fields.Integer(allow_none=True)


class CommitmentListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CommitmentOutSchema), required=True)
