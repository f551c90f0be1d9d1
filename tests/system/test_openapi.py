"""GET /openapi.json is a valid OpenAPI 3 document covering every JSON endpoint."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

HTML_OR_INTERNAL = ("/static/", "/openapi.json")


def test_spec_is_valid_openapi_3(client):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_route_is_documented_with_its_methods(app, client):
    spec = client.get("/openapi.json").get_json()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(HTML_OR_INTERNAL) or not rule.rule.startswith(("/api/", "/.well-known/", "/healthz")):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        assert path in spec["paths"], f"{rule.rule} missing from the spec"
        documented = {m.upper() for m in spec["paths"][path]}
        assert rule.methods - {"HEAD", "OPTIONS"} <= documented, rule.rule


def test_errors_are_documented_with_the_envelope(client):
    spec = client.get("/openapi.json").get_json()
    error = spec["components"]["schemas"]["ErrorEnvelope"]
    assert error["required"] == ["error"]
    assert "operatorToken" in spec["components"]["securitySchemes"]


def test_request_bodies_name_the_types_the_views_accept(client):
    """Form bodies are multipart (wx.uploadFile, HTML forms with files): the views answer 415 to
    application/x-www-form-urlencoded, so the spec must not offer it (the mini-program's drift check reads it)."""
    spec = client.get("/openapi.json").get_json()
    offered = {(method, path): set(op["requestBody"]["content"]) for path, ops in spec["paths"].items()
               for method, op in ops.items() if isinstance(op, dict) and "requestBody" in op}
    assert {key for key, types in offered.items() if "application/x-www-form-urlencoded" in types} == set()
    assert offered[("post", "/api/mp/v1/me/repairs")] == {"multipart/form-data"}
