"""Schemas for banks, authorisations, the financing profile, loan applications and the statistics."""

import re

import marshmallow as ma

from backend.banks.vocab import DEFAULT_SCOPES, DeclineReason, IdShown, Outcome, Purpose, RateBand, Scope
from backend.platform.web.schemas import PageArgsSchema, PlainText, body_id, page_schema

HANDLE = ma.validate.Regexp(r"^[A-Za-z0-9_-]{4,32}$")


class NewBankSchema(ma.Schema):
    name = PlainText(required=True, validate=ma.validate.Length(min=2, max=200))
    uscc = PlainText(required=True, validate=ma.validate.Length(min=1, max=40),
                     metadata={"description": "统一社会信用代码 (GB 32100 check character verified)"})
    licence_no = PlainText(required=True, validate=ma.validate.Length(min=4, max=40),
                           metadata={"description": "金融许可证 number (机构编码)"})


class BankSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True)
    licence_no = ma.fields.String(required=True)
    active = ma.fields.Boolean(required=True)
    created_at = ma.fields.DateTime(allow_none=True)


BankPageSchema = page_schema(BankSchema, "BankPage")


class PublicBankSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


PublicBankPageSchema = page_schema(PublicBankSchema, "PublicBankPage")


class BankActiveSchema(ma.Schema):
    active = ma.fields.Boolean(required=True)


class NewBankOperatorSchema(ma.Schema):
    name = PlainText(required=True, validate=ma.validate.Length(min=1, max=100))


class BankOperatorSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    bank_id = ma.fields.Integer(required=True)


class BankOperatorCreatedSchema(ma.Schema):
    operator = ma.fields.Nested(BankOperatorSchema, required=True)
    token = ma.fields.String(required=True, metadata={"description": "Bearer token, shown once"})


class GrantSchema(ma.Schema):
    bank_id = body_id(required=True)
    scopes = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf([s.value for s in Scope])),
                            load_default=lambda: [s.value for s in DEFAULT_SCOPES],
                            validate=ma.validate.Length(min=1, max=len(Scope)),
                            metadata={"description": "Data categories the bank may see; default public_file, grade, "
                                                     "lists. personal_data only by a resident for themself"})
    purpose = ma.fields.String(load_default=Purpose.LOAN_APPLICATION.value,
                               validate=ma.validate.OneOf([p.value for p in Purpose]))
    validity_days = ma.fields.Integer(load_default=90, validate=ma.validate.Range(min=1, max=365),
                                      metadata={"description": "Days after today; ends 24:00 China time"})
    id_shown = ma.fields.String(validate=ma.validate.OneOf([v.value for v in IdShown]),
                                metadata={"description": "With personal_data: masked (default) or clear id number"})


class MpGrantSchema(GrantSchema):
    merchant_handle = PlainText(validate=HANDLE, metadata={"description": "An owned merchant: consent for it"})


class WindowGrantSchema(GrantSchema):
    uscc = PlainText(required=True, validate=ma.validate.Length(min=1, max=40))
    document_ref = PlainText(required=True, validate=ma.validate.Length(min=1, max=100),
                             metadata={"description": "Number of the signed 授权书 the window keeps"})
    agent_name = PlainText(required=True, validate=ma.validate.Length(min=1, max=100),
                           metadata={"description": "Who signed for the organisation"})


class WindowListArgsSchema(PageArgsSchema):
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))


class FetchSchema(ma.Schema):
    bank_id = ma.fields.Integer(required=True)
    bank_name = ma.fields.String(required=True)
    operator_id = ma.fields.Integer(required=True)
    fetched_at = ma.fields.DateTime(required=True)
    scopes = ma.fields.List(ma.fields.String(), required=True)
    scopes_zh = ma.fields.List(ma.fields.String(), required=True)
    purpose = ma.fields.String(required=True)
    purpose_zh = ma.fields.String(required=True)
    document_id = ma.fields.String(required=True)
    authorisation_id = ma.fields.Integer(required=True)


class ApplicationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    reference = ma.fields.String(required=True)
    product = ma.fields.String(allow_none=True)
    amount_requested_yuan = ma.fields.Integer(allow_none=True)
    received_at = ma.fields.DateTime(required=True)
    outcome = ma.fields.String(allow_none=True)
    outcome_zh = ma.fields.String(required=True)
    amount_yuan = ma.fields.Integer(allow_none=True)
    term_months = ma.fields.Integer(allow_none=True)
    rate_band = ma.fields.String(allow_none=True)
    rate_band_zh = ma.fields.String(allow_none=True)
    decline_reason = ma.fields.String(allow_none=True)
    decline_reason_zh = ma.fields.String(allow_none=True)
    reported_at = ma.fields.DateTime(allow_none=True)


class AuthorisationSchema(ma.Schema):
    handle = ma.fields.String(required=True, metadata={"description": "Give this to the bank: its only way in"})
    bank_id = ma.fields.Integer(required=True)
    bank_name = ma.fields.String(required=True)
    subject_handle = ma.fields.String(required=True)
    scopes = ma.fields.List(ma.fields.String(), required=True)
    scopes_zh = ma.fields.List(ma.fields.String(), required=True)
    purpose = ma.fields.String(required=True)
    purpose_zh = ma.fields.String(required=True)
    id_shown = ma.fields.String(allow_none=True)
    granted_at = ma.fields.DateTime(required=True)
    expires_at = ma.fields.DateTime(required=True)
    revoked_at = ma.fields.DateTime(allow_none=True)
    state = ma.fields.String(required=True)
    state_zh = ma.fields.String(required=True)
    channel = ma.fields.String(required=True)
    channel_zh = ma.fields.String(required=True)
    consent_text = ma.fields.String(required=True)
    fetches = ma.fields.List(ma.fields.Nested(FetchSchema), required=True)
    applications = ma.fields.List(ma.fields.Nested(ApplicationSchema), required=True)


AuthorisationPageSchema = page_schema(AuthorisationSchema, "BankAuthorisationPage")


class ProfileSchema(ma.Schema):
    typ = ma.fields.String(required=True)
    document = ma.fields.String(required=True, metadata={
        "description": "Compact JWS (EdDSA, kid, typ sw-financing-profile+jwt) of `profile`: keep it as proof"})
    profile = ma.fields.Dict(required=True, metadata={"description": "The signed claims: authorisation, subject, "
                                                                     "data (one key per authorised scope)"})
    kid = ma.fields.String(required=True)
    jwk = ma.fields.Dict(required=True, metadata={"description": "The public key that signed it (keep it with the "
                                                                 "document: the JWKS drops retired keys)"})


class IdempotencyHeaderSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    idempotency_key = ma.fields.String(required=True, data_key="Idempotency-Key",
                                       validate=ma.validate.Regexp(r"^[!-~]{8,64}$"),
                                       metadata={"description": "8–64 visible ASCII chars; a retry replays"})


class NewApplicationSchema(ma.Schema):
    reference = PlainText(required=True, validate=ma.validate.Length(min=1, max=64),
                          metadata={"description": "The bank's own application number"})
    product = PlainText(validate=ma.validate.Length(min=1, max=100))
    amount_requested_yuan = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=10**9))


class OutcomeSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf([o.value for o in Outcome]))
    amount_yuan = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=10**9))
    term_months = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=360))
    rate_band = ma.fields.String(validate=ma.validate.OneOf([r.value for r in RateBand]))
    decline_reason = ma.fields.String(validate=ma.validate.OneOf([r.value for r in DeclineReason]))

    @ma.validates_schema
    def fields_of_the_outcome(self, data, **_kwargs):
        if data.get("outcome") == Outcome.APPROVED:
            missing = [f for f in ("amount_yuan", "term_months", "rate_band") if data.get(f) is None]
            if missing:
                raise ma.ValidationError({f: ["审批通过时必须填写。"] for f in missing})
            if data.get("decline_reason") is not None:
                raise ma.ValidationError({"decline_reason": ["审批通过时不应填写未通过原因。"]})
        elif data.get("outcome") == Outcome.DECLINED:
            if data.get("decline_reason") is None:
                raise ma.ValidationError({"decline_reason": ["未通过时必须填写原因类别。"]})
            extra = [f for f in ("amount_yuan", "term_months", "rate_band") if data.get(f) is not None]
            if extra:
                raise ma.ValidationError({f: ["未通过时不应填写。"] for f in extra})


class ApplicationOutSchema(ApplicationSchema):
    authorisation_handle = ma.fields.String(required=True)


class BankMeSchema(ma.Schema):
    bank = ma.fields.Nested(PublicBankSchema, required=True)
    operator_id = ma.fields.Integer(required=True)


class MonthArgsSchema(ma.Schema):
    month = ma.fields.String(required=True, validate=ma.validate.Regexp(
        re.compile(r"^20\d\d-(0[1-9]|1[0-2])$"), error="应为 YYYY-MM 格式的月份。"),
        metadata={"description": "China-time month, YYYY-MM"})


class BankMonthSchema(ma.Schema):
    bank_id = ma.fields.Integer(required=True)
    bank_name = ma.fields.String(required=True)
    authorisations_granted = ma.fields.Integer(required=True)
    authorisations_revoked = ma.fields.Integer(required=True)
    profile_fetches = ma.fields.Integer(required=True)
    applications_received = ma.fields.Integer(required=True)
    approved = ma.fields.Integer(required=True)
    declined = ma.fields.Integer(required=True)
    approved_amount_yuan = ma.fields.Integer(required=True)


class StatisticsSchema(ma.Schema):
    month = ma.fields.String(required=True)
    banks = ma.fields.List(ma.fields.Nested(BankMonthSchema), required=True)
