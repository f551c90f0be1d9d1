"""GET /me/scans: every use of my code, with place, partner, outcome, and what was granted or refused there."""

from __future__ import annotations

from tests.factories import bearer, person, resident_id
from tests.scanning.helpers import code_for, scan_setup, verify


def redeem(client, token, code, incentive, key, **extra):
    return client.post("/api/scan/v1/redemptions", json={"code": code, "incentive": incentive, **extra},
                       headers={**bearer(token), "Idempotency-Key": key})


def test_scan_history_lists_grants_and_refusals_per_scan(client, mp, clock):
    devices = scan_setup()
    bus, clinic = devices["transit"]["token"], devices["medical"]["token"]
    person("郑丽", "B", rid=resident_id(31))  # a file graded 良
    assert mp.bind(resident_id(31), "郑丽").status_code == 200
    code = mp.get("/me/code").get_json()["code"]
    stranger = code_for(person("王五", rid=resident_id(32)))

    first = verify(client, bus, code).get_json()["scan_id"]
    clock.advance(10)
    second = verify(client, bus, code).get_json()["scan_id"]  # a second tap before the grant
    assert redeem(client, bus, code, "bus-discount", "grant-key-0001", scan_id=first).status_code == 201
    clock.advance(10)
    verify(client, bus, code)  # nothing left today
    clock.advance(10)
    assert redeem(client, clinic, code, "clinic-pay-later", "grant-key-0002").status_code == 409  # grade B
    verify(client, bus, stranger)
    verify(client, bus, "garbage")

    body = mp.get("/me/scans").get_json()
    assert body["meta"]["total"] == 4
    clinic_scan, refused, later, earlier = body["items"]
    assert (clinic_scan["partner"], clinic_scan["scenario_zh"], clinic_scan["outcome"]) == (
        "汕尾市人民医院", "信用+医疗", "valid")
    assert (clinic_scan["refusal"], clinic_scan["refusal_zh"], clinic_scan["granted"]) == (
        "grade", "信用等级不符合条件", [])
    assert (refused["refusal"], refused["granted"]) == ("over_quota", [])
    # Exactly the scan the grant named, not whichever came within a time window.
    assert (later["granted"], later["refusal"], later["outcome_zh"]) == ([], None, "验证通过")
    (grant,) = earlier["granted"]
    assert (grant["title"], grant["status"], earlier["device"]) == ("信用+公交 乘车九折", "granted", "1路公交车载验码机")
    assert second != first

    page2 = mp.get("/me/scans?per_page=1&page=4").get_json()
    assert [i["granted"][0]["title"] for i in page2["items"]] == ["信用+公交 乘车九折"]


def test_scan_history_needs_binding(mp):
    assert mp.get("/me/scans").status_code == 403
