"""GET /api/mp/v1/incentives: every perk there is, and whether the resident qualifies for it today, and why not."""

from __future__ import annotations

from tests.factories import person, resident_id
from tests.scanning.helpers import redeem, scan_setup


def by_code(mp) -> dict:
    resp = mp.get("/incentives")
    assert resp.status_code == 200
    return {item["code"]: item for item in resp.get_json()["items"]}


def test_a_resident_sees_every_perk_with_eligibility_quota_and_reason(client, mp):
    devices = scan_setup()
    person("林秀英", "B", rid=resident_id(61))
    assert mp.bind(resident_id(61), "林秀英").status_code == 200
    items = by_code(mp)
    assert set(items) == {"bus-discount", "hotel-deposit-free", "clinic-pay-later", "park-ticket"}
    bus, clinic = items["bus-discount"], items["clinic-pay-later"]
    assert (bus["eligible"], bus["remaining_zh"], bus["quota_zh"], bus["eligible_grades"]) == (
        True, "今日剩余 1 次", "每日 1 次", ["优", "良"])
    assert (bus["partner"], bus["scenario_zh"]) == ("汕尾市公共交通有限公司", "信用+公交")
    assert (clinic["eligible"], clinic["reason"], clinic["reason_zh"]) == (False, "grade", "信用等级不符合条件")
    code = mp.get("/me/code").get_json()["code"]
    assert redeem(client, devices["transit"]["token"], code, "bus-discount").status_code == 201
    bus = by_code(mp)["bus-discount"]
    assert (bus["eligible"], bus["reason"], bus["reason_zh"], bus["remaining"]) == (
        False, "over_quota", "今日次数已用完", 0)


def test_an_unrated_resident_is_told_so(mp):
    scan_setup()
    assert mp.bind(resident_id(62), "新市民").status_code == 200
    bus = by_code(mp)["bus-discount"]
    assert (bus["eligible"], bus["reason"], bus["reason_zh"]) == (False, "grade", "尚未评价，暂不能享受")


def test_binding_is_required(mp):
    assert mp.get("/incentives").get_json()["error"]["code"] == "identity_required"


def test_my_credit_score_agrees_with_its_breakdown(client, mp):
    from tests.credit.helpers import dept, person_ref, record

    ref = person_ref(63)
    assert client.post("/api/dept/v1/records", json=record(ref, "honour"), headers=dept()).status_code == 201
    assert mp.bind(ref["resident_id"], "测试").status_code == 200
    me = mp.get("/me/credit").get_json()
    assert me["score"] == me["breakdown"]["score"] == 81 and (me["grade"], me["grade_zh"]) == ("B", "良")
