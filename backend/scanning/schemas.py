"""Schemas for scanner devices, incentives, verification, redemptions and offline uploads."""

import marshmallow as ma

from backend.platform.web.schemas import JsonBoolean, PlainText, body_id, page_schema
from backend.scanning.vocab import Outcome, QuotaPeriod, ScenarioCode

OUTCOMES = tuple(Outcome)
SCENARIOS = tuple(ScenarioCode)

EPOCH_MAX = 4102444800  # 2100-01-01: later timestamps overflow datetime conversions

CODE = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2048),
                        metadata={"description": "The scanned personal code (compact JWS, optional SWC: prefix)"})


class ScenarioSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name_zh = ma.fields.String(required=True)
    slot = ma.fields.Integer(allow_none=True, metadata={"description": "Its nibble in format-2 codes"})
    card_perks = ma.fields.Boolean(required=True, metadata={
        "description": "Printed resident cards get this scenario's perks (false: perks need a live phone code)"})
    id_checks = ma.fields.Boolean(required=True, metadata={
        "description": "Its scanners may look residents up by ID number (POST /api/scan/v1/id-checks)"})


class ScenarioListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ScenarioSchema), required=True)


class ScenarioOptionsSchema(ma.Schema):
    card_perks = JsonBoolean()
    id_checks = JsonBoolean()


class NewDeviceSchema(ma.Schema):
    name = PlainText(required=True, validate=ma.validate.Length(min=1, max=100))
    partner_id = body_id(metadata={"description": "Admins only; partners register their own"})


class DeviceSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    partner_id = ma.fields.Integer(required=True)
    scenario = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(allow_none=True)
    revoked_at = ma.fields.DateTime(allow_none=True)


class DeviceCreatedSchema(ma.Schema):
    device = ma.fields.Nested(DeviceSchema, required=True)
    token = ma.fields.String(required=True, metadata={"description": "Bearer token dev_…, shown once"})


class DeviceListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DeviceSchema), required=True)


class IncentiveRulesSchema(ma.Schema):
    title = PlainText(validate=ma.validate.Length(min=1, max=100))
    description = PlainText(allow_none=True, validate=ma.validate.Length(max=300))
    eligible_grades = ma.fields.String(validate=ma.validate.Regexp(r"^(?!.*(.).*\1)[ABCD]{1,4}$"),
                                       metadata={"description": "Letters of the grades that qualify, e.g. AB"})
    subject_kinds = ma.fields.String(validate=[ma.validate.Length(max=64),  # the column's width (was a 500)
                                               ma.validate.Regexp(r"^(person|merchant|organisation)"
                                                                  r"(,(person|merchant|organisation))*$")])
    quota_count = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=1000))
    quota_period = ma.fields.String(validate=ma.validate.OneOf(tuple(QuotaPeriod)))
    valid_from = ma.fields.Date(allow_none=True)
    valid_to = ma.fields.Date(allow_none=True)
    active = JsonBoolean()


class NewIncentiveSchema(IncentiveRulesSchema):
    code = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,31}$"))
    title = PlainText(required=True, validate=ma.validate.Length(min=1, max=100))
    partner_id = body_id(metadata={"description": "Admins only"})


class IncentiveSchema(NewIncentiveSchema):
    id = ma.fields.Integer(required=True)
    scenario = ma.fields.String(required=True, validate=ma.validate.OneOf(SCENARIOS))
    partner_id = ma.fields.Integer(required=True)
    offline_bit = ma.fields.Integer(allow_none=True, metadata={
        "description": "Its bit in personal codes' offline eligibility (0-3); null: granted online only "
                       "(a scenario has 4 offline incentives at most)"})


class IncentiveListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(IncentiveSchema), required=True)


class VerifyRequestSchema(ma.Schema):
    code = CODE
    scenario = ma.fields.String(validate=ma.validate.OneOf(SCENARIOS),
                                metadata={"description": "Optional; 403 if not the device's scenario"})


class PerkSchema(ma.Schema):
    code = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(allow_none=True)
    quota_period = ma.fields.String(required=True)
    remaining = ma.fields.Integer(required=True)


class DisclosedSchema(ma.Schema):
    eligible = ma.fields.Boolean(metadata={"description": "Qualifies for a perk here (current grade decides)"})
    discount = ma.fields.List(ma.fields.String(), metadata={"description": "Titles of perks grantable now"})
    masked_name = ma.fields.String(metadata={"description": "e.g. 张*三 (lodging, medical)"})
    grade = ma.fields.String()


class VerifyResultSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(OUTCOMES))
    outcome_zh = ma.fields.String(required=True)
    detail = ma.fields.String(allow_none=True, metadata={"description": "Finer reason (e.g. not_yet_valid)"})
    scenario = ma.fields.String(required=True)
    scenario_name = ma.fields.String(required=True)
    checked_at = ma.fields.DateTime(required=True)
    disclosed = ma.fields.Nested(DisclosedSchema, required=True)
    incentives = ma.fields.List(ma.fields.Nested(PerkSchema), required=True)
    notes = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Neutral notes while part of the holder's file is under objection, reconsideration or "
                       "litigation, e.g. 信息主体已提出异议，正在核实 (show them next to the verdict)"})
    scan_id = ma.fields.Integer(required=True, metadata={
        "description": "This scan; send it with the redemption that follows so the grant is linked to it"})
    via = ma.fields.String(validate=ma.validate.OneOf(("code", "card", "id")), metadata={
        "description": "What identified the resident: a phone code, a printed resident card, an ID check"})


class ScanVerdictSchema(ma.Schema):
    scan_id = ma.fields.Integer(required=True)
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(OUTCOMES))
    refusal = ma.fields.String(allow_none=True, metadata={"description": "Why nothing may be given (Refusal)"})
    colour = ma.fields.String(required=True, validate=ma.validate.OneOf(("green", "amber", "red")), metadata={
        "description": "green: give the perk; amber: genuine code, nothing may be given; red: code not accepted"})
    headline = ma.fields.String(required=True, metadata={"example": "不能发放"})
    reason = ma.fields.String(required=True, metadata={"example": "本月次数已用完"})
    notes = ma.fields.List(ma.fields.String(), metadata={
        "description": "Neutral notes while part of the holder's file is being decided (信息主体已提出异议，正在核实)"})


class DeskDeviceSchema(ma.Schema):
    name = ma.fields.String(required=True)
    scenario = ma.fields.String(required=True)
    scenario_name = ma.fields.String(required=True)


class DeskGrantSchema(ma.Schema):
    receipt_no = ma.fields.String(required=True, metadata={"description": "What the desk calls this grant",
                                                           "example": "20261201-000042"})
    incentive = ma.fields.Dict(required=True)
    granted_at = ma.fields.DateTime(required=True)
    status = ma.fields.String(required=True)
    offline = ma.fields.Boolean(required=True)
    scan_id = ma.fields.Integer(allow_none=True)


class TodaysGrantsSchema(ma.Schema):
    device = ma.fields.Nested(DeskDeviceSchema, required=True)
    day = ma.fields.Date(required=True, metadata={"description": "Today in China time"})
    checked_at = ma.fields.Integer(required=True)
    items = ma.fields.List(ma.fields.Nested(DeskGrantSchema), required=True)


ID_NUMBER = PlainText(validate=ma.validate.Length(min=15, max=20), metadata={
    "description": "居民身份证号 read at the counter (typed, or a card reader as keyboard input); only where the "
                   "device's scenario allows ID checks"})


class IdCheckRequestSchema(ma.Schema):
    id_number = ID_NUMBER
    scenario = ma.fields.String(validate=ma.validate.OneOf(SCENARIOS),
                                metadata={"description": "Optional; 403 if not the device's scenario"})

    @ma.validates_schema
    def _id_given(self, data, **_kw):
        if not data.get("id_number"):
            raise ma.ValidationError("请填写身份证号。", "id_number")


class RedeemRequestSchema(ma.Schema):
    code = ma.fields.String(validate=ma.validate.Length(min=1, max=2048), metadata={
        "description": "The scanned personal code or resident card; or give id_number instead"})
    id_number = ID_NUMBER
    incentive = PlainText(required=True, validate=ma.validate.Length(min=1, max=32))
    scan_id = body_id(metadata={
        "description": "scan_id from the verify this grant follows (same device, same person, within 10 minutes; "
                       "else 422 invalid_scan). Without it the redemption records a scan of its own."})

    @ma.validates_schema
    def _code_or_id(self, data, **_kw):
        if bool(data.get("code")) == bool(data.get("id_number")):
            raise ma.ValidationError("code 与 id_number 须填写其中一项（且只填一项）。", "code")


class IdempotencyHeaderSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    idempotency_key = ma.fields.String(required=True, data_key="Idempotency-Key",
                                       validate=ma.validate.Regexp(r"^[!-~]{8,64}$"),
                                       metadata={"description": "8–64 visible ASCII chars, unique per grant attempt"})


class RedemptionSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"description": "granted (or flagged, offline)"})
    incentive = ma.fields.Dict(required=True)
    period_key = ma.fields.String(required=True)
    slot = ma.fields.Integer(allow_none=True)
    granted_at = ma.fields.DateTime(required=True)
    receipt = ma.fields.String(required=True, metadata={"description": "JWS, typ sw-receipt+jwt"})
    replayed = ma.fields.Boolean(required=True)
    scan_id = ma.fields.Integer(allow_none=True, metadata={"description": "The scan this grant belongs to"})


class TrustBundleSchema(ma.Schema):
    bundle = ma.fields.String(required=True, metadata={"description": "JWS, typ sw-trust-bundle+jwt"})
    issued_at = ma.fields.DateTime(required=True)
    max_age = ma.fields.Integer(required=True, metadata={"description": "Seconds; older ⇒ cannot_verify"})
    scenario = ma.fields.String(required=True)
    bundle_id = ma.fields.Integer(required=True, metadata={"description": "Name it on offline uploads (bundle)"})
    changes_cursor = ma.fields.Integer(required=True, metadata={
        "description": "The change feed cursor the bundle reflects: GET /changes?after=<it> for what followed"})


class OfflineItemSchema(ma.Schema):
    ref = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[!-~]{1,56}$"),
                           metadata={"description": "The device's own id for this scan (deduplication)"})
    code = CODE
    scanned_at = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=0, max=EPOCH_MAX),
                                   metadata={"description": "Epoch seconds of the scan"})
    incentive = PlainText(allow_none=True, validate=ma.validate.Length(min=1, max=32),
                          metadata={"description": "The perk the device granted offline, if any"})
    bundle = body_id(allow_none=True, metadata={
        "description": "bundle_id of the trust bundle the device verified with (default: its latest one issued "
                       "before scanned_at); a scan outside every bundle's validity is never granted"})


class OfflineBatchSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(OfflineItemSchema), required=True,
                           validate=ma.validate.Length(min=1, max=500))


class OfflineAnswerSchema(ma.Schema):
    ref = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(
        ["granted", "flagged", "recorded", "rejected", "duplicate"]))
    outcome = ma.fields.String(validate=ma.validate.OneOf(OUTCOMES))
    reason = ma.fields.String(allow_none=True)
    receipt = ma.fields.String(allow_none=True)


class OfflineReportSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(OfflineAnswerSchema), required=True)
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), required=True)


# Perks a resident can get (mini-program: GET /incentives).


class PerkOfferSchema(ma.Schema):
    code = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(allow_none=True)
    scenario = ma.fields.String(required=True, validate=ma.validate.OneOf(SCENARIOS))
    scenario_zh = ma.fields.String(required=True, metadata={"example": "信用+住宿"})
    partner = ma.fields.String(required=True, metadata={"description": "Who grants it"})
    eligible_grades = ma.fields.List(ma.fields.String(), required=True, metadata={"example": ["优", "良"]})
    quota_zh = ma.fields.String(required=True, metadata={"example": "每月 2 次"})
    valid_from = ma.fields.Date(allow_none=True)
    valid_to = ma.fields.Date(allow_none=True)
    eligible = ma.fields.Boolean(required=True, metadata={"description": "The caller may get it today"})
    reason = ma.fields.String(allow_none=True, metadata={
        "description": "Why not: grade, subject_kind, blacklisted, not_started, ended, over_quota"})
    reason_zh = ma.fields.String(allow_none=True, metadata={"example": "本月次数已用完"})
    remaining = ma.fields.Integer(required=True, metadata={"description": "Uses left in the current period"})
    remaining_zh = ma.fields.String(required=True, metadata={"example": "本月剩余 1 次"})


class PerkOfferListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PerkOfferSchema), required=True)


# A resident's own scans (mini-program: GET /me/scans).


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

ScanPageSchema = page_schema(ScanViewSchema, "ScanPageSchema")


class SettlementArgsSchema(ma.Schema):
    day = ma.fields.Date(metadata={"description": "A China date, YYYY-MM-DD (or month)"})
    month = ma.fields.String(validate=ma.validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$",
                                                         error="应为 YYYY-MM，例如 2026-11。"),
                             metadata={"description": "A month, YYYY-MM (or day)"})
    partner_id = body_id(metadata={"description": "Admins only: one partner's devices (default: all)"})


class SettlementItemSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    granted_at = ma.fields.DateTime(required=True)
    status = ma.fields.String(required=True, metadata={"description": "granted, or flagged (an offline upload over "
                                                                      "quota: kept, not settled)"})
    offline = ma.fields.Boolean(required=True)
    flag_reason = ma.fields.String(allow_none=True)
    receipt_id = ma.fields.String(allow_none=True, metadata={"description": "The jti of the grant's receipt"})
    device_id = ma.fields.Integer(required=True)
    device = ma.fields.String(required=True)
    incentive = ma.fields.String(required=True)
    incentive_title = ma.fields.String(required=True)


class SettlementTotalSchema(ma.Schema):
    device_id = ma.fields.Integer(required=True)
    device = ma.fields.String(required=True)
    incentive = ma.fields.String(required=True)
    incentive_title = ma.fields.String(required=True)
    granted = ma.fields.Integer(required=True)
    flagged = ma.fields.Integer(required=True)


class SettlementSchema(ma.Schema):
    period = ma.fields.String(required=True, metadata={"description": "The day or month asked for"})
    partner = ma.fields.String(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(SettlementItemSchema), required=True)
    totals = ma.fields.List(ma.fields.Nested(SettlementTotalSchema), required=True)
    granted = ma.fields.Integer(required=True)
    flagged = ma.fields.Integer(required=True)
