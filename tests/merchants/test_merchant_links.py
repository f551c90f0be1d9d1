"""A market operator cannot take over an existing credit file: an existing USCC gets a link request that the
credit office or the market's department decides; stall names never rewrite the registered name."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.merchants import registration
from backend.models import AuditEntry, Merchant, MerchantLinkRequest, Subject
from backend.platform.audit import verify_chain
from tests.credit.helpers import SAMR, admin, dept, grade_of, penalty
from tests.factories import bearer, operator_token, person, resident_id, uscc_code
from tests.merchants.helpers import handle_of, market, market_operator, merchant
from tests.scanning.helpers import scan_setup

COMPANY = "汕尾市海润食品有限公司"


def company(client) -> dict:
    """An organisation a department filed a penalty about: its credit file exists, no market has it."""
    ref = {"uscc": uscc_code()}
    resp = client.post("/api/dept/v1/records", json=penalty(ref, subject_name=COMPANY), headers=dept())
    assert resp.status_code == 201, resp.get_json()
    return ref


def file_request(client, token, uscc: str, **over):
    body = {"uscc": uscc, "name": "阿润海鲜档", "stall_no": "M088", "business_scope": "冰鲜海产", **over}
    return client.post("/api/dept/v1/merchants", json=body, headers=bearer(token))


def audit_actions(db, prefix: str = "merchant") -> list[str]:
    return list(db.session.execute(select(AuditEntry.action).where(AuditEntry.action.startswith(prefix))
                                   .order_by(AuditEntry.seq)).scalars())


def denials(db) -> list[dict]:
    rows = db.session.execute(select(AuditEntry).where(AuditEntry.action == "merchant_link.denied")
                              .order_by(AuditEntry.seq)).scalars()
    return [{"actor": e.actor, "target": e.target_id, **e.details} for e in rows]



def test_an_existing_credit_file_is_not_handed_to_the_market(client, db):
    ref = company(client)
    token = market_operator()
    resp = file_request(client, token, ref["uscc"])
    assert resp.status_code == 202, resp.get_json()
    body = resp.get_json()
    assert (body["status"], body["status_zh"], body["uscc"], body["stall_name"]) == (
        "pending", "待审核", ref["uscc"], "阿润海鲜档")
    assert body["subject"] is None and body["merchant_id"] is None and "handle" not in body and "grade" not in body
    assert COMPANY not in resp.get_data(as_text=True)
    assert resp.headers["Location"] == f"/api/dept/v1/merchant-links/{body['id']}"
    assert client.get(resp.headers["Location"], headers=bearer(token)).get_json() == body

    subject = db.session.execute(select(Subject).where(Subject.uscc == ref["uscc"])).scalar_one()
    assert subject.display_name == COMPANY
    assert db.session.scalar(select(func.count(Merchant.id))) == 0
    assert client.get("/api/dept/v1/merchants", headers=bearer(token)).get_json()["items"] == []
    assert client.get(f"/m/{subject.handle}").status_code == 404
    binding = client.post(f"/api/dept/v1/merchants/{subject.handle}/binding-codes", json={}, headers=bearer(token))
    assert binding.status_code == 404
    assert audit_actions(db) == ["merchant_link.request"] and verify_chain().ok


def test_a_retried_request_is_answered_not_duplicated(client, db):
    ref, token = company(client), market_operator()
    first = file_request(client, token, ref["uscc"])
    again = file_request(client, token, ref["uscc"], stall_no="M099", name="别的名字")
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.get_json() == first.get_json()  # the pending request, as first filed
    assert db.session.scalar(select(func.count(MerchantLinkRequest.id))) == 1
    assert audit_actions(db) == ["merchant_link.request"]


def test_a_request_a_concurrent_retry_filed_first_is_the_one_answered(client, db, monkeypatch):
    """The retry that loses the race to insert (the partial unique index refuses the second pending row)
    answers with the winner's request instead of an error."""
    ref, token = company(client), market_operator()
    first = file_request(client, token, ref["uscc"]).get_json()
    real, calls = registration.pending_request, []

    def not_yet_committed(market_id, subject_id):  # as the loser saw it before the winner committed
        calls.append(1)
        return None if len(calls) == 1 else real(market_id, subject_id)

    monkeypatch.setattr(registration, "pending_request", not_yet_committed)
    again = file_request(client, token, ref["uscc"])
    assert again.status_code == 202 and again.get_json()["id"] == first["id"] and len(calls) == 2
    assert db.session.scalar(select(func.count(MerchantLinkRequest.id))) == 1
    assert audit_actions(db) == ["merchant_link.request"]


def test_a_file_opened_by_someone_else_meanwhile_still_needs_a_link_request(client, db, monkeypatch):
    """The market looked the USCC up, found nothing, and a department filed the first record before it opened
    the file: the market must not get that file (looking up, then creating, would hand it over)."""
    ref, token = company(client), market_operator()
    real, calls = registration.organisation_by_uscc, []

    def not_there_yet(code):
        calls.append(code)
        return None if len(calls) == 1 else real(code)

    monkeypatch.setattr(registration, "organisation_by_uscc", not_there_yet)
    resp = file_request(client, token, ref["uscc"])
    assert resp.status_code == 202 and resp.get_json()["status"] == "pending"
    assert db.session.scalar(select(func.count(Merchant.id))) == 0
    assert db.session.execute(select(Subject.display_name).where(Subject.uscc == ref["uscc"])).scalar_one() == COMPANY


def test_the_markets_department_approves_and_the_merchant_keeps_the_registered_name(client, db):
    ref, token = company(client), market_operator()
    request_id = file_request(client, token, ref["uscc"]).get_json()["id"]
    approver = dept(SAMR)
    pending = client.get("/api/dept/v1/merchant-links", headers=approver).get_json()
    assert [r["id"] for r in pending["items"]] == [request_id]
    seen = pending["items"][0]
    assert seen["subject"]["registered_name"] == COMPANY and seen["market"]["department"] == SAMR

    resp = client.post(f"/api/dept/v1/merchant-links/{request_id}/approve", json={"note": "已核对营业执照"},
                       headers=approver)
    assert resp.status_code == 200, resp.get_json()
    decided = resp.get_json()
    assert decided["status"] == "approved" and decided["decision_reason"] == "已核对营业执照" and decided["decided_at"]
    merchant_id = decided["merchant_id"]
    mine = client.get(f"/api/dept/v1/merchant-links/{request_id}", headers=bearer(token)).get_json()
    assert mine["status"] == "approved" and mine["merchant_id"] == merchant_id and mine["subject"] is None

    m = client.get(f"/api/dept/v1/merchants/{merchant_id}", headers=bearer(token)).get_json()
    assert (m["name"], m["registered_name"], m["stall_name"], m["stall_no"], m["business_scope"]) == (
        COMPANY, COMPANY, "阿润海鲜档", "M088", "冰鲜海产")
    page = client.get(f"/api/public/v1/merchants/{m['handle']}").get_json()
    assert (page["name"], page["registered_name"], page["stall_name"]) == (COMPANY, COMPANY, "阿润海鲜档")
    assert grade_of(client, dept(), ref)["subject"]["display_name"] == COMPANY
    assert audit_actions(db) == ["merchant_link.request", "merchant.create", "merchant_link.approve"]
    assert client.get("/api/dept/v1/merchant-links", headers=approver).get_json()["items"] == []
    assert verify_chain().ok


def test_a_refused_request_gives_the_market_nothing_and_it_may_file_again(client, db):
    ref, token = company(client), market_operator()
    request_id = file_request(client, token, ref["uscc"]).get_json()["id"]
    resp = client.post(f"/api/dept/v1/merchant-links/{request_id}/refuse", json={"reason": "摊位经营者与该企业无关"},
                       headers=admin())
    assert resp.status_code == 200 and resp.get_json()["status"] == "refused"
    mine = client.get(f"/api/dept/v1/merchant-links/{request_id}", headers=bearer(token))
    body = mine.get_json()
    assert (body["status_zh"], body["decision_reason"], body["merchant_id"], body["subject"]) == (
        "已驳回", "摊位经营者与该企业无关", None, None)
    assert COMPANY not in mine.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Merchant.id))) == 0
    listed = client.get("/api/dept/v1/merchant-links?status=refused", headers=bearer(token)).get_json()
    assert [r["id"] for r in listed["items"]] == [request_id]
    again = file_request(client, token, ref["uscc"])
    assert again.status_code == 202 and again.get_json()["id"] != request_id
    assert audit_actions(db) == ["merchant_link.request", "merchant_link.refuse", "merchant_link.request"]


def test_who_sees_which_requests(client):
    ref, other_ref = company(client), company(client)
    magong, sanmalu = market_operator("magong"), market_operator("sanmalu")
    mine = file_request(client, magong, ref["uscc"]).get_json()["id"]
    theirs = file_request(client, sanmalu, other_ref["uscc"]).get_json()["id"]
    client.patch("/api/dept/v1/markets/sanmalu", json={"department": "汕尾市城区市场监督管理局"}, headers=admin())

    def listed(headers, query=""):
        return [r["id"] for r in client.get(f"/api/dept/v1/merchant-links{query}", headers=headers).get_json()["items"]]

    assert listed(bearer(magong)) == [mine] and listed(bearer(sanmalu)) == [theirs]
    assert listed(admin()) == [mine, theirs]
    assert listed(dept(SAMR)) == [mine] and listed(dept("汕尾市城区市场监督管理局")) == [theirs]
    assert listed(dept("国家税务总局汕尾市税务局")) == []
    assert listed(bearer(magong), "?status=approved") == []
    assert client.get(f"/api/dept/v1/merchant-links/{theirs}", headers=bearer(magong)).status_code == 404
    assert client.get(f"/api/dept/v1/merchant-links/{theirs}", headers=dept(SAMR)).status_code == 404
    scan_setup()
    partner = operator_token("partner", partner_name="汕尾市公共交通有限公司")
    assert client.get("/api/dept/v1/merchant-links", headers=bearer(partner)).status_code == 403
    assert client.get("/api/dept/v1/merchant-links").status_code == 401


@pytest.fixture
def pending(client):
    """A pending request of the magong market for an existing company, and the tokens of everyone around it."""
    ref = company(client)
    token = market_operator("magong")
    request_id = file_request(client, token, ref["uscc"]).get_json()["id"]
    scan_setup()  # the partner
    return {"id": request_id, "ref": ref, "market": token, "other_market": market_operator("sanmalu"),
            "partner": operator_token("partner", partner_name="汕尾市公共交通有限公司"),
            "other_department": operator_token("department", department="国家税务总局汕尾市税务局")}


ATTEMPTS = [
    # (who, what they send, status, code)
    ("market", "approve", 403, "not_an_approver"),  # the market approving its own request
    ("market", "refuse", 403, "not_an_approver"),
    ("other_market", "approve", 403, "not_an_approver"),
    ("partner", "approve", 403, "not_an_approver"),
    ("other_department", "approve", 403, "outside_department"),
    ("other_department", "refuse", 403, "outside_department"),
]


@pytest.mark.parametrize("who,decision,status,code", ATTEMPTS)
def test_attempts_to_decide_by_others_are_refused_and_audited(client, db, pending, who, decision, status, code):
    body = {"note": "同意"} if decision == "approve" else {"reason": "不同意"}
    resp = client.post(f"/api/dept/v1/merchant-links/{pending['id']}/{decision}", json=body,
                       headers=bearer(pending[who]))
    assert resp.status_code == status and resp.get_json()["error"]["code"] == code, resp.get_json()
    assert db.session.get(MerchantLinkRequest, pending["id"]).status == "pending"
    assert db.session.scalar(select(func.count(Merchant.id))) == 0
    (denied,) = denials(db)
    assert (denied["target"], denied["attempt"], denied["code"]) == (str(pending["id"]), decision, code)
    assert verify_chain().ok


def test_forged_approvals_are_refused(client, db, pending):
    url = f"/api/dept/v1/merchant-links/{pending['id']}/approve"
    # The market naming an approver or setting the status itself: refused before the body is even read.
    forged = client.post(url, json={"approved_by": 1, "status": "approved"}, headers=bearer(pending["market"]))
    assert forged.status_code == 403 and forged.get_json()["error"]["code"] == "not_an_approver"
    # An approver cannot smuggle fields in either.
    assert client.post(url, json={"approved_by": 1, "stall_no": "X"}, headers=admin()).status_code == 422
    assert client.post(url, json={}, headers={"Authorization": "Bearer op_forged_token_0000000000"}).status_code == 401
    missing = client.post("/api/dept/v1/merchant-links/99999/approve", json={}, headers=admin())
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "link_request_not_found"
    assert client.patch(f"/api/dept/v1/merchant-links/{pending['id']}", json={"status": "approved"},
                        headers=bearer(pending["market"])).status_code == 405
    assert db.session.get(MerchantLinkRequest, pending["id"]).status == "pending"
    assert db.session.scalar(select(func.count(Merchant.id))) == 0
    assert [(d["target"], d["code"], d["role"]) for d in denials(db)] == [
        (str(pending["id"]), "not_an_approver", "market"), ("99999", "link_request_not_found", "admin")]


def test_a_request_is_decided_once(client, db, pending):
    url = f"/api/dept/v1/merchant-links/{pending['id']}"
    assert client.post(f"{url}/approve", json={}, headers=admin()).status_code == 200
    twice = client.post(f"{url}/approve", json={}, headers=dept(SAMR))
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "link_request_decided"
    assert "已批准" in twice.get_json()["error"]["message"]
    late = client.post(f"{url}/refuse", json={"reason": "撤回"}, headers=admin())
    assert late.status_code == 409
    assert db.session.scalar(select(func.count(Merchant.id))) == 1
    assert [d["code"] for d in denials(db)] == ["link_request_decided", "link_request_decided"]


def test_a_stall_taken_meanwhile_stops_the_approval_and_leaves_it_pending(client, db, pending):
    merchant(stall_no="M088")  # the stall the request asked for
    resp = client.post(f"/api/dept/v1/merchant-links/{pending['id']}/approve", json={}, headers=admin())
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "stall_taken"
    row = db.session.get(MerchantLinkRequest, pending["id"])
    assert (row.status, row.decided_by, row.decided_at) == ("pending", None, None)
    assert [d["code"] for d in denials(db)] == ["stall_taken"]
    assert client.post(f"/api/dept/v1/merchant-links/{pending['id']}/refuse", json={"reason": "摊位已被占用"},
                       headers=admin()).status_code == 200


def test_a_subject_gets_one_stall_even_with_two_markets_asking(client, db, pending):
    second = file_request(client, pending["other_market"], pending["ref"]["uscc"], stall_no="S001").get_json()["id"]
    assert client.post(f"/api/dept/v1/merchant-links/{pending['id']}/approve", json={}, headers=admin()).status_code \
        == 200
    resp = client.post(f"/api/dept/v1/merchant-links/{second}/approve", json={}, headers=admin())
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "merchant_exists"
    again = file_request(client, pending["other_market"], pending["ref"]["uscc"], stall_no="S002")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "merchant_exists"


def test_a_persons_file_cannot_be_linked(client, db, pending):
    resident = person("张小三")
    by_id = file_request(client, pending["market"], resident_id())
    assert by_id.status_code == 422 and by_id.get_json()["error"]["code"] == "invalid_uscc"
    # A request row altered to point at a person's file (as someone with database access might): refused.
    db.session.get(MerchantLinkRequest, pending["id"]).subject_id = resident.id
    db.session.commit()
    resp = client.post(f"/api/dept/v1/merchant-links/{pending['id']}/approve", json={}, headers=admin())
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "not_linkable"
    assert db.session.scalar(select(func.count(Merchant.id))) == 0
    assert [d["code"] for d in denials(db)] == ["not_linkable"]


def test_a_new_uscc_is_still_registered_at_once(client, db):
    token = market_operator()
    resp = file_request(client, token, uscc_code(), name="黄记冰鲜行", stall_name="黄记")
    assert resp.status_code == 201
    m = resp.get_json()
    assert (m["registered_name"], m["stall_name"]) == ("黄记冰鲜行", "黄记")
    assert db.session.scalar(select(func.count(MerchantLinkRequest.id))) == 0


def test_a_market_cannot_rename_the_registered_subject(client, db):
    token = market_operator()
    m = file_request(client, token, uscc_code(), name="黄记冰鲜行").get_json()
    renamed = client.patch(f"/api/dept/v1/merchants/{m['id']}", json={"name": "汕尾市城区人民法院"}, headers=bearer(token))
    assert renamed.status_code == 422
    assert renamed.get_json()["error"]["code"] == "registered_name_read_only"
    assert "stall_name" in renamed.get_json()["error"]["message"]
    resp = client.patch(f"/api/dept/v1/merchants/{m['id']}", json={"stall_name": "黄记·冰鲜"}, headers=bearer(token))
    assert resp.status_code == 200 and resp.get_json()["stall_name"] == "黄记·冰鲜"
    subject = db.session.execute(select(Subject).where(Subject.handle == m["handle"])).scalar_one()
    assert subject.display_name == "黄记冰鲜行"


def test_the_public_page_shows_the_registered_name_beside_the_stall_name(client):
    row = merchant(COMPANY, stall_name="阿润海鲜档", stall_no="M066")
    market()
    handle = handle_of(row)
    html = client.get(f"/m/{handle}").get_data(as_text=True)
    assert '<h1 id="merchant-name">阿润海鲜档</h1>' in html
    assert f'<p class="meta" id="registered-name">登记名称：{COMPANY}</p>' in html
    assert "<title>阿润海鲜档 · " in html
    page = client.get(f"/api/public/v1/merchants/{handle}").get_json()
    assert (page["name"], page["registered_name"], page["stall_name"]) == (COMPANY, COMPANY, "阿润海鲜档")
    listing = client.get("/api/public/v1/markets/magong/merchants?q=阿润").get_json()["items"]
    assert [(i["name"], i["registered_name"], i["stall_name"]) for i in listing] == [(COMPANY, COMPANY, "阿润海鲜档")]
    assert client.get(f"/api/public/v1/markets/magong/merchants?q={COMPANY[:4]}").get_json()["meta"]["total"] == 1
    market_html = client.get("/markets/magong").get_data(as_text=True)
    assert "阿润海鲜档" in market_html and f"登记名称：{COMPANY}" in market_html
