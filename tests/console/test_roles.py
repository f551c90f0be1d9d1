"""Service-window, partner and admin pages; the settlement API (GET /redemptions) a partner lacked."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from backend.models import AuditEntry, MpAccount, Operator, ScannerDevice, SigningKey
from backend.platform.clock import CHINA
from backend.platform.extensions import db
from tests.console.helpers import ConsoleClient, signed_in, text_of
from tests.factories import bearer, operator_token, person, resident_id
from tests.miniprogram_api.helpers import MpClient
from tests.scanning.helpers import code_for, redeem, scan_setup


@pytest.fixture
def wechat(app):
    from backend.demo.wechat_fake import FakeWeChat

    with FakeWeChat() as fake:
        app.config.update(WECHAT_APP_ID=fake.app_id, WECHAT_APP_SECRET=fake.app_secret,
                          WECHAT_API_BASE_URL=fake.base_url)
        yield fake


def test_counter_binding_at_the_window(client, wechat):
    mp = MpClient(client, wechat, "o-window-1").login()
    code = mp.post("/me/identity/counter-code").get_json()["counter_code"]
    clerk = ConsoleClient(client.application.test_client())
    clerk.sign_in(operator_token("window", department="汕尾市政务服务中心"))
    rid = resident_id(77)
    wrong = clerk.post("/console/counter-binding", {"counter_code": "ABCDEFGH", "name": "陈晓明", "id_number": rid})
    assert wrong.status_code == 422 and "核验码不正确" in text_of(wrong)
    resp = clerk.post("/console/counter-binding", {"counter_code": code, "name": "陈晓明", "id_number": rid})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "已完成实名绑定" in html and rid not in html and rid[-4:] in html
    assert db.session.execute(select(MpAccount)).scalar_one().subject_id is not None
    again = clerk.post("/console/counter-binding", {"counter_code": code, "name": "陈晓明", "id_number": rid})
    assert again.status_code == 422 and "已经使用过" in text_of(again)


def partner_client(client) -> ConsoleClient:
    c = ConsoleClient(client)
    assert c.sign_in(operator_token("partner", partner_name="汕尾市公共交通有限公司")).status_code == 303
    return c


def test_partner_devices_token_shown_once_and_revoked(client):
    scan_setup()
    c = partner_client(client)
    resp = c.post("/console/devices", {"name": "2 路公交验码机"})
    token = resp.get_data(as_text=True).split('id="once-value">')[1].split("<")[0]
    assert token.startswith("dev_")
    assert token not in c.get("/console/devices").get_data(as_text=True)  # shown that once
    device = db.session.execute(select(ScannerDevice).where(ScannerDevice.name == "2 路公交验码机")).scalar_one()
    assert "南门闸机" not in text_of(c.get("/console/devices"))  # another partner's device
    assert c.post(f"/console/devices/{device.id}/revoke").status_code == 200
    db.session.refresh(device)
    assert device.revoked_at is not None
    hotel = db.session.execute(select(ScannerDevice).where(ScannerDevice.name == "前台扫码枪")).scalar_one()
    assert c.post(f"/console/devices/{hotel.id}/revoke").status_code == 404  # not this partner's


def test_partner_incentives(client):
    scan_setup()
    c = partner_client(client)
    resp = c.post("/console/incentives", {"code": "bus-night", "title": "夜班公交免费", "eligible_grades": "A",
                                          "quota_count": "2", "quota_period": "day"})
    assert "已创建激励措施" in text_of(resp), text_of(resp)[-600:]
    page = text_of(c.get("/console/incentives"))
    assert "夜班公交免费" in page and "景区门票八折" not in page


def grants(client, devices, n: int = 2) -> None:
    bus, hotel = devices["transit"]["token"], devices["lodging"]["token"]
    for i in range(n):
        assert redeem(client, bus, code_for(person(rid=resident_id(500 + i))), "bus-discount").status_code == 201
    assert redeem(client, hotel, code_for(person(rid=resident_id(600))), "hotel-deposit-free").status_code == 201


def test_settlement_api_a_partner_sees_its_own_devices_only(client, clock):
    devices = scan_setup()
    grants(client, devices)
    today = dt.datetime.fromtimestamp(clock(), CHINA).date()
    bus = bearer(operator_token("partner", partner_name="汕尾市公共交通有限公司"))
    resp = client.get("/api/dept/v1/redemptions", query_string={"day": today.isoformat()}, headers=bus)
    body = resp.get_json()
    assert resp.status_code == 200, body
    assert body["granted"] == 2 and {i["device"] for i in body["items"]} == {"1路公交车载验码机"}
    assert body["totals"] == [{"device_id": devices["transit"]["id"], "device": "1路公交车载验码机",
                               "incentive": "bus-discount", "incentive_title": "信用+公交 乘车九折", "granted": 2,
                               "flagged": 0}]
    assert all(i["receipt_id"] for i in body["items"]) and "subject" not in str(body["items"][0].keys())
    month = client.get("/api/dept/v1/redemptions", query_string={"month": today.strftime("%Y-%m")}, headers=bus)
    assert month.get_json()["granted"] == 2
    yesterday = client.get("/api/dept/v1/redemptions", query_string={"day": (today - dt.timedelta(days=1)).isoformat()},
                           headers=bus)
    assert yesterday.get_json()["granted"] == 0
    admin = client.get("/api/dept/v1/redemptions", query_string={"day": today.isoformat()},
                       headers=bearer(operator_token("admin")))
    assert admin.get_json()["granted"] == 3
    both = client.get("/api/dept/v1/redemptions", query_string={"day": today.isoformat(), "month": "2026-01"},
                      headers=bus)
    assert both.status_code == 422 and both.get_json()["error"]["code"] == "invalid_input"
    neither = client.get("/api/dept/v1/redemptions", headers=bus)
    assert neither.status_code == 422
    bad_month = client.get("/api/dept/v1/redemptions", query_string={"month": "2026-13"}, headers=bus)
    assert bad_month.status_code == 422
    market = client.get("/api/dept/v1/redemptions", query_string={"day": today.isoformat()},
                        headers=bearer(operator_token("department")))
    assert market.status_code == 403


def test_settlement_page_and_csv(client, clock):
    devices = scan_setup()
    grants(client, devices, n=3)
    c = partner_client(client)
    page = c.get("/console/settlement")
    text = text_of(page)
    assert page.status_code == 200 and "已发放 3 次" in text and "前台扫码枪" not in text
    assert 'id="totals"' in page.get_data(as_text=True)
    month = dt.datetime.fromtimestamp(clock(), CHINA).strftime("%Y-%m")
    export = c.get("/console/settlement", query_string={"month": month, "format": "csv"})
    rows = export.data.decode("utf-8-sig").strip().splitlines()
    assert rows[0].startswith("时间（北京时间）,设备,激励措施") and len(rows) == 4
    totals = c.get("/console/settlement", query_string={"month": month, "format": "csv", "part": "totals"})
    assert "1路公交车载验码机,信用+公交 乘车九折,3,0" in totals.data.decode("utf-8-sig")


def test_admin_operators_keys_audit_and_overview(client):
    c = signed_in(client, "admin")
    resp = c.post("/console/operators", {"name": "税务局张三", "role": "department", "department": "汕尾市税务局"})
    token = resp.get_data(as_text=True).split('id="once-value">')[1].split("<")[0]
    assert token.startswith("op_")
    missing = c.post("/console/operators", {"name": "无部门", "role": "department"})
    assert missing.status_code == 200 and "需要指定所属部门" in text_of(missing)
    new = db.session.execute(select(Operator).where(Operator.name == "税务局张三")).scalar_one()
    assert c.post(f"/console/operators/{new.id}/revoke").status_code == 200
    assert ConsoleClient(client.application.test_client()).sign_in(token, follow=False).status_code == 401
    before = db.session.scalar(select(SigningKey.kid).where(SigningKey.is_signer.is_(True)))
    resp = c.post("/console/signing-keys")
    assert "已启用新的签名密钥" in text_of(resp)
    assert db.session.scalar(select(SigningKey.kid).where(SigningKey.is_signer.is_(True))) != before
    audit = c.get("/console/audit-log", query_string={"verify": "1"})
    assert "校验通过" in text_of(audit) and "operator.create" in text_of(audit)
    export = c.get("/console/audit-log", query_string={"format": "csv", "action": "operator.revoke"})
    assert export.data.decode("utf-8-sig").count("operator.revoke") == 1
    overview = text_of(c.get("/console/overview"))
    assert "信用主体" in overview and "在用操作员" in overview
    rotated = db.session.execute(select(AuditEntry).where(AuditEntry.action == "signing_key.rotate")).scalar_one()
    assert rotated.actor == f"operator:{db.session.scalar(select(Operator.id).where(Operator.role == 'admin'))}"
