"""Merchant owners: market operators issue single-use, expiring binding codes; owners see their file."""

from __future__ import annotations

import datetime as dt
import io

import zxingcpp
from PIL import Image
from sqlalchemy import select

from backend.models import MerchantBindingCode, Subject
from backend.platform.audit import verify_chain
from backend.platform.clock import china_today as today
from backend.platform.extensions import db
from tests.factories import bearer, operator_token
from tests.miniprogram_api.helpers import at, market_merchant


def handle_of(merchant) -> str:
    return db.session.get(Subject, merchant.subject_id).handle


def issue(client, token, handle, **body):
    return client.post(f"/api/dept/v1/merchants/{handle}/binding-codes", json=body, headers=bearer(token))


def test_market_operator_issues_a_code_stored_hashed(client, clock):
    _, merchant = market_merchant()
    resp = issue(client, operator_token("market", market_slug="magong"), handle_of(merchant), note="档主陈先生")
    assert resp.status_code == 201
    body = resp.get_json()
    assert len(body["binding_code"]) == 11 and body["binding_code"][5] == "-"
    stored = db.session.execute(select(MerchantBindingCode)).scalar_one()
    assert body["binding_code"].replace("-", "") not in stored.code_hash
    assert stored.expires_at == at(clock, 72 * 3600)


def test_only_the_merchants_own_market_may_issue(client):
    _, merchant = market_merchant()
    market_merchant(slug="sanmalu", stall="B-02", name="步行街茶铺")
    other_market = operator_token("market", market_slug="sanmalu")
    resp = issue(client, other_market, handle_of(merchant))
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "out_of_scope"
    assert issue(client, operator_token("department"), handle_of(merchant)).status_code == 403
    assert issue(client, other_market, "nosuchhandle").status_code == 404


def test_binding_code_is_single_use(client, mp, other_mp):
    _, merchant = market_merchant()
    code = issue(client, operator_token("market", market_slug="magong"), handle_of(merchant)).get_json()["binding_code"]
    resp = mp.post("/me/merchants", json={"binding_code": code.lower().replace("-", " ")})
    assert resp.status_code == 201 and resp.get_json()["handle"] == handle_of(merchant)
    assert [m["stall_no"] for m in mp.get("/me").get_json()["merchants"]] == ["A-01"]
    again = other_mp.post("/me/merchants", json={"binding_code": code})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "binding_code_used"
    assert other_mp.get("/me/merchants").get_json() == []
    assert verify_chain().ok


def test_binding_code_expires(app, client, mp, clock):
    _, merchant = market_merchant()
    code = issue(client, operator_token("market", market_slug="magong"), handle_of(merchant)).get_json()["binding_code"]
    clock.advance(app.config["MERCHANT_BINDING_TTL_SECONDS"] + 1)
    resp = mp.post("/me/merchants", json={"binding_code": code})
    assert resp.status_code == 410 and resp.get_json()["error"]["code"] == "binding_code_expired"


def test_wrong_binding_code_is_422(mp):
    for wrong in ("ABCDE-FGHJK", "short"):
        resp = mp.post("/me/merchants", json={"binding_code": wrong})
        assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "invalid_binding_code"


def owner_of_merchant(client, mp):
    _, merchant = market_merchant()
    code = issue(client, operator_token("market", market_slug="magong"), handle_of(merchant)).get_json()["binding_code"]
    assert mp.post("/me/merchants", json={"binding_code": code}).status_code == 201
    return merchant


def test_owner_sees_inspections_and_grade_breakdown(client, mp, other_mp):
    merchant = owner_of_merchant(client, mp)
    body = {"product": "对虾", "sampled_on": (today() - dt.timedelta(days=5)).isoformat(), "agency": "汕尾市食品检验所",
            "result": "fail", "failed_items": "恩诺沙星", "report_no": "SW-2026-0101"}
    resp = client.post(f"/api/dept/v1/merchants/{merchant.id}/inspections", json=body,
                       headers=bearer(operator_token("market", market_slug="magong")))
    assert resp.status_code == 201
    body = mp.get(f"/me/merchants/{handle_of(merchant)}").get_json()
    assert body["grade"] == "C" and body["score"] == 63 and body["model_version"] == "v2"
    (line,) = body["breakdown"]["records"]
    assert (line["document_no"], line["points"]) == ("SW-2026-0101", -12) and "抽检" in line["rule"]
    assert body["breakdown"]["base_score"] + line["points"] == body["breakdown"]["score"] == body["score"]
    assert body["history"][0]["grade"] == "C"
    assert [(i["product"], i["result"], i["failed_items"]) for i in body["inspections"]] == [("对虾", "fail", "恩诺沙星")]
    assert other_mp.get(f"/me/merchants/{handle_of(merchant)}").status_code == 404


def test_owner_gets_a_mini_program_code_for_the_merchant_page(app, client, mp, other_mp, wechat):
    merchant = owner_of_merchant(client, mp)
    resp = mp.get(f"/me/merchants/{handle_of(merchant)}/wxacode.png")
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(resp.data)))
    assert found.text == f"m={handle_of(merchant)}"
    (sent,) = wechat.requests_to("/wxa/getwxacodeunlimit")
    assert sent.json["page"] == app.config["MP_MERCHANT_PAGE"] and len(sent.json["scene"]) <= 32
    assert other_mp.get(f"/me/merchants/{handle_of(merchant)}/wxacode.png").status_code == 404


def test_wechat_quota_on_the_mini_program_code_is_429(client, mp, wechat):
    merchant = owner_of_merchant(client, mp)
    wechat.fail_next("/wxa/getwxacodeunlimit", 45009, "reach max api daily quota limit")
    resp = mp.get(f"/me/merchants/{handle_of(merchant)}/wxacode.png")
    assert resp.status_code == 429 and resp.get_json()["error"]["code"] == "wechat_rate_limited"


def test_owner_fetches_the_printable_poster(app, client, mp, other_mp):
    merchant = owner_of_merchant(client, mp)
    handle = handle_of(merchant)
    png = mp.get(f"/me/merchants/{handle}/poster.png")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.headers["Cache-Control"] == "no-store"
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    assert found.text == f"{app.config['PUBLIC_BASE_URL']}/m/{handle}-1"
    assert client.get(found.text.removeprefix(app.config["PUBLIC_BASE_URL"])).status_code == 200
    pdf = mp.get(f"/me/merchants/{handle}/poster.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    for suffix in ("png", "pdf"):
        refused = other_mp.get(f"/me/merchants/{handle}/poster.{suffix}")
        assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"
        assert client.get(f"/api/mp/v1/me/merchants/{handle}/poster.{suffix}").status_code == 401


def test_poster_endpoints_are_documented_as_binary(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for suffix, mimetype in (("png", "image/png"), ("pdf", "application/pdf")):
        op = paths[f"/api/mp/v1/me/merchants/{{handle}}/poster.{suffix}"]["get"]
        assert op["responses"]["200"]["content"][mimetype]["schema"]["format"] == "binary"
        assert op["security"] == [{"mpSession": []}]
