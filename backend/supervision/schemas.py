"""Schemas of the supervision API (departments) and its public JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import marshmallow as ma

from backend.credit.vocab import SubjectKind
from backend.platform.web.schemas import PageArgsSchema, PlainText, body_id, page_schema
from backend.supervision.vocab import (
    RATIO_RANGES,
    STRATUM_ZH,
    Escalation,
    InspectionOutcome,
    SeedMethod,
    TalkKind,
    TaskState,
    WarningStatus,
)

V = ma.validate
RATIO = V.Regexp(r"^(0(\.\d{1,4})?|1(\.0{1,4})?)$", error="比例应为 0 到 1 之间的小数，如 0.05（最多四位小数）。")
# Talks happen in this century: bounds keep local-time conversions of hostile instants from overflowing.
MOMENT = V.Range(min=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), max=dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
HEX64 = V.Regexp(r"^[0-9a-fA-F]{64}$", error="应为 64 位十六进制的 SHA-256 值。")


class RatiosSchema(ma.Schema):
    """Per-stratum ratios as decimal strings: A 优 ≤ 0.05, B 良 0.05–0.20, C 中 0.21–0.60, D 差 0.61–1, W 重点关注 at
    least C's, U 未评价."""

    A = ma.fields.String(validate=RATIO)
    B = ma.fields.String(validate=RATIO)
    C = ma.fields.String(validate=RATIO)
    D = ma.fields.String(validate=RATIO)
    W = ma.fields.String(validate=RATIO)
    U = ma.fields.String(validate=RATIO)

    @ma.validates_schema
    def within_published_ranges(self, data, **_kw):
        for stratum, value in data.items():
            low, high = RATIO_RANGES[stratum]
            if not Decimal(low) <= Decimal(value) <= Decimal(high):
                raise ma.ValidationError(f"{STRATUM_ZH[stratum]}的抽查比例应在 {low} 到 {high} 之间。", stratum)
        if "W" in data and "C" in data and Decimal(data["W"]) < Decimal(data["C"]):
            raise ma.ValidationError("重点关注名单的抽查比例不能低于“中”等级的比例。", "W")


class ItemInSchema(ma.Schema):
    code = PlainText(required=True, validate=V.Length(min=1, max=32))
    name = PlainText(required=True, validate=V.Length(min=1, max=200))
    basis = PlainText(required=True, validate=V.Length(min=1, max=500))
    object_type = PlainText(required=True, validate=V.Length(min=1, max=100))
    method = PlainText(load_default="现场检查", validate=V.Length(min=1, max=100))
    frequency = PlainText(load_default="每年一次", validate=V.Length(min=1, max=100))
    ratios = ma.fields.Nested(RatiosSchema, load_default=dict)
    department = PlainText(validate=V.Length(min=1, max=100), metadata={"description": "Admins only"})


class ItemSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    department = ma.fields.String(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    basis = ma.fields.String(required=True)
    object_type = ma.fields.String(required=True)
    method = ma.fields.String(required=True)
    frequency = ma.fields.String(required=True)
    ratios = ma.fields.Dict(required=True)


ItemPageSchema = page_schema(ItemSchema, "SupervisionItemPageSchema")


class InspectorInSchema(ma.Schema):
    ref = PlainText(required=True, validate=V.Regexp(r"^[0-9A-Za-z-]{2,32}$",
                                                     error="执法证号只能含字母、数字和连字符（2–32 位）。"),
                    metadata={"description": "执法证号 or another public ref: what is published, never the name"})
    name = PlainText(required=True, validate=V.Length(min=1, max=100))
    department = PlainText(validate=V.Length(min=1, max=100))


class InspectorSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    ref = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    department = ma.fields.String(required=True)


class ConflictInSchema(ma.Schema):
    handle = PlainText(required=True, validate=V.Length(min=1, max=16))
    reason = PlainText(required=True, validate=V.Length(min=1, max=300))


class ConflictSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    inspector_id = ma.fields.Integer(required=True)
    subject_id = ma.fields.Integer(required=True)
    reason = ma.fields.String(required=True)


class PoolSchema(ma.Schema):
    """A filter over subjects; every given condition must hold."""

    kinds = ma.fields.List(ma.fields.String(validate=V.OneOf([k.value for k in SubjectKind])))
    market = PlainText(validate=V.Length(min=1, max=32), metadata={"description": "Market slug: its merchants"})
    scope_contains = PlainText(validate=V.Length(min=1, max=50),
                               metadata={"description": "A word of the merchants' business scope, e.g. 食品"})
    handles = ma.fields.List(PlainText(validate=V.Length(min=1, max=16)), validate=V.Length(max=100000))


class TaskInSchema(ma.Schema):
    item_id = body_id(required=True)
    title = PlainText(required=True, validate=V.Length(min=1, max=200))
    pool = ma.fields.Nested(PoolSchema, load_default=dict)
    ratios = ma.fields.Nested(RatiosSchema, load_default=dict)
    inspector_ids = ma.fields.List(body_id(), load_default=list, validate=V.Length(max=500))
    inspectors_per_object = ma.fields.Integer(strict=True, load_default=2, validate=V.Range(min=0, max=5))
    department = PlainText(validate=V.Length(min=1, max=100))


class TaskUpdateSchema(ma.Schema):
    title = PlainText(validate=V.Length(min=1, max=200))
    pool = ma.fields.Nested(PoolSchema)
    ratios = ma.fields.Nested(RatiosSchema)
    inspector_ids = ma.fields.List(body_id(), validate=V.Length(max=500))
    inspectors_per_object = ma.fields.Integer(strict=True, validate=V.Range(min=0, max=5))


class CommitInSchema(ma.Schema):
    seed_method = ma.fields.String(required=True, validate=V.OneOf([m.value for m in SeedMethod]))
    share_sha256 = ma.fields.List(ma.fields.String(validate=HEX64), validate=V.Length(min=2, max=5), metadata={
        "description": "shares: SHA-256 (hex) of each official's secret share, given before the draw"})
    public_value_source = PlainText(validate=V.Length(min=1, max=300), metadata={
        "description": "public_value: what value will be revealed, fixed in advance (e.g. 某日福彩3D开奖号码)"})


class DrawInSchema(ma.Schema):
    shares = ma.fields.List(PlainText(validate=V.Length(min=1, max=200)), validate=V.Length(min=2, max=5))
    public_value = PlainText(validate=V.Length(min=1, max=300))


class ResultInSchema(ma.Schema):
    handle = PlainText(required=True, validate=V.Length(min=1, max=16))
    outcome = ma.fields.String(required=True, validate=V.OneOf([o.value for o in InspectionOutcome]))
    findings = PlainText(validate=V.Length(max=2000))
    inspected_on = ma.fields.Date(required=True)

    @ma.validates_schema
    def findings_on_fail(self, data, **_kw):
        if data.get("outcome") == InspectionOutcome.FAIL and not (data.get("findings") or "").strip():
            raise ma.ValidationError("检查不合格时必须填写发现的问题。", "findings")


class TaskSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    item_id = ma.fields.Integer(required=True)
    state = ma.fields.String(required=True, validate=V.OneOf([s.value for s in TaskState]))
    pool = ma.fields.Dict(required=True)
    ratios = ma.fields.Dict(required=True)
    inspector_ids = ma.fields.List(ma.fields.Integer(), required=True)
    inspectors_per_object = ma.fields.Integer(required=True)
    commitment = ma.fields.String(allow_none=True)
    seed = ma.fields.String(allow_none=True)
    counts = ma.fields.Dict()
    public_url = ma.fields.String()


TaskPageSchema = page_schema(TaskSchema, "SamplingTaskPageSchema")


class TaskArgsSchema(PageArgsSchema):
    state = ma.fields.String(validate=V.OneOf([s.value for s in TaskState]))


class DrawnObjectSchema(ma.Schema):
    handle = ma.fields.String(required=True)
    stratum = ma.fields.String(required=True)
    position = ma.fields.Integer(required=True)
    inspectors = ma.fields.List(ma.fields.String(), required=True)
    outcome = ma.fields.String(allow_none=True)
    findings = ma.fields.String(allow_none=True)
    inspected_on = ma.fields.Date(allow_none=True)
    record_id = ma.fields.Integer(allow_none=True)


class PublicTaskSchema(ma.Schema):
    """The published task: everything `python -m sampling verify` needs (see docs/supervision.md)."""

    class Meta:
        unknown = ma.INCLUDE

    number = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    state = ma.fields.String(required=True)
    state_zh = ma.fields.String(required=True)
    item = ma.fields.Dict(required=True)
    committed_at = ma.fields.DateTime(allow_none=True)
    drawn_at = ma.fields.DateTime(allow_none=True)
    completed_at = ma.fields.DateTime(allow_none=True)
    strata_zh = ma.fields.Dict(required=True)
    commitment = ma.fields.Dict(required=True, metadata={"description": "{sha256, document}: the hashed document"})
    objects = ma.fields.List(ma.fields.Dict(), required=True, metadata={"description": "[{handle, stratum, name}]"})
    recusals = ma.fields.Dict(required=True)
    reveal = ma.fields.Dict(allow_none=True)
    seed = ma.fields.String(allow_none=True)
    drawn = ma.fields.List(ma.fields.Dict(), required=True)


class PublicTaskSummarySchema(ma.Schema):
    number = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    state = ma.fields.String(required=True)
    state_zh = ma.fields.String(required=True)
    commitment = ma.fields.String(allow_none=True)
    objects_count = ma.fields.Integer(required=True)
    committed_at = ma.fields.DateTime(allow_none=True)
    drawn_at = ma.fields.DateTime(allow_none=True)
    url = ma.fields.String(required=True)
    page_url = ma.fields.String(metadata={"description": "The task's page on the 信用汕尾 portal"})


PublicTaskPageSchema = page_schema(PublicTaskSummarySchema, "PublicSamplingTaskPageSchema")
PublicItemPageSchema = page_schema(ItemSchema, "PublicSupervisionItemPageSchema")


class WarningSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    subject_id = ma.fields.Integer(required=True)
    rule = ma.fields.String(required=True)
    cause_key = ma.fields.String(required=True)
    sector = ma.fields.String(allow_none=True)
    department = ma.fields.String(allow_none=True)
    summary = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    created_at = ma.fields.DateTime()


WarningPageSchema = page_schema(WarningSchema, "RiskWarningPageSchema")


class WarningArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=V.OneOf([s.value for s in WarningStatus]))
    unassigned = ma.fields.Boolean(load_default=False,
                                   metadata={"description": "Admins: only warnings no department was given yet"})


class AssignInSchema(ma.Schema):
    department = PlainText(required=True, validate=V.Length(min=1, max=100))
    reason = PlainText(required=True, validate=V.Length(min=1, max=300))


class CloseInSchema(ma.Schema):
    reason = PlainText(required=True, validate=V.Length(min=1, max=300))


class TalkInSchema(ma.Schema):
    warning_id = body_id()
    handle = PlainText(validate=V.Length(min=1, max=16))
    kind = ma.fields.String(required=True, validate=V.OneOf([k.value for k in TalkKind]))
    scheduled_at = ma.fields.AwareDateTime(required=True, validate=MOMENT)
    place = PlainText(required=True, validate=V.Length(min=1, max=200))
    attendees = ma.fields.List(PlainText(validate=V.Length(min=1, max=100)), validate=V.Length(max=20))
    content = PlainText(required=True, validate=V.Length(min=1, max=5000))
    rectification = PlainText(validate=V.Length(max=5000))
    rectification_days = ma.fields.Integer(strict=True, validate=V.Range(min=1, max=120),
                                           metadata={"description": "Working days"})
    department = PlainText(validate=V.Length(min=1, max=100))


class TalkActionInSchema(ma.Schema):
    outcome = PlainText(validate=V.Length(max=5000))
    held_at = ma.fields.AwareDateTime(validate=MOMENT)
    attendees = ma.fields.List(PlainText(validate=V.Length(min=1, max=100)), validate=V.Length(max=20))
    commitment_text = PlainText(validate=V.Length(min=2, max=4000), metadata={
        "description": "hold: the 整改承诺 as signed, filed as a credit commitment (信用修复型 or 其他)"})
    commitment_signer = PlainText(validate=V.Length(max=100))
    fulfilment = ma.fields.String(validate=V.OneOf(["partial", "none"]), metadata={
        "description": "escalate from rectification: partial 部分履行 or none 全部未履行 (default) — the breach"})
    rectification = PlainText(validate=V.Length(max=5000))
    rectification_days = ma.fields.Integer(strict=True, validate=V.Range(min=1, max=120))
    escalation = ma.fields.String(validate=V.OneOf([e.value for e in Escalation]))
    reference = PlainText(validate=V.Length(max=200), metadata={"description": "Penalty decision number, or the "
                                                                              "watch-list decision document"})


class TalkCommitmentSchema(ma.Schema):
    """The rectification commitment as a credit commitment (GET /api/dept/v1/commitments has it all)."""
    code = ma.fields.String(required=True)
    commitment_type = ma.fields.String(required=True, metadata={"description": "repair 信用修复型 or other 其他"})
    status = ma.fields.String(required=True)
    fulfilment = ma.fields.String(allow_none=True)


class TalkSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.String(required=True)
    warning_id = ma.fields.Integer(allow_none=True)
    subject_id = ma.fields.Integer(required=True)
    department = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    state = ma.fields.String(required=True)
    scheduled_at = ma.fields.DateTime(required=True)
    place = ma.fields.String(required=True)
    attendees = ma.fields.List(ma.fields.String())
    content = ma.fields.String(required=True)
    rectification = ma.fields.String(allow_none=True)
    rectification_days = ma.fields.Integer(required=True)
    rectification_due_on = ma.fields.Date(allow_none=True)
    commitment_text = ma.fields.String(allow_none=True, attribute="commitment.content")
    commitment_signer = ma.fields.String(allow_none=True)
    commitment_id = ma.fields.Integer(allow_none=True)
    commitment = ma.fields.Nested(TalkCommitmentSchema, allow_none=True)
    outcome = ma.fields.String(allow_none=True)
    escalation = ma.fields.String(allow_none=True)
    escalation_ref = ma.fields.String(allow_none=True)
    history = ma.fields.List(ma.fields.Dict())


class PreventionInSchema(ma.Schema):
    handle = PlainText(required=True, validate=V.Length(min=1, max=16))
    basis = PlainText(required=True, validate=V.Length(min=1, max=500))
    reason = PlainText(required=True, validate=V.Length(min=1, max=500))
    review_on = ma.fields.Date(required=True)
    warning_id = body_id()
    department = PlainText(validate=V.Length(min=1, max=100))


class PreventionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    subject_id = ma.fields.Integer(required=True)
    department = ma.fields.String(required=True)
    basis = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)
    review_on = ma.fields.Date(required=True)


class WorklistSchema(ma.Schema):
    warnings = ma.fields.List(ma.fields.Nested(WarningSchema), required=True)
    talks = ma.fields.List(ma.fields.Nested(TalkSchema), required=True)
    prevention = ma.fields.List(ma.fields.Nested(PreventionSchema), required=True)
