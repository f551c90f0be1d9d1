"""Control characters in JSON bodies: every string field of every request body refuses them with a 422.

The test walks /openapi.json: each string property of a JSON request body (nested ones included) is
sent with a control character, with the credential its route needs. Fields the schema marks
`x-name-like` (one line: names, titles, stall and document numbers, departments, reasons, notes…) must
refuse CR/LF with the shared Chinese message; `x-multiline` ones (contents, descriptions) refuse ESC.
Every other string field must be constrained some other way (enum, format or pattern).
"""

from __future__ import annotations

import re

from tests.hardening.helpers import credential_for, row_counts
from tests.hardening.test_hostile_bodies import body_routes, concrete

LINE_MESSAGE = "不能包含控制字符（换行、回车、制表符等），请只填写一行文字。"
MULTILINE_MESSAGE = "不能包含控制字符（换行、回车、制表符除外）。"
# The scanned code is an opaque signed token: anything that is not one verifies as `malformed` (200),
# which is the scanner contract; it is never shown or stored as text.
OPAQUE = {("/api/scan/", "code")}


def resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def string_fields(spec: dict, schema: dict, prefix: tuple = ()) -> list[tuple[tuple, dict]]:
    """(path into the body, property) for every string property, descending into objects and arrays."""
    found = []
    for name, prop in resolve(spec, schema).get("properties", {}).items():
        if prop.get("readOnly"):
            continue
        prop = resolve(spec, prop)
        if prop.get("type") == "string":
            found.append(((*prefix, name), prop))
        elif prop.get("type") == "array" and resolve(spec, prop.get("items", {})).get("properties"):
            found += string_fields(spec, prop["items"], (*prefix, name, 0))
        elif prop.get("properties"):
            found += string_fields(spec, prop, (*prefix, name))
    return found


def body_with(path: tuple, value: str):
    """{"a": [{"b": value}]} for the path ("a", 0, "b")."""
    body = value
    for key in reversed(path):
        body = [body] if isinstance(key, int) else {key: body}
    return body


def errors_at(details: dict, path: tuple):
    node = (details or {}).get("json", {})
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(str(key), node.get(key))
    return node


def request_fields(app):
    spec = app.test_client().get("/openapi.json").get_json()
    for method, rule, endpoint in body_routes(app):
        template = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)
        schema = spec["paths"][template][method.lower()]["requestBody"]["content"]["application/json"]["schema"]
        for path, prop in string_fields(spec, schema):
            yield method, rule, endpoint, path, prop


def test_every_string_field_of_a_request_body_is_plain_text_or_constrained(app):
    unmarked = []
    for method, rule, _, path, prop in request_fields(app):
        marked = prop.get("x-name-like") or prop.get("x-multiline")
        constrained = prop.get("enum") or prop.get("format") or prop.get("pattern")
        if not (marked or constrained) and not any(rule.startswith(p) and path[-1] == f for p, f in OPAQUE):
            unmarked.append(f"{method} {rule} {'.'.join(map(str, path))}")
    assert not unmarked, "string fields without PlainText (backend/platform/web/schemas.py):\n" + "\n".join(unmarked)


def test_a_control_character_in_any_name_like_field_is_a_422_with_a_chinese_message(app, client, world):
    failures, checked = [], 0
    for method, rule, endpoint, path, prop in request_fields(app):
        if any(rule.startswith(p) and path[-1] == f for p, f in OPAQUE):
            continue
        multiline = bool(prop.get("x-multiline"))
        value, message = ("甲\x1b[2J乙", MULTILINE_MESSAGE) if multiline else ("甲\r\n乙", LINE_MESSAGE)
        url = concrete(rule, world)
        token = credential_for(app, world, url, endpoint)
        headers = {"Idempotency-Key": "control-chars-1", **({"Authorization": f"Bearer {token}"} if token else {})}
        before = row_counts()
        resp = client.open(url, method=method, json=body_with(path, value), headers=headers)
        where = f"{method} {url} {'.'.join(map(str, path))}"
        checked += 1
        error = (resp.get_json(silent=True) or {}).get("error", {})
        field_errors = errors_at(error.get("details"), path)
        if resp.status_code != 422 or not field_errors:
            failures.append(f"{where}: {resp.status_code} {resp.get_data(as_text=True)[:200]}")
        elif (prop.get("x-name-like") or multiline) and message not in field_errors:
            failures.append(f"{where}: {field_errors}")
        elif row_counts() != before:
            failures.append(f"{where}: stored rows")
    assert checked >= 40, checked
    assert not failures, "\n".join(failures)
