"""Structured logs: one JSON line per request with the route rule, and no personal data anywhere."""

from __future__ import annotations

import json
import logging

from backend.platform.observability.logs import redact
from tests.credit.helpers import dept, person_ref, record
from tests.factories import bearer, person, resident_id
from tests.miniprogram_api.helpers import MpClient
from tests.scanning.helpers import code_for, redeem, scan_setup, verify


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_each_request_logs_one_json_line_with_the_route_rule(client, log_output):
    resp = client.get("/m/Zq8Xw3Lk?from=sticker", headers={"X-Request-ID": "abcdef1234567890"})
    requests = [e for e in lines(log_output()) if e["logger"] == "credit.requests"]
    assert len(requests) == 1
    entry = requests[0]
    assert entry["method"] == "GET" and entry["status"] == resp.status_code
    assert entry["route"] == "/m/<ref>" and "Zq8Xw3Lk" not in log_output() and "sticker" not in log_output()
    assert entry["request_id"] == "abcdef1234567890" and entry["pid"] > 0 and entry["duration_ms"] >= 0


def test_requests_carrying_personal_data_leave_none_of_it_in_the_logs(client, wechat, log_output, app):
    """Login, binding an id, 一键查询 by resident id, a verify and a redemption with a code."""
    mp = MpClient(client, wechat, "o-observability-7").login()
    rid, name = resident_id(), "欧阳观测"
    assert mp.bind(rid, name).status_code in (200, 201)
    code = mp.get("/me/code").get_json()["code"]
    h = dept()
    other = person_ref()
    assert client.post("/api/dept/v1/records", json=record(other, "honour"), headers=h).status_code == 201
    query = client.get("/api/dept/v1/joint-measures", headers=h, query_string={**other, "purpose": "核查"})
    assert query.status_code == 200
    devices = scan_setup()
    scanned = verify(client, devices["transit"]["token"], code)
    assert scanned.status_code == 200
    redeem(client, devices["transit"]["token"], code_for(person()), "bus-discount", key="obs-key-000001")
    client.get("/api/dept/v1/joint-measures", headers=bearer("op_not-a-real-token-at-all-0123456789"),
               query_string={"resident_id": rid, "purpose": "核查"})
    # A careless line: the filter catches ids, tokens and codes (names have no pattern: never log them).
    app.logger.error("careless: bound %s with token %s and code %s", rid, mp.token, code)

    text = log_output()
    entries = lines(text)  # every line parses as JSON
    assert sum(e["logger"] == "credit.requests" for e in entries) >= 8
    secrets = [rid, other["resident_id"], name, mp.token, code, "o-observability-7",
               devices["transit"]["token"], "op_not-a-real-token"]
    for secret in secrets:
        assert secret not in text, secret
    assert "核查" not in text and "purpose=" not in text  # no query strings
    assert any(e["msg"].startswith("careless: bound [redacted]") for e in entries)


def test_redact_covers_ids_tokens_bearer_values_jws_and_keyed_secrets():
    rid = resident_id()
    jws = "eyJhbGciOiJFZERTQSIsImtpZCI6ImFiY2QxMjM0In0.eyJzdWIiOiJhYmNkZWZnaCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU"
    text = (f"身份证{rid}号 op_{'a' * 43} dev_{'b' * 43} mp_{'c' * 43} Authorization: Bearer xyz.abc "
            f"code={jws} openid=oAbCdEf123 session_key: 'k3y' id {rid[:-1]}x")
    out = redact(text)
    for leaked in (rid, "a" * 43, "b" * 43, "c" * 43, "xyz.abc", jws, "oAbCdEf123", "k3y", rid[:-1] + "x"):
        assert leaked not in out, leaked
    assert out.startswith("身份证[redacted]号")
    wechat = redact("GET /sns/jscode2session?appid=wx1&secret=s3cr3t&js_code=0a1B2c&grant_type=x access_token=T0k")
    assert "s3cr3t" not in wechat and "0a1B2c" not in wechat and "T0k" not in wechat and "appid=wx1" in wechat
    assert redact("GET /api/mp/v1/me/code 200 3.1ms") == "GET /api/mp/v1/me/code 200 3.1ms"


def test_exceptions_are_redacted_too(log_output):
    rid = resident_id()
    try:
        raise ValueError(f"bad id {rid}")
    except ValueError:
        logging.getLogger("backend.test").exception("failed")
    (entry,) = [e for e in lines(log_output()) if e["logger"] == "backend.test"]
    assert "ValueError: bad id [redacted]" in entry["exc"] and rid not in log_output()


def test_text_format_for_development(client):
    import io

    from backend.platform.observability.logs import install_logging

    buffer = io.StringIO()
    handler = install_logging("text", stream=buffer)
    try:
        client.get("/healthz")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "credit.requests: GET /healthz 200" in buffer.getvalue()


def test_a_database_error_is_logged_without_the_values_of_its_statement(app, client, log_output):
    """A statement the database refuses inside a request (as the inspection NOT NULL bug did): the 500's log
    line names the SQL but neither its parameters (hide_parameters) nor PostgreSQL's DETAIL row."""
    from sqlalchemy import text

    from backend.platform.extensions import db

    secret = "张小三 违规占道经营 汕市监罚〔2026〕88号"

    def failing_write():
        db.session.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (:id, :seq, :hash)"),
                           {"id": 1, "seq": None, "hash": secret})
        return {}

    app.add_url_rule("/api/dept/v1/test-database-error", view_func=failing_write, methods=["POST"])
    resp = client.post("/api/dept/v1/test-database-error")
    assert resp.status_code == 500 and resp.get_json()["error"]["code"] == "internal_error"
    (entry,) = [e for e in lines(log_output()) if e["level"] == "error" and "exc" in e]
    assert "IntegrityError" in entry["exc"] and "INSERT INTO audit_head" in entry["exc"]
    assert "[SQL parameters hidden due to hide_parameters=True]" in entry["exc"]
    assert secret not in log_output() and "张小三" not in log_output()
    if db.engine.dialect.name == "postgresql":
        assert "DETAIL:[redacted]" in entry["exc"]


def test_postgresql_detail_lines_are_redacted():
    text = ('null value in column "seq" violates not-null constraint\nDETAIL:  Failing row contains (1, null, 张小三).\n'
            '[SQL: INSERT INTO audit_head]\nDETAIL:  Key (uscc)=(92441502MA4T00012X) already exists.')
    out = redact(text)
    assert "张小三" not in out and "92441502MA4T00012X" not in out and out.count("DETAIL:[redacted]") == 2
    assert "violates not-null constraint" in out and "[SQL: INSERT INTO audit_head]" in out
