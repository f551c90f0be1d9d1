"""Loan applications and report-back (exactly once per Idempotency-Key), seen by the subject; organisations at
the service window; monthly statistics per bank for the credit office, with no subject in them."""

from __future__ import annotations

import pytest

from backend.models import LoanApplication
from backend.platform.extensions import db
from tests.banks.helpers import admin_headers, authorise, idem, new_bank, profile
from tests.credit.helpers import SAMR, dept, record
from tests.factories import bearer, operator_token, resident_id, uscc_code

APPROVED = {"outcome": "approved", "amount_yuan": 300000, "term_months": 12, "rate_band": "lpr_to_100bp"}


@pytest.fixture
def setting(client, mp):
    admin = admin_headers()
    bank, headers = new_bank(client, admin)
    assert mp.bind(resident_id(4401)).status_code == 200
    return admin, bank, headers, authorise(mp, bank["id"])


def apply(client, headers, handle, key=None, **body):
    return client.post(f"/api/bank/v1/authorisations/{handle}/applications", headers=idem(headers, key),
                       json={"reference": "SWNS-2026-0001", "product": "信易贷·商户贷", "amount_requested_yuan": 300000,
                             **body})


def test_application_and_approval_are_recorded_once_and_the_subject_sees_them(client, mp, setting):
    _, bank, headers, auth = setting
    first = apply(client, headers, auth["handle"], key="apply-key-0001")
    assert first.status_code == 201, first.get_json()
    replay = apply(client, headers, auth["handle"], key="apply-key-0001")
    assert replay.status_code == 200 and replay.get_json()["id"] == first.get_json()["id"]
    other = apply(client, headers, auth["handle"], key="apply-key-0001", amount_requested_yuan=1)
    assert other.status_code == 422 and other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert apply(client, headers, auth["handle"]).status_code == 409  # the bank's reference is taken
    assert db.session.query(LoanApplication).count() == 1

    app_id = first.get_json()["id"]
    url = f"/api/bank/v1/applications/{app_id}/outcome"
    done = client.post(url, headers=idem(headers, "outcome-key-1"), json=APPROVED)
    assert done.status_code == 200 and done.get_json()["outcome"] == "approved"
    assert client.post(url, headers=idem(headers, "outcome-key-1"), json=APPROVED).status_code == 200
    changed = client.post(url, headers=idem(headers, "outcome-key-2"),
                          json={"outcome": "declined", "decline_reason": "collateral"})
    assert changed.status_code == 409 and changed.get_json()["error"]["code"] == "outcome_reported"

    seen = mp.get("/me/bank-authorisations").get_json()["items"][0]["applications"]
    assert len(seen) == 1
    assert {k: seen[0][k] for k in ("outcome", "amount_yuan", "term_months", "rate_band", "rate_band_zh")} == {
        **APPROVED, "rate_band_zh": "LPR至LPR加100基点"}


def test_a_declined_outcome_carries_a_reason_category(client, mp, setting):
    _, _, headers, auth = setting
    app_id = apply(client, headers, auth["handle"]).get_json()["id"]
    url = f"/api/bank/v1/applications/{app_id}/outcome"
    half = client.post(url, headers=idem(headers), json={"outcome": "approved", "amount_yuan": 5})
    assert half.status_code == 422 and set(half.get_json()["error"]["details"]["json"]) == {"term_months", "rate_band"}
    assert client.post(url, headers=idem(headers), json={"outcome": "declined"}).status_code == 422
    assert client.post(url, headers=idem(headers), json={"outcome": "declined", "decline_reason": "credit_record"}
                       ).status_code == 200
    seen = mp.get("/me/bank-authorisations").get_json()["items"][0]["applications"][0]
    assert seen["outcome"] == "declined" and seen["decline_reason_zh"] == "信用记录不符合要求"
    assert seen["amount_yuan"] is None


def test_writes_need_an_idempotency_key_and_a_live_authorisation(client, mp, setting):
    admin, _, headers, auth = setting
    no_key = client.post(f"/api/bank/v1/authorisations/{auth['handle']}/applications", headers=headers,
                         json={"reference": "X-1"})
    assert no_key.status_code == 422
    mp.post(f"/me/bank-authorisations/{auth['handle']}/revoke")
    assert apply(client, headers, auth["handle"]).status_code == 403
    _, other = new_bank(client, admin, "另一家银行")
    assert apply(client, other, auth["handle"]).get_json()["error"]["code"] == "no_authorisation"


def test_another_banks_application_is_not_found(client, setting):
    admin, _, headers, auth = setting
    app_id = apply(client, headers, auth["handle"]).get_json()["id"]
    _, other = new_bank(client, admin, "另一家银行")
    assert client.get(f"/api/bank/v1/applications/{app_id}", headers=other).status_code == 404
    assert client.post(f"/api/bank/v1/applications/{app_id}/outcome", headers=idem(other),
                       json=APPROVED).status_code == 404
    assert client.get(f"/api/bank/v1/applications/{app_id}", headers=headers).get_json()["authorisation_handle"] \
        == auth["handle"]


def test_an_organisation_authorises_at_the_service_window(client):
    bank, headers = new_bank(client, admin_headers())
    code = uscc_code()
    assert client.post("/api/dept/v1/records", headers=dept(SAMR), json=record(
        {"uscc": code}, "honour", subject_name="汕尾市某协会")).status_code == 201
    window = bearer(operator_token("window", department="汕尾市政务服务中心"))
    body = {"bank_id": bank["id"], "uscc": code, "document_ref": "授权书-2026-001", "agent_name": "李经办"}
    personal = client.post("/api/dept/v1/bank-authorisations", headers=window,
                           json={**body, "scopes": ["personal_data"]})
    assert personal.status_code == 422
    resp = client.post("/api/dept/v1/bank-authorisations", headers=window, json=body)
    assert resp.status_code == 201, resp.get_json()
    auth = resp.get_json()
    assert auth["channel"] == "window" and "李经办" in auth["consent_text"]
    assert profile(client, headers, auth["handle"]).get_json()["profile"]["subject"]["uscc"] == code
    listed = client.get("/api/dept/v1/bank-authorisations", headers=window, query_string={"uscc": code}).get_json()
    assert listed["items"][0]["fetches"][0]["bank_name"] == bank["name"]
    assert client.post(f"/api/dept/v1/bank-authorisations/{auth['handle']}/revoke", headers=window).status_code == 200
    assert profile(client, headers, auth["handle"]).status_code == 403


def test_monthly_statistics_per_bank_have_no_subject_data(client, mp, other_mp, clock):
    admin = admin_headers()
    bank, headers = new_bank(client, admin)
    other_bank, _ = new_bank(client, admin, "另一家银行")
    handles = []
    for n, user in enumerate((mp, other_mp)):
        assert user.bind(resident_id(4500 + n)).status_code == 200
        handles.append(authorise(user, bank["id"])["handle"])
    for n, handle in enumerate(handles):
        profile(client, headers, handle)
        app_id = apply(client, headers, handle, reference=f"R-{n}").get_json()["id"]
        outcome = APPROVED if n == 0 else {"outcome": "declined", "decline_reason": "collateral"}
        client.post(f"/api/bank/v1/applications/{app_id}/outcome", headers=idem(headers), json=outcome)
    other_mp.post(f"/me/bank-authorisations/{handles[1]}/revoke")
    from backend.platform.clock import china_today

    month = china_today().strftime("%Y-%m")
    resp = client.get("/api/dept/v1/bank-statistics", headers=admin, query_string={"month": month})
    assert resp.status_code == 200, resp.get_json()
    rows = {r["bank_id"]: r for r in resp.get_json()["banks"]}
    assert rows[bank["id"]] == {"bank_id": bank["id"], "bank_name": bank["name"], "authorisations_granted": 2,
                                "authorisations_revoked": 1, "profile_fetches": 2, "applications_received": 2,
                                "approved": 1, "declined": 1, "approved_amount_yuan": 300000}
    assert rows[other_bank["id"]]["profile_fetches"] == 0
    text = resp.get_data(as_text=True)
    assert not any(h in text for h in handles) and "subject" not in text
    assert client.get("/api/dept/v1/bank-statistics", headers=headers, query_string={"month": month}
                      ).status_code == 403
    assert client.get("/api/dept/v1/bank-statistics", headers=admin, query_string={"month": "2026-13"}
                      ).status_code == 422
