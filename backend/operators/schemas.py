"""Schemas for operators, key rotation and the audit report."""

import marshmallow as ma

from backend.platform.access import OPERATOR_ROLES
from backend.platform.web.schemas import PlainText, page_schema


class NewOperatorSchema(ma.Schema):
    name = PlainText(required=True, validate=ma.validate.Length(min=1, max=100))
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(OPERATOR_ROLES))
    department = PlainText(validate=ma.validate.Length(min=1, max=100))
    market_slug = PlainText(validate=ma.validate.Length(min=1, max=32))
    partner_name = PlainText(validate=ma.validate.Length(min=1, max=100))


class OperatorSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    department = ma.fields.String(allow_none=True)
    market_id = ma.fields.Integer(allow_none=True)
    partner_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.DateTime(allow_none=True)
    revoked_at = ma.fields.DateTime(allow_none=True)


class OperatorCreatedSchema(ma.Schema):
    operator = ma.fields.Nested(OperatorSchema, required=True)
    token = ma.fields.String(required=True, metadata={"description": "Bearer token, shown once"})


OperatorPageSchema = page_schema(OperatorSchema, "OperatorPageSchema")


class RotatedKeySchema(ma.Schema):
    kid = ma.fields.String(required=True)
    activated_at = ma.fields.DateTime(required=True)


class AuditReportSchema(ma.Schema):
    ok = ma.fields.Boolean(required=True)
    checked = ma.fields.Integer(required=True, metadata={"description": "entries verified"})
    problem = ma.fields.String(allow_none=True)
    seq = ma.fields.Integer(allow_none=True, metadata={"description": "where the first problem is"})
    checkpoints = ma.fields.Integer(required=True, metadata={"description": "signed checkpoints stored"})
    signed_seq = ma.fields.Integer(allow_none=True, metadata={
        "description": "entries up to here are covered by the newest checkpoint's signature"})
    signed_at = ma.fields.DateTime(allow_none=True)
