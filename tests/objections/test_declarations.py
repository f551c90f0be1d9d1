"""Self-declarations: made under a truthfulness commitment, verified (by the department, or by the platform's own
data), counted in the breakdown with a bounded weight, shown as 「自主申报，已核验」; found false → the commitment is
broken and the subject watch-listed; rejected, more information needed, expired; positive information hidden on
request."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import CreditCommitment, Declaration, ListEntry, Subject
from backend.objections.declarations import expire_declarations
from backend.platform.extensions import db
from tests.credit.helpers import SAMR, TAX, record
from tests.factories import operator_token, resident_id
from tests.merchants.helpers import handle_of
from tests.miniprogram_api.helpers import market_merchant
from tests.miniprogram_api.test_merchant_owners import issue
from tests.objections.helpers import DAY, Desk, count

LABEL = "自主申报，已核验"


def declaration(category: str = "honour", n: int = 1, **over) -> dict:
    return {"category": category, "title": f"汕尾市诚信经营示范户（第{n}批）", "issuer": "汕尾市市场监督管理局",
            "document_no": f"汕市监表〔2026〕{n}号", "issued_on": "2026-06-01", "valid_until": "2027-05-31",
            "department": SAMR, "commitment_accepted": True, **over}


def bound(mp, n: int = 11) -> str:
    rid = resident_id(n)
    assert mp.bind(rid).status_code == 200
    return rid


def test_verified_declarations_count_with_a_bounded_weight_then_one_found_false_breaks_its_commitment(client, mp):
    desk = Desk(client)
    bound(mp)
    assert mp.get("/me/declarations/commitment").get_json()["type_zh"] == "主动型"
    numbers = []
    for n in range(1, 4):
        made = mp.post("/me/declarations", json=declaration(n=n))
        assert made.status_code == 201, made.get_json()
        assert made.get_json()["state"] == "verifying" and made.get_json()["due_on"] == "2026-10-12"
        numbers.append(made.get_json()["number"])
    assert mp.get("/me/credit").get_json()["grade"] is None  # nothing counts before it is verified

    for number in numbers:
        assert desk.get(f"/declarations/{number}", desk.tax).status_code == 404  # another department's
        done = desk.post(f"/declarations/{number}/decide", desk.samr, json={"decision": "verified"}).get_json()
        assert done["state"] == "verified" and done["verification_method"] == "document_review"
    mine = mp.get("/me/credit").get_json()
    assert all(r["title"].startswith(LABEL) and r["category"] == "declaration" for r in mine["records"])
    lines = mine["breakdown"]["records"]
    assert [line["points"] for line in lines] == [2, 2, 2] and {line["indicator"] for line in lines} == {"self_declared"}
    assert any("限定在 0～5 分" in a["rule"] for a in mine["breakdown"]["adjustments"])  # 6 points bounded to 5
    assert mine["score"] == 80 and mine["model_version"] == "v2" and mine["grade"] == "B"

    false = desk.post(f"/declarations/{numbers[0]}/found-false", desk.samr, json={"reason": "经核查无此表彰文件"})
    broken = false.get_json()["commitment"]
    assert false.get_json()["state"] == "found_false"
    assert (broken["status"], broken["fulfilment"], broken["assessed_on"]) == ("broken", "none", "2026-09-29")
    # credit's breach path made the one watch-list entry: the commitment's code is its decision document
    entry = db.session.scalar(select(ListEntry).where(ListEntry.list_type == "watch"))
    assert entry.decision_document == broken["code"] and "违背信用承诺" in entry.reason and numbers[0] in entry.reason
    assert "经查不实" in entry.legal_basis and count(ListEntry) == 1
    mine = mp.get("/me/credit").get_json()
    assert mine["list_status"]["watch"] is True and mine["grade"] == "C"  # the watch list caps the grade at 中
    assert any("重点关注名单" in e["rule"] for e in mine["breakdown"]["lists"])
    assert [r["status"] for r in mine["records"] if r["document_no"] == numbers[0]] == ["removed"]


def test_a_declaration_the_platforms_data_proves_is_verified_at_once(client, mp):
    desk = Desk(client)
    rid = bound(mp)
    licence = record({"resident_id": rid}, "admin_licence", document_no="汕市监许〔2026〕88号", title="食品经营许可证")
    assert desk.post("/records", desk.samr, json=licence).status_code == 201
    made = mp.post("/me/declarations", json=declaration("qualification", document_no="汕市监许〔2026〕88号",
                                                        title="食品经营许可证")).get_json()
    assert made["state"] == "verified" and made["verification_method"] == "data_match"
    assert made["verified_by"].startswith("汕尾市")


def test_no_commitment_no_declaration_and_nothing_stored(client, mp):
    bound(mp)
    refused = mp.post("/me/declarations", json=declaration(commitment_accepted=False))
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "commitment_required"
    assert "真实" in refused.get_json()["error"]["details"]["commitment"]
    bad = mp.post("/me/declarations", json=declaration(category="lottery"))
    assert bad.status_code == 422
    assert count(Declaration) == 0 and count(CreditCommitment) == 0


def test_more_information_then_rejected_with_the_reason(client, mp):
    desk = Desk(client)
    bound(mp)
    number = mp.post("/me/declarations", json=declaration("public_welfare", title="无偿献血")).get_json()["number"]
    empty = desk.post(f"/declarations/{number}/decide", desk.samr, json={"decision": "more_info"})
    assert empty.status_code == 422
    asked = desk.post(f"/declarations/{number}/decide", desk.samr, json={
        "decision": "more_info", "note": "请上传献血证"}).get_json()
    assert asked["state"] == "more_info"
    assert desk.post(f"/declarations/{number}/decide", desk.samr, json={"decision": "verified"}).get_json()[
        "error"]["code"] == "declaration_state"
    back = mp.post(f"/me/declarations/{number}/supplement", json={"note": "已上传献血证"}).get_json()
    assert back["state"] == "verifying"
    rejected = desk.post(f"/declarations/{number}/decide", desk.samr, json={
        "decision": "rejected", "note": "献血证姓名与申报人不符"}).get_json()
    assert rejected["state"] == "rejected" and rejected["note"] == "献血证姓名与申报人不符"
    assert mp.get("/me/credit").get_json()["records"] == []


def test_a_declaration_expires_at_the_end_of_its_validity(client, clock, mp):
    desk = Desk(client)
    bound(mp)
    number = mp.post("/me/declarations", json=declaration(valid_until="2026-10-31")).get_json()["number"]
    desk.post(f"/declarations/{number}/decide", desk.samr, json={"decision": "verified"})
    assert expire_declarations() == 0
    clock.advance(33 * DAY)  # 1 November
    assert expire_declarations() == 1 and expire_declarations() == 0
    mp.login()  # a month on: a new session
    assert mp.get(f"/me/declarations/{number}").get_json()["state"] == "expired"
    assert mp.get("/me/credit").get_json()["records"][0]["status"] == "removed"


def test_the_public_page_shows_verified_declarations_unless_positive_information_is_refused(client, mp):
    desk = Desk(client)
    _, merchant = market_merchant()
    handle = handle_of(merchant)
    code = issue(client, operator_token("market", market_slug="magong"), handle).get_json()["binding_code"]
    assert mp.post("/me/merchants", json={"binding_code": code}).status_code == 201
    honour = mp.post(f"/me/merchants/{handle}/declarations", json=declaration()).get_json()["number"]
    contract = mp.post(f"/me/merchants/{handle}/declarations", json=declaration(
        "contract", n=2, title="与汕尾市某酒店供货合同履约", department=TAX)).get_json()["number"]
    desk.post(f"/declarations/{honour}/decide", desk.samr, json={"decision": "verified"})
    desk.post(f"/declarations/{contract}/decide", desk.tax, json={"decision": "verified"})
    shown = client.get(f"/api/public/v1/merchants/{handle}").get_json()["declarations"]
    assert {d["kind"] for d in shown} == {"honour", "contract"} and {d["label"] for d in shown} == {LABEL}
    assert LABEL in client.get(f"/m/{handle}").get_data(as_text=True)

    assert mp.client.put(f"/api/mp/v1/me/merchants/{handle}/preferences", headers={
        "Authorization": f"Bearer {mp.token}"}, json={"hides_positive": True}).get_json()["hides_positive"] is True
    shown = client.get(f"/api/public/v1/merchants/{handle}").get_json()["declarations"]
    assert [d["kind"] for d in shown] == ["contract"]  # the award is no longer shown; the grade is unchanged
    assert db.session.get(Subject, merchant.subject_id).hides_positive is True


def test_a_commitment_already_broken_by_its_department_is_not_broken_twice_when_the_declaration_is_found_false(
        client, mp):
    """The department may record the breach on the commitment itself (POST /commitments/<code>/fulfilment): finding
    the declaration false afterwards withdraws its record and keeps that one watch-list entry."""
    desk = Desk(client)
    bound(mp)
    number = mp.post("/me/declarations", json=declaration()).get_json()["number"]
    code = desk.post(f"/declarations/{number}/decide", desk.samr, json={"decision": "verified"}).get_json()[
        "commitment"]["code"]
    assert desk.post(f"/commitments/{code}/fulfilment", desk.tax, json={
        "fulfilment": "none", "unfulfilled": "不实"}).status_code == 404  # accepted by SAMR, not the tax bureau
    broken = desk.post(f"/commitments/{code}/fulfilment", desk.samr, json={"fulfilment": "none",
                                                                            "unfulfilled": "表彰文件系伪造"})
    assert broken.status_code == 200 and broken.get_json()["status"] == "broken"
    false = desk.post(f"/declarations/{number}/found-false", desk.samr, json={"reason": "表彰文件系伪造"}).get_json()
    assert false["state"] == "found_false" and false["commitment"]["unfulfilled"] == "表彰文件系伪造"
    assert count(ListEntry) == 1
    assert db.session.scalar(select(Declaration.watch_entry_id)) == db.session.scalar(select(ListEntry.id))
    assert mp.get("/me/credit").get_json()["records"][0]["status"] == "removed"
