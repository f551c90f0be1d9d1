"""A black-list entry whose department suspended counting it (a mark under objection, reconsideration or litigation,
credit.marks) no longer weighs in the grade, so the scanner stops refusing perks for it: verify and redemption agree
with the grade, and resuming the count refuses again."""

from __future__ import annotations

from backend.credit import person_by_resident_id
from tests.credit.helpers import SAMR, days_ago, dept, record
from tests.factories import resident_id
from tests.scanning.helpers import code_for, redeem, scan_setup, verify

RECONSIDERATION = "信息主体已申请行政复议，正在审理"
DEPT = "/api/dept/v1"


def test_a_suspended_black_list_entry_refuses_no_perk_until_it_counts_again(client):
    bus = scan_setup()["transit"]["token"]
    samr, rid = dept(SAMR), resident_id(31)
    for n in range(2):  # two honours: a grade the bus perk (A or B) is open to
        assert client.post(f"{DEPT}/records", headers=samr, json=record(
            {"resident_id": rid}, "honour", title=f"汕尾市优秀志愿者（第{n + 1}批）")).status_code == 201
    resident = person_by_resident_id(rid)
    open_grade = resident.grade
    assert open_grade in ("A", "B")
    assert verify(client, bus, code_for(resident)).get_json()["disclosed"]["eligible"] is True

    entry = client.post(f"{DEPT}/list-entries", headers=samr, json={
        "resident_id": rid, "list_type": "black", "reason": "食品安全严重违法", "decision_document": "汕市监列〔2026〕7号",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第九条", "starts_on": days_ago(3)})
    assert entry.status_code == 201, entry.get_json()
    def grade() -> str | None:
        return client.get(f"{DEPT}/subjects/grade", headers=samr, query_string={
            "resident_id": rid, "purpose": "复议期间核对"}).get_json()["subject"]["grade"]

    assert grade() == "D"  # the black list counts: 差
    refused = verify(client, bus, code_for(resident)).get_json()
    assert refused["disclosed"]["eligible"] is False and refused["incentives"] == []
    denied = redeem(client, bus, code_for(resident), "bus-discount")
    assert denied.status_code == 409 and denied.get_json()["error"]["details"]["reason"] == "blacklisted"

    mark = client.post(f"{DEPT}/marks", headers=samr, json={
        "item": "list_entry", "item_id": entry.get_json()["id"], "kind": "reconsideration",
        "ref": "汕府复〔2026〕15号", "suspends_grade": True})
    assert mark.status_code == 201, mark.get_json()
    assert grade() == open_grade  # the grade leaves the suspended entry out, and so does the scanner
    answer = verify(client, bus, code_for(resident)).get_json()
    assert answer["disclosed"]["eligible"] is True and [p["code"] for p in answer["incentives"]] == ["bus-discount"]
    assert answer["notes"] == [RECONSIDERATION]  # still shown as under reconsideration
    granted = redeem(client, bus, code_for(resident), "bus-discount")
    assert granted.status_code == 201, granted.get_json()

    resumed = client.put(f"{DEPT}/marks/{mark.get_json()['id']}/suspension", headers=samr, json={"suspended": False})
    assert resumed.status_code == 200 and resumed.get_json()["suspends_grade"] is False
    assert grade() == "D"
    again = verify(client, bus, code_for(resident)).get_json()
    assert again["disclosed"]["eligible"] is False and again["incentives"] == []
    assert redeem(client, bus, code_for(resident), "bus-discount").get_json()["error"]["details"]["reason"] == \
        "blacklisted"


def test_a_cleared_mark_counts_the_entry_again_and_an_unsuspended_mark_never_opened_perks(client):
    bus = scan_setup()["transit"]["token"]
    samr, rid = dept(SAMR), resident_id(32)
    for n in range(2):
        client.post(f"{DEPT}/records", headers=samr, json=record({"resident_id": rid}, "honour", title=f"表彰{n}"))
    entry = client.post(f"{DEPT}/list-entries", headers=samr, json={
        "resident_id": rid, "list_type": "black", "reason": "拒不履行", "decision_document": "汕市监列〔2026〕8号",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第九条", "starts_on": days_ago(3)}).get_json()
    resident = person_by_resident_id(rid)
    mark = client.post(f"{DEPT}/marks", headers=samr, json={
        "item": "list_entry", "item_id": entry["id"], "kind": "litigation", "ref": "（2026）粤1502行初3号"}).get_json()
    assert mark["suspends_grade"] is False  # marked but still counted: still refused
    assert verify(client, bus, code_for(resident)).get_json()["disclosed"]["eligible"] is False
    client.put(f"{DEPT}/marks/{mark['id']}/suspension", headers=samr, json={"suspended": True})
    assert verify(client, bus, code_for(resident)).get_json()["disclosed"]["eligible"] is True
    assert client.post(f"{DEPT}/marks/{mark['id']}/clear", headers=samr, json={"reason": "判决维持"}).status_code == 200
    assert verify(client, bus, code_for(resident)).get_json()["disclosed"]["eligible"] is False
    assert redeem(client, bus, code_for(resident), "bus-discount").status_code == 409
