"""Schemas for operators, key rotation, the audit report and the working-day calendar."""

import marshmallow as ma

from backend.platform.access import OPERATOR_ROLES
from backend.platform.calendar import DAY_KIND_ZH, DayKind
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


class CalendarYearSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    source = ma.fields.String(required=True, metadata={"description": "the notice (or package) the days come from"})
    holidays = ma.fields.Integer(required=True)
    workdays = ma.fields.Integer(required=True, metadata={"description": "adjusted working days (调休上班)"})


class CalendarYearsSchema(ma.Schema):
    years = ma.fields.List(ma.fields.Nested(CalendarYearSchema), required=True)
    fallback = ma.fields.String(required=True, metadata={
        "description": "what happens to a year that is not here: its weekdays count as working days"})


class CalendarDaySchema(ma.Schema):
    day = ma.fields.Date(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(tuple(DayKind)),
                            metadata={"description": "holiday: 法定节假日; workday: 调休上班 (a weekend working day)"})
    kind_zh = ma.fields.Function(lambda d: DAY_KIND_ZH[DayKind(d["kind"])], dump_only=True)
    name = PlainText(load_default="", validate=ma.validate.Length(max=40))


class CalendarYearDaysSchema(ma.Schema):
    year = ma.fields.Integer(dump_only=True)
    source = PlainText(required=True, validate=ma.validate.Length(min=1, max=200),
                       metadata={"description": "the State Council notice's number, e.g. 国办发明电〔2026〕7号"})
    days = ma.fields.List(ma.fields.Nested(CalendarDaySchema), required=True,
                          validate=ma.validate.Length(max=120))
