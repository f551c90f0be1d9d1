"""Every 403 is audited with the actor, the route rule and the code, in its own transaction, within a per-actor
budget (issue 11, item 8)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from backend.demo.wechat_fake import FakeWeChat
from backend.models import AuditEntry, CreditRecord, Operator, Subject
from backend.platform import audit
from backend.platform.db import db as _db
from backend.platform.db import use_case
from backend.platform.errors import Forbidden
from backend.platform.observability.metrics import DENIALS
from tests.credit.helpers import TAX, dept, merchant_ref, penalty
from tests.factories import bearer, operator_token, person
from tests.miniprogram_api.helpers import MpClient, market_merchant
from tests.scanning.helpers import code_for, scan_setup, verify

RECORDS = "/api/dept/v1/records"


def denials(db) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied")
                                   .order_by(AuditEntry.seq)))


def operator_id(db, token_role: str) -> int:
    return db.session.scalars(select(Operator.id).where(Operator.role == token_role).order_by(Operator.id.desc())).first()


def test_wrong_role_is_audited_with_actor_route_rule_and_code(client, db):
    token = operator_token("department")
    resp = client.get("/api/dept/v1/operators?page=1", headers=bearer(token))
    assert resp.status_code == 403
    [entry] = denials(db)
    assert entry.actor == f"operator:{operator_id(db, 'department')}"
    assert entry.details == {"method": "GET", "route": "/api/dept/v1/operators", "code": "wrong_role"}
    assert (entry.target_type, entry.target_id) == ("request", resp.headers["X-Request-ID"])
    assert audit.verify_chain().ok


def test_another_markets_merchant_is_audited_under_the_rule_not_the_path(client, db):
    _, merchant = market_merchant()
    market_merchant(slug="sanmalu", stall="B-02", name="步行街茶铺")
    handle = db.session.get(Subject, merchant.subject_id).handle
    token = operator_token("market", market_slug="sanmalu")
    resp = client.post(f"/api/dept/v1/merchants/{handle}/binding-codes", json={}, headers=bearer(token))
    assert resp.status_code == 403
    [entry] = denials(db)
    assert entry.details["code"] == "out_of_scope" and entry.details["method"] == "POST"
    assert entry.details["route"].startswith("/api/dept/v1/merchants/<") and handle not in str(entry.details)


def test_refusal_inside_a_use_case_is_kept_while_its_work_is_rolled_back(client, db):
    samr, tax = dept(), dept(TAX)
    filed = client.post(RECORDS, json=penalty(merchant_ref()), headers=samr).get_json()["record"]
    resp = client.post(f"{RECORDS}/{filed['id']}/remove", json={"reason": "越权撤销"}, headers=tax)
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "outside_department"
    [entry] = denials(db)
    assert entry.details["code"] == "outside_department"
    assert entry.details["route"] == "/api/dept/v1/records/<int:record_id>/remove"
    assert db.session.get(CreditRecord, filed["id"]).status == filed["status"] == "active"


def test_what_a_refused_request_wrote_is_rolled_back_and_the_refusal_committed(app, client, db):
    @use_case
    def insert_then_refuse():
        _db.session.add(Operator(name="half-done", role="admin", token_hash="x" * 64))
        _db.session.flush()
        raise Forbidden("refused after a write", code="test_refusal")

    app.add_url_rule("/api/test/refuse-after-write", "refuse_after_write", lambda: insert_then_refuse())
    resp = client.get("/api/test/refuse-after-write")
    assert resp.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Operator).where(Operator.name == "half-done")) == 0
    [entry] = denials(db)
    assert entry.actor == "anonymous" and entry.details["code"] == "test_refusal"


def test_devices_and_mini_program_accounts_are_named(client, db, app):
    devices = scan_setup()
    assert verify(client, devices["transit"]["token"], code_for(person()), scenario="lodging").status_code == 403
    with FakeWeChat() as fake:
        app.config.update(WECHAT_APP_ID=fake.app_id, WECHAT_APP_SECRET=fake.app_secret,
                          WECHAT_API_BASE_URL=fake.base_url)
        mp = MpClient(client, fake, "o-unbound").login()
        assert mp.get("/me/code").status_code == 403
    device, account = denials(db)
    assert device.actor == f"device:{devices['transit']['id']}" and device.details["code"] == "wrong_scenario"
    assert account.actor.startswith("mp_account:") and account.details == {
        "method": "GET", "route": "/api/mp/v1/me/code", "code": "identity_required"}


def test_denials_cannot_flood_the_log(app, client, db):
    app.config["AUDIT_DENIAL_RATE_LIMIT"] = "5 per minute"
    noisy, other = bearer(operator_token("department")), bearer(operator_token("department", department=TAX))
    before = DENIALS.labels("/api/dept/v1/operators", "wrong_role", "no")._value.get()
    for _ in range(30):
        assert client.get("/api/dept/v1/operators", headers=noisy).status_code == 403
    assert client.get("/api/dept/v1/operators", headers=other).status_code == 403
    by_actor = {}
    for entry in denials(db):
        by_actor[entry.actor] = by_actor.get(entry.actor, 0) + 1
    assert sorted(by_actor.values()) == [1, 5]
    assert DENIALS.labels("/api/dept/v1/operators", "wrong_role", "no")._value.get() - before == 25
    assert audit.verify_chain().ok


def test_a_refusal_is_answered_when_the_audit_log_cannot_be_written(client, db, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database went away"))

    monkeypatch.setattr(audit, "record_denial", down)
    resp = client.get("/api/dept/v1/operators", headers=bearer(operator_token("department")))
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "wrong_role"


def test_metrics_refusal_names_the_operator(client, db):
    assert client.get("/metrics", headers=bearer(operator_token("department"))).status_code == 403
    [entry] = denials(db)
    assert entry.actor == f"operator:{operator_id(db, 'department')}"
    assert entry.details == {"method": "GET", "route": "/metrics", "code": "wrong_role"}
