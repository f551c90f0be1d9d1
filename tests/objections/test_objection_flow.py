"""An objection through every state: submitted, not accepted, accepted (marked at once), the credit office's
check, forwarded, extended, each outcome, a 复核 — deadlines in working days across the National Day holiday."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import AuditEntry, Change, CreditRecord, Objection, ObjectionCorrection
from backend.platform.extensions import db
from tests.credit.helpers import SAMR, penalty
from tests.factories import resident_id
from tests.objections.helpers import DAY, Desk, count, evidence, objection_body, resident_with_penalty


def test_submitted_accepted_forwarded_extended_upheld_then_reviewed(client, clock, mp):
    desk = Desk(client)
    _, record_id = resident_with_penalty(client, desk, mp)
    resp = mp.post("/me/objections", json=objection_body(record_id, corrections=[
        {"field": "decided_on", "current": "2026-08-30", "proposed": "2026-08-20"}]))
    assert resp.status_code == 201, resp.get_json()
    obj = resp.get_json()
    number = obj["number"]
    assert number.startswith("YY20260929") and obj["state"] == "submitted" and obj["due_on"] == "2026-09-30"
    assert obj["department"] == SAMR and obj["channel"] == "resident"
    assert evidence(mp, number).status_code == 201

    accepted = desk.accept(number).get_json()
    assert accepted["state"] == "checking" and accepted["due_on"] == "2026-09-30"
    assert evidence(mp, number).get_json()["error"]["code"] == "objection_state"  # the office decides with what it has

    clock.advance(DAY)  # Wednesday 30 September: forwarded, two working days after the holiday week
    forwarded = desk.forward(number).get_json()
    assert forwarded["state"] == "forwarded" and forwarded["due_on"] == "2026-10-09"
    assert desk.post(f"/objections/{number}/extend", desk.tax, json={"reason": "需调取案卷"}).status_code == 403
    extended = desk.post(f"/objections/{number}/extend", desk.samr, json={"reason": "需调取案卷核对"}).get_json()
    assert extended["state"] == "extended" and extended["due_on"] == "2026-10-13"  # Sat 10 Oct is a working day
    again = desk.post(f"/objections/{number}/extend", desk.samr, json={"reason": "再延"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "objection_state"

    upheld = desk.decide(number, desk.samr, "upheld", "决定日期与决定书一致，维持原信息").get_json()
    assert upheld["state"] == "closed" and upheld["outcome"] == "upheld" and upheld["decided_by"] == SAMR
    assert mp.get("/me/credit").get_json()["records"][0]["marks"] == []  # the mark went with the outcome

    review = mp.post(f"/me/objections/{number}/review", json={"reason": "决定书原件载明的日期为8月20日"}).get_json()
    assert review["state"] == "reviewing" and mp.get("/me/credit").get_json()["records"][0]["marks"]
    assert desk.decide(number, desk.samr, "corrected").status_code == 403  # 复核 is the credit office's
    reviewed = desk.decide(number, desk.admin, "corrected", "复核：以决定书原件为准予以更正").get_json()
    assert reviewed["review_outcome"] == "corrected" and reviewed["outcome"] == "upheld"
    assert db.session.get(CreditRecord, record_id).decided_on.isoformat() == "2026-08-20"
    second = mp.post(f"/me/objections/{number}/review", json={"reason": "再次复核"})
    assert second.status_code == 409 and second.get_json()["error"]["code"] == "objection_state"

    mine = mp.get(f"/me/objections/{number}").get_json()
    assert [s["state"] for s in mine["steps"]] == ["submitted", "checking", "forwarded", "extended", "closed",
                                                   "reviewing", "closed"]
    assert mine["corrections"][0] | {"applied_at": None} == {
        "field": "decided_on", "current": "2026-08-30", "proposed": "2026-08-20", "applied": True,
        "old_value": "2026-08-30", "new_value": "2026-08-20", "applied_at": None}
    assert len(mine["evidence"]) == 1 and mp.get("/me/objections").get_json()["meta"]["total"] == 1


def test_not_accepted_with_reasons_frees_the_item(client, mp):
    desk = Desk(client)
    _, record_id = resident_with_penalty(client, desk, mp)
    number = mp.post("/me/objections", json=objection_body(record_id)).get_json()["number"]
    refused = desk.post(f"/objections/{number}/not-accept", desk.admin, json={
        "reason": "未提交证明材料：请一并提交处罚决定书复印件和身份证明。"}).get_json()
    assert refused["state"] == "not_accepted" and "身份证明" in refused["not_accepted_reason"]
    assert desk.accept(number).get_json()["error"]["code"] == "objection_state"
    assert mp.post("/me/objections", json=objection_body(record_id)).status_code == 201  # a new one may be filed


def test_a_second_objection_to_an_item_under_objection_names_the_open_one(client, mp):
    desk = Desk(client)
    _, record_id = resident_with_penalty(client, desk, mp)
    first = mp.post("/me/objections", json=objection_body(record_id)).get_json()["number"]
    again = mp.post("/me/objections", json=objection_body(record_id, grounds="other"))
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "objection_open"
    assert again.get_json()["error"]["details"]["open_objection"] == first and first in again.get_json()["error"][
        "message"]
    assert count(Objection) == 1


def test_the_credit_offices_own_error_is_corrected_at_once_old_and_new_kept_and_audited(client, mp):
    desk = Desk(client)
    _, record_id = resident_with_penalty(client, desk, mp, title="销售不合格食用农产品（录入错误）")
    number = mp.post("/me/objections", json=objection_body(record_id, corrections=[
        {"field": "title", "current": "销售不合格食用农产品（录入错误）", "proposed": "销售不合格食用农产品"}])).get_json()[
        "number"]
    desk.accept(number)
    done = desk.post(f"/objections/{number}/check", desk.admin, json={
        "own_error": True, "reason": "平台归集时录入错误，已按部门原始数据更正"}).get_json()
    assert done["state"] == "closed" and done["outcome"] == "corrected" and done["decided_by"].startswith("汕尾市")
    assert db.session.get(CreditRecord, record_id).title == "销售不合格食用农产品"
    row = db.session.scalar(select(ObjectionCorrection))
    assert (row.old_value, row.new_value, row.applied) == ("销售不合格食用农产品（录入错误）", "销售不合格食用农产品", True)
    audited = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "credit.correct"))
    assert audited.details["changes"] == [{"field": "title", "old": "销售不合格食用农产品（录入错误）",
                                           "new": "销售不合格食用农产品"}] and audited.details["ref"] == number


def test_publication_stopped_and_supplemented_regrade(client, mp):
    desk = Desk(client)
    _, record_id = resident_with_penalty(client, desk, mp)
    before = mp.get("/me/credit").get_json()["score"]
    number = mp.post("/me/objections", json=objection_body(record_id, grounds="past_window")).get_json()["number"]
    desk.accept(number), desk.forward(number)
    wrong = desk.decide(number, desk.samr, "removed_from_list")
    assert wrong.status_code == 422 and wrong.get_json()["error"]["code"] == "invalid_outcome"
    assert desk.decide(number, desk.samr, "publication_stopped", "已超过公示期限").get_json()["state"] == "closed"
    mine = mp.get("/me/credit").get_json()
    assert mine["records"][0]["status"] == "removed" and mine["score"] is None and before < 75
    # partners syncing the change feed learn it too (a person's item carries no data)
    assert db.session.query(Change).filter_by(kind="record_withdrawn", record_id=record_id).count() == 1

    resp = desk.post("/records", desk.samr, json=penalty({"resident_id": resident_id(7)}))
    second_id = resp.get_json()["record"]["id"]
    number = mp.post("/me/objections", json=objection_body(second_id, corrections=[
        {"field": "content", "current": None, "proposed": "当事人已当场改正"}])).get_json()["number"]
    desk.accept(number), desk.forward(number)
    empty = desk.decide(number, desk.samr, "supplemented", corrections=[])
    assert empty.get_json()["state"] == "closed"  # the subject's own proposals are applied when none are given
    assert db.session.get(CreditRecord, second_id).content == "当事人已当场改正"


def test_bad_input_gets_a_chinese_message_and_stores_nothing(client, mp):
    desk = Desk(client)
    _, record_id = resident_with_penalty(client, desk, mp)
    bad_field = mp.post("/me/objections", json=objection_body(record_id, corrections=[
        {"field": "reason", "current": "x", "proposed": "y"}]))
    assert bad_field.status_code == 422 and bad_field.get_json()["error"]["code"] == "invalid_correction"
    identifying = mp.post("/me/objections", json=objection_body(record_id, corrections=[
        {"field": "document_no", "proposed": "y"}]))  # the number identifies the record: never corrected
    assert identifying.status_code == 422 and "应为以下之一" in str(identifying.get_json()["error"]["details"])
    bad_date = mp.post("/me/objections", json=objection_body(record_id, corrections=[
        {"field": "decided_on", "proposed": "去年"}]))
    assert "YYYY-MM-DD" in bad_date.get_json()["error"]["message"]
    short = mp.post("/me/objections", json=objection_body(record_id, statement="错"))
    assert short.status_code == 422 and "statement" in short.get_json()["error"]["details"]["json"]
    elsewhere = mp.post("/me/objections", json=objection_body(999))
    assert elsewhere.status_code == 404 and elsewhere.get_json()["error"]["code"] == "item_not_found"
    assert count(Objection) == 0 and count(ObjectionCorrection) == 0
    number = mp.post("/me/objections", json=objection_body(record_id)).get_json()["number"]
    refused = evidence(mp, number, b"MZ\x90\x00", "a.pdf")
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "upload_type"
    assert mp.get(f"/me/objections/{number}").get_json()["evidence"] == []


def test_another_resident_sees_none_of_it(client, mp, other_mp):
    desk = Desk(client)
    _, record_id = resident_with_penalty(client, desk, mp)
    number = mp.post("/me/objections", json=objection_body(record_id)).get_json()["number"]
    assert other_mp.bind().status_code == 200
    assert other_mp.get(f"/me/objections/{number}").status_code == 404
    assert other_mp.get("/me/objections").get_json()["meta"]["total"] == 0
    assert other_mp.post("/me/objections", json=objection_body(record_id)).get_json()["error"]["code"] == \
        "item_not_found"
