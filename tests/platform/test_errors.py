"""Every API error is the JSON envelope with the right status; never an HTML traceback."""

from __future__ import annotations

import pytest

from backend.app import create_app
from backend.config import TestConfig
from tests.factories import bearer, operator_token


def assert_envelope(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"])
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.fixture
def admin(app):
    return bearer(operator_token("admin"))


def test_unknown_api_path_is_json_404(client):
    assert_envelope(client.get("/api/dept/v1/no-such-thing"), 404, "not_found")


def test_wrong_method_keeps_allow_header(client):
    resp = client.delete("/api/dept/v1/operators")
    assert_envelope(resp, 405, "method_not_allowed")
    assert "GET" in resp.headers["Allow"] and "POST" in resp.headers["Allow"]


def test_bad_json_is_400(client, admin):
    resp = client.post("/api/dept/v1/operators", data='{"name": "x",', headers=admin,
                       content_type="application/json")
    assert_envelope(resp, 400, "bad_request")


def test_wrong_content_type_is_415(client, admin):
    resp = client.post("/api/dept/v1/operators", data="name=x&role=admin", headers=admin,
                       content_type="application/x-www-form-urlencoded")
    err = assert_envelope(resp, 415, "unsupported_media_type")
    assert "application/json" in err["message"]


def test_oversized_body_is_413(client, admin):
    resp = client.post("/api/dept/v1/operators", data="[" + "1," * 200_000 + "1]", headers=admin,
                       content_type="application/json")
    assert_envelope(resp, 413, "payload_too_large")


def test_validation_errors_name_the_field(client, admin):
    resp = client.post("/api/dept/v1/operators", json={"name": "", "role": "emperor"}, headers=admin)
    err = assert_envelope(resp, 422, "validation_failed")
    assert set(err["details"]["json"]) == {"name", "role"}


def test_json_array_instead_of_object_is_422(client, admin):
    assert_envelope(client.post("/api/dept/v1/operators", json=[1, 2], headers=admin), 422)


def test_missing_token_is_401_with_challenge(client):
    resp = client.get("/api/dept/v1/operators")
    assert_envelope(resp, 401, "unauthorized")
    assert resp.headers["WWW-Authenticate"] == "Bearer"


def test_unexpected_exception_is_json_500_without_traceback(app, client):
    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internals")

    err = assert_envelope(client.get("/api/boom"), 500, "internal_error")
    assert "secret internals" not in err["message"] and "Traceback" not in str(err)


def test_database_down_is_503_and_healthz_says_so():
    # Port 1 on loopback refuses at once: the app must answer, not hang or show a traceback.
    down = create_app(type("DownConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
    }))
    client = down.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unreachable"
    resp = client.get("/api/dept/v1/operators", headers=bearer("op_whatever"))
    assert_envelope(resp, 503, "database_unavailable")
    assert resp.headers["Retry-After"] == "5"


def test_request_id_is_echoed_or_assigned(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abcdef123456"}).headers["X-Request-ID"] == "abcdef123456"
    assert len(client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]) == 32
