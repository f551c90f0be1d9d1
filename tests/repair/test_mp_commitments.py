"""主动型 credit commitments signed online in the mini-program; merchants' public commitments on 一码查信."""

from __future__ import annotations

from backend.platform.clock import china_today
from tests.factories import bearer, resident_id
from tests.merchants.helpers import handle_of, market_operator, merchant


def test_a_resident_signs_a_voluntary_commitment_online(client, mp):
    assert mp.bind(resident_id(61)).status_code == 200
    resp = mp.post("/me/commitments", json={"matter": "诚信出行承诺", "content": "本人承诺文明乘车、按时缴费。"})
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["commitment_type"] == "voluntary" and got["type_zh"] == "主动型"
    assert got["committed_on"] == china_today().isoformat() and len(got["code"]) == 20
    assert mp.get("/me/commitments").get_json()["items"][0]["code"] == got["code"]
    bad = mp.post("/me/commitments", json={"matter": "x", "content": "y"})
    assert bad.status_code == 422


def test_unbound_accounts_cannot_sign(client, mp):
    assert mp.post("/me/commitments", json={"matter": "诚信承诺", "content": "承诺内容"}).status_code == 403


def test_merchant_commitments_are_credit_commitments_shown_on_the_page(client):
    token, row = market_operator(), merchant()
    body = {"title": "明码标价承诺", "content": "本商户承诺明码标价。", "signed_on": "2026-06-01"}
    made = client.post(f"/api/dept/v1/merchants/{row.id}/commitments", json=body, headers=bearer(token)).get_json()
    assert made["code"].startswith("44150020260601") and made["title"] == "明码标价承诺"
    page = client.get(f"/api/public/v1/merchants/{handle_of(row)}").get_json()
    assert page["commitments"][0]["code"] == made["code"] and page["commitments"][0]["type_zh"] == "行业自律型"


def test_the_repair_commitment_shown_is_the_one_an_application_signs(client, mp):
    got = mp.get("/me/repairs/commitment")
    assert got.status_code == 200
    body = got.get_json()
    assert body["type_zh"] == "信用修复型" and body["text"].startswith("本主体已纠正失信行为")
    assert "最长公示期" in body["liability"]
