"""Contract fuzzing: Schemathesis against /openapi.json, every operation, with valid credentials per role.

Checks: no 5xx, status codes and bodies match the documented responses, every 4xx is the
JSON error envelope. Bounded and deterministic (FUZZ_EXAMPLES examples per operation and mode).
"""

from __future__ import annotations

import os
import re
import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backend.app import create_app
from backend.config import TestConfig
from tests.hardening.helpers import credential_for

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))

pytestmark = [pytest.mark.fuzz, pytest.mark.timeout(600)]


def fuzz_config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none",
                       "mode": "all",
                       # auth is ours to set per role; unknown query parameters are ignored by design
                       "with-security-parameters": False, "allow-extra-parameters": False},
    })


def load_schema():
    """The app's own /openapi.json (built without a database; the pytest lazy loader fails on pytest 9)."""
    spec = create_app(TestConfig).test_client().get("/openapi.json").get_json()
    return schemathesis.openapi.from_dict(spec, config=fuzz_config())


def in_shard(shard: str | None):
    """FUZZ_SHARD=i/n keeps the operations whose (method, path) hash to i of n: tests/fuzz_shards.py runs the n
    shards as n processes at once (xdist cannot spread these items: they share one node id)."""
    if not shard:
        return None
    i, n = (int(x) for x in shard.split("/"))
    return lambda ctx: zlib.crc32(f"{ctx.operation.method.upper()} {ctx.operation.path}".encode()) % n == i


schema = load_schema()
if (keep := in_shard(os.environ.get("FUZZ_SHARD"))) is not None:
    schema = schema.include(keep)


def error_envelope(ctx, response, case):
    """Every 4xx on an API path is {"error": {"code", "message", "details"}}."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and set(body) == {"error"}, body
        assert set(body["error"]) == {"code", "message", "details"}, body
        assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str), body
        if response.status_code == 405:
            assert {k.lower() for k in response.headers} >= {"allow"}, "405 without Allow"
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection, error_envelope]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation(case, app, world):
    token = credential_for(app, world, case.path, _endpoint(app, case))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    case.call_and_validate(headers=headers, checks=CHECKS, app=app)


def _endpoint(app, case) -> str:
    """The Flask endpoint serving this operation's path template."""
    path = re.sub(r"\{[^}]+\}", "1", case.path)
    endpoint, _ = app.url_map.bind("localhost").match(path, method=case.operation.method.upper())
    return endpoint
