"""Operators (token shown once, hashed, revocable, role-checked) and the hash-chained audit log."""

from __future__ import annotations

from sqlalchemy import select, text

from backend.models import AuditEntry, Operator
from backend.platform.crypto import credential_hash
from tests.factories import bearer, operator_token


def test_create_operator_cli_prints_token_once_and_stores_hash(runner, app, db):
    result = runner.invoke(args=["create-operator", "--name", "海关窗口", "--role", "department",
                                 "--department", "汕尾海关"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("op_")
    row = db.session.execute(select(Operator)).scalar_one()
    assert row.token_hash == credential_hash(token) and token not in row.token_hash
    assert row.department == "汕尾海关"


def test_create_operator_cli_rejects_missing_scope(runner):
    result = runner.invoke(args=["create-operator", "--name", "x", "--role", "market", "--market", "nowhere"])
    assert result.exit_code == 1 and "没有标识为 'nowhere' 的市场" in result.output


def test_api_create_list_and_revoke(client, app):
    admin = bearer(operator_token("admin"))
    created = client.post("/api/dept/v1/operators", headers=admin,
                          json={"name": "税务局", "role": "department", "department": "国家税务总局汕尾市税务局"})
    assert created.status_code == 201
    body = created.get_json()
    new_token, new_id = body["token"], body["operator"]["id"]

    listing = client.get("/api/dept/v1/operators?per_page=1&page=2", headers=admin).get_json()
    assert listing["meta"] == {"page": 2, "per_page": 1, "total": 2}
    assert "token" not in listing["items"][0]

    # A department operator is not an admin.
    assert client.get("/api/dept/v1/operators", headers=bearer(new_token)).status_code == 403
    assert client.post(f"/api/dept/v1/operators/{new_id}/revoke", headers=admin).status_code == 200
    assert client.get("/api/dept/v1/operators", headers=bearer(new_token)).status_code == 401
    again = client.post(f"/api/dept/v1/operators/{new_id}/revoke", headers=admin)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_revoked"


def test_every_operator_write_is_audited(client, app, db):
    admin = bearer(operator_token("admin"))
    client.post("/api/dept/v1/operators", headers=admin, json={"name": "a", "role": "admin"})
    actions = db.session.execute(select(AuditEntry.action, AuditEntry.actor).order_by(AuditEntry.seq)).all()
    assert [a for a, _ in actions] == ["operator.create", "operator.create"]
    assert actions[1].actor == "operator:1"


def _three_entries(app) -> None:
    for role in ("admin", "department", "admin"):
        operator_token(role)


def test_verify_audit_log_passes_on_intact_chain(runner, app, client):
    _three_entries(app)
    assert "intact: 3 entries" in runner.invoke(args=["verify-audit-log"]).output
    admin = bearer(operator_token("admin"))
    assert client.get("/api/dept/v1/audit-log/verify", headers=admin).get_json() == {
        "ok": True, "checked": 4, "problem": None, "seq": None, "checkpoints": 0, "signed_seq": None, "signed_at": None}


def test_verify_audit_log_detects_changed_row(runner, app, db):
    _three_entries(app)
    db.session.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2"))
    db.session.commit()
    result = runner.invoke(args=["verify-audit-log"])
    assert result.exit_code == 1 and "entry 2 was altered" in result.output


def test_verify_audit_log_detects_deleted_row(runner, app, db):
    _three_entries(app)
    db.session.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    db.session.commit()
    result = runner.invoke(args=["verify-audit-log"])
    assert result.exit_code == 1 and "entry 2 is missing" in result.output


def test_verify_audit_log_detects_truncated_tail(runner, app, db):
    _three_entries(app)
    db.session.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    db.session.commit()
    result = runner.invoke(args=["verify-audit-log"])
    assert result.exit_code == 1 and "removed" in result.output
