"""Schemas of the mini-program's accounts: login, session, real-name binding, the personal code."""

import marshmallow as ma

from backend.merchants.schemas import MerchantSummarySchema
from backend.platform.web.schemas import PlainText

V = ma.validate


class LoginSchema(ma.Schema):
    code = PlainText(required=True, validate=V.Length(min=1, max=128),
                     metadata={"description": "The code from wx.login(), single-use, valid 5 minutes"})

class SessionSchema(ma.Schema):
    token = ma.fields.String(required=True, metadata={"description": "Bearer token for /api/mp/v1 (mps_…)"})
    expires_at = ma.fields.DateTime(required=True)
    identity_bound = ma.fields.Boolean(required=True)

class IdentitySchema(ma.Schema):
    name = PlainText(required=True, validate=V.Length(min=1, max=50))
    id_number = PlainText(required=True, validate=V.Length(min=15, max=20),
                          metadata={"description": "居民身份证号 (18 characters, GB 11643)"})


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
    grade = ma.fields.String(required=True, allow_none=True, metadata={"description": "null: not rated yet (未评价)"})
    grade_zh = ma.fields.String(required=True)

class CodeRevocationSchema(ma.Schema):
    codes_valid_after = ma.fields.DateTime(required=True, metadata={
        "description": "Codes issued before this instant now verify as revoked"})
    sessions_revoked = ma.fields.Integer(required=True, metadata={
        "description": "Other sessions of this WeChat account that were logged out"})


class FaceVerificationSchema(ma.Schema):
    verification_id = ma.fields.String(required=True, metadata={"description": "Ours: confirm with it"})
    verify_id = ma.fields.String(required=True,
                                 metadata={"description": "WeChat's: wx.requestFacialVerify({verifyId})"})
    expires_at = ma.fields.DateTime(required=True)


class CounterCodeSchema(ma.Schema):
    counter_code = ma.fields.String(required=True, metadata={"description": "Show it at the window; single-use"})
    expires_at = ma.fields.DateTime(required=True)


class CounterBindingSchema(ma.Schema):
    counter_code = PlainText(required=True, validate=V.Length(min=8, max=16))
    name = PlainText(required=True, validate=V.Length(min=1, max=50),
                     metadata={"description": "As printed on the ID card the clerk checked"})
    id_number = PlainText(required=True, validate=V.Length(min=15, max=20),
                          metadata={"description": "居民身份证号 (18 characters, GB 11643), from the card"})


class CounterBindingResultSchema(ma.Schema):
    account_id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True, metadata={"description": "Masked, e.g. 张*三"})
    id_number_masked = ma.fields.String(required=True)
    subject_handle = ma.fields.String(required=True)
