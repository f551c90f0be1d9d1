"""Schemas of resident cards at a service window."""

import marshmallow as ma

from backend.cards.vocab import CardSize
from backend.platform.web.schemas import PlainText

V = ma.validate


class CardIssueSchema(ma.Schema):
    name = PlainText(required=True, validate=V.Length(min=1, max=50),
                     metadata={"description": "The name on the ID card checked (only its masked form is kept)"})
    id_number = PlainText(required=True, validate=V.Length(min=15, max=20),
                          metadata={"description": "居民身份证号 (18 characters, GB 11643), checked against the card"})
    size = ma.fields.String(load_default=CardSize.ID1.value, validate=V.OneOf([s.value for s in CardSize]),
                            metadata={"description": "id1: bank-card size; a6: postcard"})
    valid_days = ma.fields.Integer(load_default=None, validate=V.Range(min=1, max=365),
                                   metadata={"description": "Days valid (default RESIDENT_CARD_DAYS, <= 365)"})


class CardRevokeSchema(ma.Schema):
    reason = PlainText(load_default="挂失", validate=V.Length(min=1, max=100))


class CardSchema(ma.Schema):
    serial = ma.fields.String(required=True)
    serial_printed = ma.fields.String(required=True, metadata={"example": "7K3M-9QXP-2DHW"})
    masked_name = ma.fields.String(required=True, metadata={"example": "张*三"})
    size = ma.fields.String(required=True)
    size_zh = ma.fields.String(required=True)
    issued_at = ma.fields.DateTime(required=True)
    expires_at = ma.fields.DateTime(required=True)
    revoked_at = ma.fields.DateTime(allow_none=True)
    revoke_reason = ma.fields.String(allow_none=True)
    pdf_url = ma.fields.String(required=True, metadata={"description": "GET it (same operator token) to print"})
