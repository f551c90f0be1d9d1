"""GET /me/scans: every use of my code, with place, partner, outcome and what was granted."""

from __future__ import annotations

from backend.extensions import db
from backend.models import Incentive, MpAccount, Redemption, Scan
from tests.factories import person, resident_id
from tests.miniprogram_api.helpers import at, scanning_setup


def test_scan_history_shows_who_where_when_and_what(mp, clock):
    assert mp.bind(resident_id(31), "郑丽").status_code == 200
    me = db.session.execute(db.select(MpAccount.subject_id)).scalar_one()
    stranger = person("王五", rid=resident_id(32))
    bus, hotel = scanning_setup("transit"), scanning_setup("lodging")
    perk = Incentive(code="bus-free", scenario="transit", partner_id=bus.partner_id, title="公交免费乘车一次",
                     quota_count=1, quota_period="day")
    db.session.add(perk)
    db.session.flush()
    db.session.add_all([
        Scan(device_id=bus.id, subject_id=me, jti="aaaaaaa1", outcome="granted", scanned_at=at(clock, -3600)),
        Redemption(incentive_id=perk.id, subject_id=me, device_id=bus.id, period_key="2026-11-30", slot=1,
                   idempotency_key="k1", granted_at=at(clock, -3599), receipt="r"),
        Scan(device_id=hotel.id, subject_id=me, jti="aaaaaaa2", outcome="not_eligible", scanned_at=at(clock, -60),
             offline=True),
        Scan(device_id=bus.id, subject_id=stranger.id, jti="bbbbbbb1", outcome="granted", scanned_at=at(clock, -30)),
    ])
    db.session.commit()
    resp = mp.get("/me/scans")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["meta"] == {"page": 1, "per_page": 20, "total": 2}
    latest, earlier = body["items"]
    assert (latest["partner"], latest["scenario_zh"], latest["outcome"], latest["offline"]) == (
        "汕尾lodging公司", "信用+住宿", "not_eligible", True)
    assert latest["outcome_zh"] == "信用等级不符合优惠条件" and latest["granted"] == []
    assert (earlier["device"], earlier["scenario"], earlier["outcome_zh"]) == ("transit-01", "transit", "已享受优惠")
    assert [g["title"] for g in earlier["granted"]] == ["公交免费乘车一次"]
    page2 = mp.get("/me/scans?per_page=1&page=2").get_json()
    assert [i["outcome"] for i in page2["items"]] == ["granted"] and page2["meta"]["total"] == 2


def test_scan_history_needs_binding(mp):
    assert mp.get("/me/scans").status_code == 403
