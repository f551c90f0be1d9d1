"""Schemas shared by every blueprint: the error envelope, pagination, strict JSON fields."""

import marshmallow as ma

from backend.platform.db import DB_INT_MAX
from backend.platform.web import messages_zh  # noqa: F401  (first: Chinese messages before any field exists)


def body_id(**kwargs) -> ma.fields.Integer:
    """A row id in a JSON body: a JSON integer (no 2.5 or "7"), within INTEGER."""
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=DB_INT_MAX), **kwargs)


class JsonBoolean(ma.fields.Boolean):
    """A JSON true/false only (marshmallow's Boolean also takes 0, 1, "yes", "on"…)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Stable machine-readable error code"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong, for a developer"})
    details = ma.fields.Raw(allow_none=True, metadata={"description": "Field errors or other context"})


class ErrorEnvelopeSchema(ma.Schema):
    """Every 4xx/5xx on an /api path has this shape."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


class PageArgsSchema(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


class PageMetaSchema(ma.Schema):
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)


def page_schema(item: type[ma.Schema], name: str, **extra: ma.fields.Field) -> type[ma.Schema]:
    """The {items: [item], meta} envelope of a paginated list, as a schema class called `name`
    (the name is what /openapi.json calls it), with any `extra` fields beside items and meta."""
    fields = {"items": ma.fields.List(ma.fields.Nested(item), required=True),
              "meta": ma.fields.Nested(PageMetaSchema, required=True), **extra}
    return type(name, (ma.Schema,), fields)
