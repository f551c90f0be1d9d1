"""Chinese validation messages for every marshmallow field and validator the API uses, saying what is expected.

marshmallow has no locales: its English defaults live on the field and validator classes, and a field
copies them when it is created (at import of the schema module). This module rewrites those defaults in
place and is imported first by backend.platform.web.schemas, which every schema module imports, so every
422 a person reads is Chinese (tests/platform/test_chinese_messages.py walks every error code).
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

DATE_FORMAT = "YYYY-MM-DD（例如 2026-03-01）"
FIELD_MESSAGES: dict[type, dict[str, str]] = {
    fields.Field: {"required": "缺少必填字段。", "null": "不能为 null。", "validator_failed": "取值无效。"},
    fields.String: {"invalid": "应为字符串。", "invalid_utf8": "应为有效的 UTF-8 字符串。"},
    fields.Number: {"invalid": "应为数字。", "too_large": "数值过大。"},
    fields.Integer: {"invalid": "应为整数（JSON 数字，不带引号和小数）。"},
    fields.Float: {"special": "不能是 NaN 或无穷大。"},
    fields.Decimal: {"special": "不能是 NaN 或无穷大。"},
    fields.Boolean: {"invalid": "应为 true 或 false。"},
    fields.Date: {"invalid": f"日期格式应为 {DATE_FORMAT}。", "format": f"日期格式应为 {DATE_FORMAT}。"},
    fields.DateTime: {"invalid": "时间格式应为 ISO 8601（例如 2026-03-01T08:00:00+08:00）。",
                      "invalid_awareness": "时间应带时区（例如 +08:00）。",
                      "format": "时间格式应为 ISO 8601（例如 2026-03-01T08:00:00+08:00）。"},
    fields.List: {"invalid": "应为列表（JSON 数组）。"},
    fields.Tuple: {"invalid": "应为列表（JSON 数组）。"},
    fields.Nested: {"type": "应为 JSON 对象。"},
    fields.Mapping: {"invalid": "应为 JSON 对象。"},
    fields.Url: {"invalid": "应为有效的网址（https://…）。"},
    fields.Email: {"invalid": "应为有效的电子邮件地址。"},
    fields.Enum: {"unknown": "应为以下之一：{choices}。"},
}
SCHEMA_MESSAGES = {"type": "应为 JSON 对象。", "unknown": "不认识的字段（请按接口文档填写字段名）。"}
VALIDATOR_MESSAGES: dict[type, dict[str, str]] = {
    validate.Length: {"message_min": "长度不能少于 {min}。", "message_max": "长度不能超过 {max}。",
                      "message_all": "长度应在 {min} 到 {max} 之间。", "message_equal": "长度应为 {equal}。"},
    validate.Range: {"message_min": "应{min_op} {{min}}。", "message_max": "应{max_op} {{max}}。",
                     "message_all": "应{min_op} {{min}}且{max_op} {{max}}。", "message_gte": "不小于",
                     "message_gt": "大于", "message_lte": "不大于", "message_lt": "小于"},
    validate.OneOf: {"default_message": "应为以下之一：{choices}。"},
    validate.NoneOf: {"default_message": "取值无效。"},
    validate.ContainsOnly: {"default_message": "只能包含：{choices}。"},
    validate.ContainsNoneOf: {"default_message": "不能包含：{values}。"},
    validate.Equal: {"default_message": "应等于 {other}。"},
    validate.Predicate: {"default_message": "取值无效。"},
    validate.Regexp: {"default_message": "格式不正确。"},
    validate.URL: {"default_message": "应为有效的网址。"},
    validate.Email: {"default_message": "应为有效的电子邮件地址。"},
}


def install() -> None:
    """Replace marshmallow's English defaults with the Chinese ones (idempotent)."""
    for cls, messages in FIELD_MESSAGES.items():
        cls.default_error_messages = {**cls.__dict__.get("default_error_messages", {}), **messages}
    ma.Schema._default_error_messages = {**ma.Schema._default_error_messages, **SCHEMA_MESSAGES}
    for cls, messages in VALIDATOR_MESSAGES.items():
        for name, text in messages.items():
            setattr(cls, name, text)


install()
