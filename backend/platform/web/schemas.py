"""Schemas shared by every blueprint: the error envelope, pagination, strict JSON fields, plain text."""

import re
from typing import ClassVar

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


# Control characters: C0 (CR, LF, TAB, ESC…), DEL, C1, the line/paragraph separators (line breaks in
# JavaScript) and the bidirectional embedding/override/isolate controls (text that displays reversed).
# The same text is the OpenAPI `pattern` (ECMA-262) and the check here (Python re).
LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
MULTILINE_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
_LINE, _MULTILINE = re.compile(LINE_PATTERN), re.compile(MULTILINE_PATTERN)
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # a lone surrogate (JSON "\\ud800") is no character: unstorable


class PlainText(ma.fields.String):
    """Text a person typed, without control characters; one line unless multiline=True (LF, CR, TAB allowed).

    Every name-like field of a request body is one (names, titles, stall and document numbers,
    departments, agencies, reasons, notes), so a CR/LF can never reach a header, a poster, a CSV export
    or a log line. /openapi.json marks them `x-name-like` (multi-line ones `x-multiline`) with the `pattern`.
    Raises ValidationError with a Chinese message.
    """

    default_error_messages: ClassVar[dict[str, str]] = {
        "control": "不能包含控制字符（换行、回车、制表符等），请只填写一行文字。",
        "control_multiline": "不能包含控制字符（换行、回车、制表符除外）。",
    }

    def __init__(self, *, multiline: bool = False, **kwargs) -> None:
        marks = {"pattern": MULTILINE_PATTERN if multiline else LINE_PATTERN,
                 "x-multiline" if multiline else "x-name-like": True}
        super().__init__(metadata={**kwargs.pop("metadata", {}), **marks}, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        allowed = _MULTILINE if self.multiline else _LINE  # fullmatch: re's `$` also matches before a final LF
        if not allowed.fullmatch(text) or _SURROGATE.search(text):
            raise self.make_error("control_multiline" if self.multiline else "control")
        return text


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


class UploadSchema(ma.Schema):
    """An evidence file as backend.platform.uploads.describe gives it (repair proofs, objection evidence …)."""

    ref = ma.fields.String(required=True)
    filename = ma.fields.String(required=True)
    content_type = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    sha256 = ma.fields.String(required=True)
    uploaded_at = ma.fields.DateTime(required=True)


class JobProgressSchema(ma.Schema):
    phase = ma.fields.String(required=True, metadata={"description": "parse, validate, store, regrade …"})
    phase_zh = ma.fields.String(required=True)
    done = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)


class JobSchema(ma.Schema):
    """A background job (backend/platform/jobs.py): poll `url` until status is succeeded or failed."""

    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"example": "records.import_csv"})
    status = ma.fields.String(required=True, metadata={"description": "queued, running, retrying, succeeded, failed"})
    status_zh = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(required=True)
    started_at = ma.fields.DateTime(allow_none=True)
    finished_at = ma.fields.DateTime(allow_none=True)
    attempts = ma.fields.Integer(required=True)
    params = ma.fields.Dict(required=True)
    progress = ma.fields.Nested(JobProgressSchema, allow_none=True, metadata={"description": "While it runs"})
    result = ma.fields.Dict(allow_none=True, metadata={"description": "What the job answered (an import's report)"})
    error = ma.fields.Dict(allow_none=True, metadata={"description": "{code, message, details}, like an error body"})
    url = ma.fields.String(required=True)


class JobArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(("queued", "running", "retrying", "succeeded", "failed")))


class OptionalIdempotencyHeaderSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    idempotency_key = ma.fields.String(data_key="Idempotency-Key", validate=ma.validate.Regexp(r"^[!-~]{8,64}$"),
                                       metadata={"description": "8–64 visible ASCII chars: a retried upload gives "
                                                                "the same job"})


class FeedArgsSchema(ma.Schema):
    after = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=DB_INT_MAX),
                              metadata={"description": "The last cursor (item id) you have; 0 from the start"})
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=500))


class FeedItemSchema(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "Stable id and cursor, increasing"})
    kind = ma.fields.String(required=True, metadata={
        "description": "record_filed, record_withdrawn, publication_ended, publication_restored, repair_approved, "
                       "list_entry_added, list_entry_ended, commitment_changed"})
    at = ma.fields.String(required=True)
    subject_kind = ma.fields.String(required=True)
    subject = ma.fields.String(allow_none=True, metadata={"description": "Subject handle; null where not disclosed"})
    record_id = ma.fields.Integer(allow_none=True)
    list_entry_id = ma.fields.Integer(allow_none=True)
    data = ma.fields.Dict(required=True)


class FeedPageSchema(ma.Schema):
    page = ma.fields.String(required=True, metadata={
        "description": "The same page as a JWS (typ sw-changes+jwt, EdDSA, keys at /.well-known/jwks.json)"})
    after = ma.fields.Integer(required=True)
    next = ma.fields.Integer(required=True, metadata={"description": "Ask with after=next for the following page"})
    more = ma.fields.Boolean(required=True)
    latest = ma.fields.Integer(required=True, metadata={"description": "The newest cursor of this feed now"})
    items = ma.fields.List(ma.fields.Nested(FeedItemSchema), required=True)
