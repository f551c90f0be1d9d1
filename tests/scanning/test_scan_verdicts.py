"""The console's colours: every outcome and refusal maps to green, amber or red (scanning.verdicts), and the
device's own scan verdicts and today's grants through /api/scan/v1."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.models import ListEntry
from backend.scanning.verdicts import Colour, console_texts, outcome_verdict, valid_verdict
from backend.scanning.vocab import Outcome, QuotaPeriod, Refusal
from tests.factories import bearer, person
from tests.scanning.helpers import code_for, redeem, scan_setup, verify


@pytest.mark.parametrize("outcome", [o for o in Outcome if o != Outcome.VALID])
def test_every_rejected_outcome_is_red_with_its_reason(outcome):
    verdict = outcome_verdict(outcome)
    assert verdict.colour == Colour.RED and verdict.reason and verdict.headline == "信用码无效"


@pytest.mark.parametrize("refusal", list(Refusal))
def test_every_refusal_of_a_genuine_code_is_amber_with_a_reason(refusal):
    verdict = valid_verdict(refusal, period=QuotaPeriod.MONTH)
    assert verdict.colour == Colour.AMBER and verdict.reason and verdict.headline == "不能发放"


def test_green_only_when_nothing_is_refused_and_wording_by_period():
    assert valid_verdict(None).colour == Colour.GREEN
    assert valid_verdict(None, grants_nothing=True).headline == "验证通过"
    assert {p: valid_verdict(Refusal.OVER_QUOTA, period=p).reason for p in QuotaPeriod} == {
        "once": "次数已用完", "day": "今日次数已用完", "week": "本周次数已用完", "month": "本月次数已用完"}
    assert valid_verdict(Refusal.GRADE, unrated=True).reason == "尚未评价，暂不能享受"
    assert outcome_verdict(Outcome.REVOKED, "revoked").reason == "二维码已作废：市民已挂失或作废该二维码"
    texts = console_texts()
    assert set(texts["outcomes"]) == {o.value for o in Outcome} and set(texts["refusals"]) == {r.value for r in Refusal}


def test_a_device_reads_its_own_scan_verdicts_and_todays_grants(client, db):
    devices = scan_setup()
    bus, hotel = devices["transit"]["token"], devices["lodging"]["token"]
    good, low, listed = person("甲", "A"), person("乙", "D"), person("丙", "A")
    db.session.add(ListEntry(subject_id=listed.id, list_type="black", reason="r", legal_basis="b", decision_document="d",
                             department="法院", starts_on=dt.date(2026, 1, 1)))
    db.session.commit()
    code = code_for(good)
    first = verify(client, bus, code).get_json()
    assert client.get(f"/api/scan/v1/scans/{first['scan_id']}", headers=bearer(bus)).get_json()["colour"] == "green"
    assert redeem(client, bus, code, "bus-discount").status_code == 201
    again = verify(client, bus, code).get_json()["scan_id"]
    over = client.get(f"/api/scan/v1/scans/{again}", headers=bearer(bus)).get_json()
    assert (over["colour"], over["refusal"], over["reason"]) == ("amber", "over_quota", "今日次数已用完")
    low_scan = verify(client, bus, code_for(low)).get_json()["scan_id"]
    assert client.get(f"/api/scan/v1/scans/{low_scan}", headers=bearer(bus)).get_json()["reason"] == "信用等级不符合条件"
    black = verify(client, bus, code_for(listed)).get_json()["scan_id"]
    assert client.get(f"/api/scan/v1/scans/{black}", headers=bearer(bus)).get_json()["refusal"] == "blacklisted"
    junk = verify(client, bus, "garbage").get_json()["scan_id"]
    assert client.get(f"/api/scan/v1/scans/{junk}", headers=bearer(bus)).get_json()["colour"] == "red"
    other_device = client.get(f"/api/scan/v1/scans/{first['scan_id']}", headers=bearer(hotel))
    assert other_device.status_code == 404 and other_device.get_json()["error"]["code"] == "scan_not_found"
    today = client.get("/api/scan/v1/grants/today", headers=bearer(bus)).get_json()
    assert today["device"] == {"name": "1路公交车载验码机", "scenario": "transit", "scenario_name": "信用+公交"}
    (grant,) = today["items"]
    assert grant["incentive"]["title"] == "信用+公交 乘车九折" and grant["status"] == "granted"
    assert grant["receipt_no"].endswith("-000001")
    assert client.get("/api/scan/v1/grants/today", headers=bearer(hotel)).get_json()["items"] == []
