"""The mark: from the request that accepts an objection on, the public page, 一键查询, the scanner and the subject's
own file show 「信息主体已提出异议，正在核实」; the grade keeps counting the item unless the department suspends it;
departments mark their items under reconsideration or litigation the same way."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit import person_by_resident_id
from backend.models import CreditMark, Subject
from backend.platform.extensions import db
from tests.credit.helpers import days_ago, penalty
from tests.factories import bearer, operator_token
from tests.merchants.helpers import handle_of
from tests.miniprogram_api.helpers import market_merchant
from tests.miniprogram_api.test_merchant_owners import issue
from tests.objections.helpers import Desk, objection_body, resident_with_penalty
from tests.scanning.helpers import code_for, scan_setup, verify

NOTE = "信息主体已提出异议，正在核实"


def owner_of_listed_merchant(client, desk: Desk, mp) -> tuple[str, str, int, int]:
    """A merchant bound to `mp`, with a SAMR penalty and a black-list entry: (handle, uscc, record, entry)."""
    _, merchant = market_merchant()
    handle = handle_of(merchant)
    code = issue(client, operator_token("market", market_slug="magong"), handle).get_json()["binding_code"]
    assert mp.post("/me/merchants", json={"binding_code": code}).status_code == 201
    uscc = db.session.get(Subject, merchant.subject_id).uscc
    record = desk.post("/records", desk.samr, json=penalty({"uscc": uscc}, severity="serious")).get_json()["record"]
    entry = desk.post("/list-entries", desk.samr, json={
        "uscc": uscc, "subject_name": "海鲜档", "list_type": "black", "reason": "食品安全严重违法",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第九条", "decision_document": "汕市监列〔2026〕1号",
        "starts_on": days_ago(10)}).get_json()
    return handle, uscc, record["id"], entry["id"]


def test_the_mark_shows_on_the_public_page_and_in_joint_query_in_the_accepting_request_cycle(app, client, mp):
    app.config["MERCHANT_PAGE_CACHE_SECONDS"] = 600  # a cached page must not hide the mark
    desk = Desk(client)
    handle, uscc, record_id, entry_id = owner_of_listed_merchant(client, desk, mp)
    page = client.get(f"/m/{handle}").get_data(as_text=True)
    assert NOTE not in page and "食品安全严重违法" in page
    on_list = mp.post(f"/me/merchants/{handle}/objections", json=objection_body(
        entry_id, "list_entry", grounds="wrongly_listed")).get_json()["number"]
    on_record = mp.post(f"/me/merchants/{handle}/objections", json=objection_body(record_id)).get_json()["number"]
    assert NOTE not in client.get(f"/m/{handle}").get_data(as_text=True)  # submitted is not yet marked

    desk.accept(on_list), desk.accept(on_record)
    owned = mp.get(f"/me/merchants/{handle}").get_json()  # the owner's own view of the file, with ids and marks
    assert [m["note"] for m in owned["lists"][0]["marks"]] == [NOTE] and owned["records"][0]["id"] == record_id
    page = client.get(f"/m/{handle}").get_data(as_text=True)
    assert page.count(NOTE) == 2 and "正在核实的信息" in page
    public = client.get(f"/api/public/v1/merchants/{handle}").get_json()
    assert public["lists"][0]["marks"] == [NOTE]
    assert [x["marks"] for x in public["marked_items"]] == [[NOTE]]

    answer = desk.get("/joint-measures", desk.tax, query_string={"uscc": uscc, "purpose": "政府采购资格审查"}).get_json()
    assert answer["lists"][0]["marks"] == [NOTE] and any(NOTE in n for n in answer["notes"])

    desk.forward(on_list)
    desk.decide(on_list, desk.samr, "removed_from_list", "经核实不符合列入条件，予以移出")
    page = client.get(f"/m/{handle}").get_data(as_text=True)
    assert "食品安全严重违法" not in page and page.count(NOTE) == 1  # the penalty's objection is still open
    assert desk.get("/joint-measures", desk.tax, query_string={"uscc": uscc, "purpose": "复查"}).get_json()[
        "result"] == "not_listed"


def test_the_scanner_and_the_residents_own_file_show_the_mark(client, mp):
    desk = Desk(client)
    rid, record_id = resident_with_penalty(client, desk, mp)
    devices = scan_setup()
    subject = person_by_resident_id(rid)
    token = devices["transit"]["token"]
    assert verify(client, token, code_for(subject)).get_json()["notes"] == []
    number = mp.post("/me/objections", json=objection_body(record_id)).get_json()["number"]
    desk.accept(number)
    answer = verify(client, token, code_for(subject)).get_json()
    assert answer["outcome"] == "valid" and answer["notes"] == [NOTE]
    verdict = client.get(f"/api/scan/v1/scans/{answer['scan_id']}", headers=bearer(token)).get_json()
    assert verdict["notes"] == [NOTE]
    mine = mp.get("/me/credit").get_json()
    assert mine["records"][0]["id"] == record_id
    assert [m["note"] for m in mine["records"][0]["marks"]] == [NOTE] and mine["records"][0]["marks"][0]["ref"] == number


def test_the_grade_keeps_counting_a_marked_item_unless_the_department_suspends_it(client, mp):
    desk = Desk(client)
    _, record_id = resident_with_penalty(client, desk, mp)
    counted = mp.get("/me/credit").get_json()["score"]
    number = mp.post("/me/objections", json=objection_body(record_id)).get_json()["number"]
    desk.accept(number)
    assert mp.get("/me/credit").get_json()["score"] == counted  # the mark is information, not a verdict
    assert desk.get(f"/objections/{number}", desk.samr).get_json()["state"] == "checking"
    assert mp.get("/me/credit").get_json()["records"][0]["marks"][0]["suspends_grade"] is False
    marks = _mark_ids(client, desk, record_id)
    assert desk.client.put(f"/api/dept/v1/marks/{marks[0]}/suspension", headers=desk.tax,
                           json={"suspended": True}).status_code == 403
    resp = desk.client.put(f"/api/dept/v1/marks/{marks[0]}/suspension", headers=desk.samr, json={"suspended": True})
    assert resp.status_code == 200 and resp.get_json()["suspends_grade"] is True
    mine = mp.get("/me/credit").get_json()
    assert mine["score"] == 75 and "暂停计分" in mine["breakdown"]["records"][0]["rule"]
    desk.forward(number)
    desk.decide(number, desk.samr, "upheld", "维持")
    assert mp.get("/me/credit").get_json()["score"] == counted  # the outcome cleared the mark: counted again


def _mark_ids(client, desk: Desk, record_id: int) -> list[int]:
    return list(db.session.scalars(select(CreditMark.id).where(CreditMark.record_id == record_id)))


def test_a_department_marks_its_record_under_litigation(client, mp):
    desk = Desk(client)
    rid, record_id = resident_with_penalty(client, desk, mp)
    body = {"item": "record", "item_id": record_id, "kind": "litigation", "ref": "（2026）粤1502行初12号"}
    assert desk.post("/marks", desk.tax, json=body).get_json()["error"]["code"] == "outside_department"
    made = desk.post("/marks", desk.samr, json=body)
    assert made.status_code == 201 and made.get_json()["note"] == "信息主体已提起行政诉讼，正在审理"
    assert desk.post("/marks", desk.samr, json=body).get_json()["error"]["code"] == "already_marked"
    assert [m["kind"] for m in mp.get("/me/credit").get_json()["records"][0]["marks"]] == ["litigation"]
    cleared = desk.post(f"/marks/{made.get_json()['id']}/clear", desk.samr, json={"reason": "判决维持原处罚"})
    assert cleared.get_json()["cleared_at"] is not None
    assert mp.get("/me/credit").get_json()["records"][0]["marks"] == []
    number = mp.post("/me/objections", json=objection_body(record_id)).get_json()["number"]
    desk.accept(number)
    objection_mark = _mark_ids(client, desk, record_id)[-1]
    refused = desk.post(f"/marks/{objection_mark}/clear", desk.samr, json={"reason": "误标"})
    assert refused.get_json()["error"]["code"] == "objection_mark"
