"""Printed resident cards: issued at a window after the ID card check, printed (ID-1, A6), scanned from the
PDF (pdftoppm + zxing-cpp) and verified at /api/scan/v1/verify, revoked (online at once, offline through
the trust bundle), refused where perks need a live code; nothing personal in the QR."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import qr
from backend.models import AuditEntry, ResidentCard, Scenario
from backend.platform.extensions import db
from qr.b64 import b64url_decode
from tests.cards.helpers import decode_pdf, issue, window
from tests.factories import bearer, operator_token, person, resident_id
from tests.scanning.helpers import fetch_bundle, redeem, scan_setup, verify


@pytest.fixture
def world(app, client):
    devices = scan_setup()
    return devices, window()


def _print(client, headers, card) -> bytes:
    resp = client.get(card["pdf_url"], headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/pdf"
    return resp.data


@pytest.mark.parametrize("size", ["id1", "a6"])
def test_a_printed_card_scans_and_verifies_like_a_code_then_revoked_is_refused(client, world, size):
    devices, clerk = world
    rid = resident_id(301)
    person("陈阿婆", "A", rid=rid)
    resp = issue(client, clerk, rid, size=size)
    assert resp.status_code == 201, resp.get_json()
    card = resp.get_json()
    assert card["masked_name"] == "陈*婆" and card["size"] == size

    token = decode_pdf(_print(client, clerk, card))
    assert qr.is_card(token)
    bus = devices["transit"]["token"]
    ok = verify(client, bus, token).get_json()
    assert ok["outcome"] == "valid" and ok["via"] == "card", ok
    assert [p["code"] for p in ok["incentives"]] == ["bus-discount"]

    revoked = client.post(f"/api/dept/v1/resident-cards/{card['serial_printed']}/revoke", headers=clerk,
                          json={"reason": "挂失"})
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    refused = verify(client, bus, token).get_json()
    assert refused["outcome"] == "revoked" and refused["incentives"] == []
    assert redeem(client, bus, token, "bus-discount").status_code == 422
    assert client.get(card["pdf_url"], headers=clerk).status_code == 410  # a void card is not printed again


def test_the_card_carries_nothing_personal_and_two_cards_share_nothing(client, world):
    _, clerk = world
    rid = resident_id(302)
    subject = person("欧阳小明", "B", rid=rid)
    first = issue(client, clerk, rid, name="欧阳小明").get_json()
    second = issue(client, clerk, rid, name="欧阳小明").get_json()
    tokens = [decode_pdf(_print(client, clerk, c)) for c in (second,)]
    claims = json.loads(b64url_decode(tokens[0].split(".")[1]))
    assert set(claims) == {"cs", "exp"} and claims["cs"] == second["serial"]
    for secret in (rid, subject.handle, "欧阳", "小明"):
        assert secret not in tokens[0] and secret not in json.dumps(claims, ensure_ascii=False)
    assert first["serial"] != second["serial"]
    # One live card per person: the reissue voided the first (a lost card is replaced this way).
    assert db.session.get(ResidentCard, 1).revoke_reason
    issued = db.session.query(ResidentCard).filter_by(serial=second["serial"]).one().issued_at
    assert claims["exp"] - int(issued.timestamp()) == 365 * 86400  # at most a year
    assert issue(client, clerk, rid, valid_days=400).status_code == 422


def test_a_card_outlives_a_key_rotation(app, client, world, clock, runner):
    devices, clerk = world
    rid = resident_id(303)
    person("李伯", "A", rid=rid)
    token = decode_pdf(_print(client, clerk, issue(client, clerk, rid, name="李伯").get_json()))
    assert runner.invoke(args=["rotate-signing-key"]).exit_code == 0
    clock.advance(30 * 86400)  # far past the hour the ring keeps a retired key for phone codes
    assert verify(client, devices["transit"]["token"], token).get_json()["outcome"] == "valid"


def test_a_scenario_can_refuse_card_perks_that_need_a_live_code(client, world):
    devices, clerk = world
    db.session.get(Scenario, "transit").card_perks = False
    db.session.commit()
    rid = resident_id(304)
    person("黄姨", "A", rid=rid)
    token = decode_pdf(_print(client, clerk, issue(client, clerk, rid, name="黄姨").get_json()))
    bus = devices["transit"]["token"]
    seen = verify(client, bus, token).get_json()
    assert seen["outcome"] == "valid" and seen["incentives"] == []
    refused = redeem(client, bus, token, "bus-discount")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["details"]["reason"] == "live_code"
    assert "手机实时信用码" in refused.get_json()["error"]["message"]


def test_revoked_cards_are_listed_in_the_trust_bundle_and_refused_offline(client, world, clock):
    devices, clerk = world
    rid = resident_id(305)
    person("周叔", "A", rid=rid)
    card = issue(client, clerk, rid, name="周叔").get_json()
    token = decode_pdf(_print(client, clerk, card))
    bus = devices["transit"]["token"]
    now = int(clock())
    bundle = fetch_bundle(client, bus, now)
    assert qr.verify_offline(token, bundle, now=now).outcome == "valid"
    client.post(f"/api/dept/v1/resident-cards/{card['serial']}/revoke", headers=clerk, json={})
    bundle = fetch_bundle(client, bus, now)
    assert card["serial"] in bundle.revoked_cards
    result = qr.verify_offline(token, bundle, now=now)
    assert result.outcome == "revoked" and result.jti == f"card:{card['serial']}"


def test_only_windows_issue_cards_and_every_step_is_audited(client, world):
    _, clerk = world
    rid = resident_id(306)
    dept = bearer(operator_token("department"))
    assert issue(client, dept, rid).status_code == 403
    card = issue(client, clerk, rid).get_json()
    _print(client, clerk, card)
    client.post(f"/api/dept/v1/resident-cards/{card['serial']}/revoke", headers=clerk, json={})
    actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.seq)]
    assert {"resident_card.issue", "resident_card.print", "resident_card.revoke"} <= set(actions)
    assert all(rid not in json.dumps(e.details or {}) for e in db.session.query(AuditEntry))
    again = client.post(f"/api/dept/v1/resident-cards/{card['serial']}/revoke", headers=clerk, json={})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "card_revoked"
    assert client.post("/api/dept/v1/resident-cards/ZZZZZZZZZZZZ/revoke", headers=clerk,
                       json={}).status_code == 404


def test_the_card_pdf_embeds_the_font_and_prints_the_masked_name_only(client, world):
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler (pdftotext) is not installed")
    _, clerk = world
    rid = resident_id(307)
    card = issue(client, clerk, rid, name="陈阿婆", size="a6").get_json()
    pdf = _print(client, clerk, card)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "陈*婆" in text and card["serial_printed"] in text and "陈阿婆" not in text and rid not in text


def test_an_admin_sets_a_scenarios_choices_and_scanners_follow_at_once(client, world):
    devices, clerk = world
    admin = bearer(operator_token("admin"))
    listed = client.get("/api/dept/v1/scenarios", headers=admin).get_json()["items"]
    assert {s["code"]: (s["card_perks"], s["id_checks"]) for s in listed}["tourism"] == (False, False)
    resp = client.patch("/api/dept/v1/scenarios/transit", headers=admin, json={"card_perks": False})
    assert resp.status_code == 200 and resp.get_json()["card_perks"] is False
    rid = resident_id(308)
    person("林伯", "A", rid=rid)
    token = decode_pdf(_print(client, clerk, issue(client, clerk, rid, name="林伯").get_json()))
    assert verify(client, devices["transit"]["token"], token).get_json()["incentives"] == []
    assert client.patch("/api/dept/v1/scenarios/transit", headers=clerk, json={"id_checks": True}).status_code == 403
    assert client.patch("/api/dept/v1/scenarios/nowhere", headers=admin, json={"id_checks": True}).status_code == 404
    assert db.session.query(AuditEntry).filter(AuditEntry.action == "scenario.update").count() == 1


def test_a_card_shown_every_day_keeps_its_scans_and_grants(client, world, clock):
    """A card lives a year: the per-code cap on a device's recorded scans (re-taps) counts per hour for cards,
    so the same bus validator records and grants on the card the next day."""
    devices, clerk = world
    rid = resident_id(309)
    person("梁婶", "A", rid=rid)
    token = decode_pdf(_print(client, clerk, issue(client, clerk, rid, name="梁婶").get_json()))
    bus = devices["transit"]["token"]
    scan_ids = [verify(client, bus, token).get_json()["scan_id"] for _ in range(4)]
    assert len(set(scan_ids)) == 3  # re-taps within the hour: the fourth names the latest
    for day in range(2):
        clock.advance(86400)
        seen = verify(client, bus, token).get_json()
        assert seen["scan_id"] not in scan_ids
        resp = client.post("/api/scan/v1/redemptions", headers={**bearer(bus), "Idempotency-Key": f"card-day-{day}"},
                           json={"code": token, "incentive": "bus-discount", "scan_id": seen["scan_id"]})
        assert resp.status_code == 201, resp.get_json()
