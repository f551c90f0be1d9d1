"""Banks as a party: registered by an admin, operators with the `bank` role; bank tokens only on /api/bank/v1,
and nothing but bank tokens there; a budget per bank; a bank cannot list or search subjects."""

from __future__ import annotations

import re

from backend.models import AuditEntry, BankAuthorisation, MpSession
from backend.platform.crypto import credential_hash
from backend.platform.extensions import db
from tests.banks.helpers import admin_headers, authorise, bank_uscc, new_bank, profile
from tests.factories import bearer, operator_token, resident_id
from tests.hardening.helpers import api_routes
from tests.scanning.helpers import scan_setup


def concrete(rule: str) -> str:
    return re.sub(r"<[^>]+>", "1", rule)


def call(client, method: str, path: str, headers: dict):
    return client.open(path, method=method, headers={**headers, "Idempotency-Key": "access-key-0001"})


def test_a_bank_token_is_refused_on_every_operator_scanner_and_mini_program_path(app, client):
    _, bank = new_bank(client, admin_headers())
    scan_setup()
    checked = 0
    for method, rule, _endpoint in api_routes(app):
        if not rule.startswith(("/api/dept/v1/", "/api/scan/v1/", "/api/mp/v1/me")):
            continue
        resp = call(client, method, concrete(rule), bank)
        expected = 403 if rule.startswith("/api/dept/") else 401  # an operator, but no device and no session
        assert resp.status_code == expected, (method, rule, resp.status_code, resp.get_json())
        if expected == 403:
            assert resp.get_json()["error"]["code"] == "wrong_role"
        checked += 1
    assert checked > 40


def test_operator_scanner_and_mini_program_tokens_are_refused_on_every_bank_path(app, client, mp):
    devices = scan_setup()
    operators = {role: bearer(operator_token(role, **scope)) for role, scope in (
        ("admin", {}), ("department", {}), ("window", {"department": "汕尾市政务服务中心"}))}
    others = [*operators.values(), bearer(devices["transit"]["token"]), bearer(mp.token)]
    routes = [(m, r) for m, r, _ in api_routes(app) if r.startswith("/api/bank/v1/")]
    assert len(routes) >= 5
    for method, rule in routes:
        for headers in others:
            resp = call(client, method, concrete(rule), headers)
            assert resp.status_code in (401, 403), (method, rule, resp.status_code)
            assert resp.status_code == 401 or resp.get_json()["error"]["code"] == "wrong_role"


def test_admin_registers_a_bank_with_a_valid_uscc_once(client):
    admin = admin_headers()
    bad = client.post("/api/dept/v1/banks", headers=admin,
                      json={"name": "某银行", "uscc": "91441500MA5B000001", "licence_no": "B0001H244150001"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_uscc"
    body = {"name": "汕尾农商银行", "uscc": bank_uscc(777), "licence_no": "B1234H244150001"}
    assert client.post("/api/dept/v1/banks", headers=admin, json=body).status_code == 201
    again = client.post("/api/dept/v1/banks", headers=admin, json={**body, "licence_no": "OTHER-123"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "bank_exists"
    assert client.post("/api/dept/v1/banks", headers=bearer(operator_token("department")), json=body).status_code == 403
    listed = client.get("/api/dept/v1/banks", headers=admin).get_json()
    assert listed["meta"]["total"] == 1 and listed["items"][0]["uscc"] == body["uscc"]
    # A bank operator is made under its bank, never as a scope-less operator.
    plain = client.post("/api/dept/v1/operators", headers=admin, json={"name": "某行", "role": "bank"})
    assert plain.status_code == 422


def test_a_bank_operator_acts_for_its_bank_and_is_revoked_like_any_operator(client):
    admin = admin_headers()
    bank, headers = new_bank(client, admin)
    me = client.get("/api/bank/v1/me", headers=headers).get_json()
    assert me["bank"] == {"id": bank["id"], "name": bank["name"]}
    assert client.post(f"/api/dept/v1/operators/{me['operator_id']}/revoke", headers=admin).status_code == 200
    assert client.get("/api/bank/v1/me", headers=headers).status_code == 401


def test_a_suspended_bank_is_refused_at_once(client, mp):
    admin = admin_headers()
    bank, headers = new_bank(client, admin)
    assert mp.bind(resident_id(4201)).status_code == 200
    auth = authorise(mp, bank["id"])
    assert client.put(f"/api/dept/v1/banks/{bank['id']}/active", headers=admin, json={"active": False}).status_code == 200
    refused = profile(client, headers, auth["handle"])
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "bank_inactive"
    assert mp.post("/me/bank-authorisations", json={"bank_id": bank["id"]}).status_code == 404
    assert mp.get("/banks").get_json()["meta"]["total"] == 0
    client.put(f"/api/dept/v1/banks/{bank['id']}/active", headers=admin, json={"active": True})
    assert profile(client, headers, auth["handle"]).status_code == 200


def test_bank_calls_are_limited_per_bank_not_per_operator(app, client):
    app.config["BANK_RATE_LIMIT"] = "3 per minute"
    admin = admin_headers()
    bank, first = new_bank(client, admin)
    second = bearer(client.post(f"/api/dept/v1/banks/{bank['id']}/operators", headers=admin,
                                json={"name": "第二位"}).get_json()["token"])
    _, other_bank = new_bank(client, admin, "另一家银行")
    assert [client.get("/api/bank/v1/me", headers=h).status_code for h in (first, second, first)] == [200] * 3
    limited = client.get("/api/bank/v1/me", headers=second)
    assert limited.status_code == 429 and limited.get_json()["error"]["code"] == "rate_limited"
    assert "贵行" in limited.get_json()["error"]["message"] and limited.headers["Retry-After"]
    assert client.get("/api/bank/v1/me", headers=other_bank).status_code == 200


def test_a_bank_cannot_list_or_search_subjects(app, client):
    rules = [r for _, r, _ in api_routes(app) if r.startswith("/api/bank/v1/")]
    # Every path that reaches a subject goes through an authorisation handle; nothing lists or searches.
    assert all("/authorisations/<authorisation>/" in r or r.startswith(("/api/bank/v1/applications/<", "/api/bank/v1/me"))
               for r in rules), rules
    _, headers = new_bank(client, admin_headers())
    for path in ("/api/bank/v1/subjects", "/api/bank/v1/authorisations", "/api/bank/v1/applications"):
        assert client.get(path, headers=headers).status_code in (404, 405)


def test_authorisation_changes_are_audited(client, mp):
    bank, _ = new_bank(client, admin_headers())
    assert mp.bind(resident_id(4301)).status_code == 200
    auth = authorise(mp, bank["id"])
    mp.post(f"/me/bank-authorisations/{auth['handle']}/revoke")
    entries = db.session.query(AuditEntry).filter(AuditEntry.action.like("bank_authorisation.%")).all()
    assert [e.action for e in entries] == ["bank_authorisation.grant", "bank_authorisation.revoke"]
    assert all(e.actor.startswith("mp_account:") for e in entries)
    # The consent evidence: who (the account), when, through which session, and the words agreed to.
    stored = db.session.query(BankAuthorisation).one()
    session = db.session.query(MpSession).filter_by(token_hash=credential_hash(mp.token)).one()
    assert (stored.account_id, stored.session_id, stored.channel) == (session.account_id, session.id, "mini_program")
    assert stored.granted_by == f"mp_account:{session.account_id}" and stored.granted_at is not None
    assert stored.consent_text == auth["consent_text"] and "可随时撤销" in stored.consent_text
