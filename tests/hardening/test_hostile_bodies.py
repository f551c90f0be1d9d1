"""Hostile bodies against every JSON write endpoint: each a clear 4xx in the envelope, nothing stored."""

from __future__ import annotations

import re

import pytest

from tests.hardening.helpers import api_routes, credential_for, row_counts

HOSTILE_BODIES = {
    "oversized": b'{"name": "' + b"a" * (300 * 1024) + b'"}',
    "deep_nesting": b"[" * 10000 + b"]" * 10000,
    "deep_objects": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    "invalid_utf8": b'{"name": "\xff\xfe\xfa", "code": "\xc3\x28"}',
    "raw_nul": b'{"name": "a\x00b"}',
    "escaped_nul": b'{"name": "a\\u0000b", "code": "x\\u0000", "title": "\\u0000"}',
    "truncated": b'{"name": ',
    "top_level_array": b"[]",
    "top_level_string": b'"<script>alert(1)</script>"',
    "top_level_number": b"1e999999",
    "null": b"null",
    "operator_object": b'{"name": {"$gt": ""}, "id": {"__class__": 1}, "code": [1, 2], "incentive": true}',
    "lone_surrogate": b'{"name": "\\ud800", "code": "\\udfff"}',
}


def body_routes(app):
    """(method, concrete path, endpoint) for every /api/ write that documents a JSON request body."""
    spec = app.test_client().get("/openapi.json").get_json()
    out = []
    for method, rule, endpoint in api_routes(app):
        template = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)
        operation = spec["paths"].get(template, {}).get(method.lower(), {})
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            out.append((method, rule, endpoint))
    assert len(out) >= 20, out
    return out


def concrete(rule: str, world) -> str:
    path = re.sub(r"<int:[^>]+>", "1", rule)
    return re.sub(r"<[^>]+>", world.merchants[0]["handle"], path)


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_every_json_write_refuses_hostile_bodies(app, client, world, name):
    body = HOSTILE_BODIES[name]
    failures = []
    for method, rule, endpoint in body_routes(app):
        path = concrete(rule, world)
        token = credential_for(app, world, path, endpoint)
        headers = {"Content-Type": "application/json", "Idempotency-Key": f"hostile-{name}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        before = row_counts()
        resp = client.open(path, method=method, data=body, headers=headers)
        problem = check_refused(resp, before)
        if problem:
            failures.append(f"{method} {path}: {resp.status_code} {problem}")
    assert not failures, "\n".join(failures)


def check_refused(resp, before) -> str | None:
    if not 400 <= resp.status_code < 500:
        return f"not a 4xx: {resp.get_data(as_text=True)[:200]}"
    body = resp.get_json(silent=True)
    if not (isinstance(body, dict) and set(body.get("error", {})) == {"code", "message", "details"}):
        return f"not the envelope: {resp.get_data(as_text=True)[:200]}"
    if b"<script>" in resp.get_data():
        return "echoed markup"
    after = row_counts()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    return f"stored rows: {changed}" if changed else None
