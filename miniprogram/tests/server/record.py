"""Record the API responses the page tests render from (miniprogram/tests/fixtures/recorded.json).

Runs the real app (test client, throwaway SQLite, the fake WeChat) through what a resident and a merchant
owner do: log in, face verification, code, credit with a record, a scan with a perk granted, perks, a
merchant bound by code with an inspection, the public sticker view. Every answer is kept with the method
and path template it came from, so the page tests (and the drift test) know which call it answers.

    .venv/bin/python miniprogram/tests/server/record.py      # after an API change, then review the diff
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from backend.app import create_app  # noqa: E402
from backend.config import TestConfig  # noqa: E402
from backend.demo.wechat_fake import FakeWeChat  # noqa: E402
from backend.models import Base  # noqa: E402
from backend.platform.extensions import db  # noqa: E402
from tests.conftest import seed_calendar  # noqa: E402
from tests.credit.helpers import TAX, days_ago, dept, penalty, record, sync_catalogue  # noqa: E402
from tests.factories import bearer, operator_token, resident_id  # noqa: E402
from tests.merchants.helpers import handle_of, market_operator, merchant  # noqa: E402
from tests.miniprogram_api.helpers import MpClient  # noqa: E402
from tests.scanning.helpers import redeem, scan_setup, verify  # noqa: E402

OUT = ROOT / "miniprogram" / "tests" / "fixtures" / "recorded.json"
# Fixed names: the page tests look answers up by these.
ERROR_SAMPLE = "GET /api/mp/v1/me/code (unbound)"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Every push event has a template here (production configures them all), so the resident is asked for five.
TEMPLATES = {event: {"template_id": f"tmpl-{event.replace('_', '-')}-0001", "page": "pages/credit/index",
                     "title": title, "fields": {"thing1": "title", "date2": "date"}}
             for event, title in (("risk_warning", "信用风险提示"), ("record_filed", "信用记录变动提醒"),
                                  ("repair_changed", "信用修复进度提醒"), ("objection_changed", "异议处理进度提醒"),
                                  ("report_ready", "信用报告生成提醒"))}


def keep(out: dict, name: str, method: str, template: str, resp) -> dict:
    body = resp.get_json() if resp.mimetype == "application/json" else None
    out[name] = {"method": method, "path": template, "status": resp.status_code, "body": body}
    return body


def services(out: dict, client, fake: FakeWeChat) -> None:
    """林秀英 uses the credit services: repair, objection, declaration, preferences, report, queries, messages."""
    sync_catalogue()
    rid = resident_id(78)
    samr, admin = dept(), bearer(operator_token("admin"))
    user = MpClient(client, fake, "o-recorder-services").login()
    assert user.bind(rid, name="林秀英").status_code == 200
    templates = keep(out, "GET /api/mp/v1/subscribe-templates", "GET", "/api/mp/v1/subscribe-templates",
                     user.get("/subscribe-templates"))
    choices = {t["template_id"]: "accept" for t in templates["items"]}
    choices[TEMPLATES["risk_warning"]["template_id"]] = "reject"
    keep(out, "POST /api/mp/v1/me/subscriptions", "POST", "/api/mp/v1/me/subscriptions",
         user.post("/me/subscriptions", json={"results": choices}))
    for template_id, choice in choices.items():  # what WeChat keeps when the user taps 允许 (3 times over)
        if choice == "accept":
            fake.subscribe(user.openid, template_id, times=3)

    old = client.post("/api/dept/v1/records", headers=samr, json=penalty(
        {"resident_id": rid}, severity="general", severity_class="general", title="未按规定公示食品经营许可",
        decided_on=days_ago(200))).get_json()["record"]
    recent = client.post("/api/dept/v1/records", headers=samr, json=penalty(
        {"resident_id": rid}, severity="general", severity_class="general", title="销售不合格食用农产品",
        decided_on=days_ago(20))).get_json()["record"]
    # The report before the watch-list entry: a report with the watch_list domain about a listed subject answers
    # 500 on this backend (disclosure/reports.py passes a ListEntry to visibility.repair_status) — reported.
    report = keep(out, "POST /api/mp/v1/me/reports", "POST", "/api/mp/v1/me/reports", client.post(
        "/api/mp/v1/me/reports", headers={**bearer(user.token), "Idempotency-Key": "mp-record-report-1"}, json={
            "period_from": days_ago(365), "period_to": days_ago(1), "purpose": "招投标",
            "domains": ["admin_penalty", "court_dishonesty", "watch_list"]}))
    keep(out, "GET /api/mp/v1/me/reports", "GET", "/api/mp/v1/me/reports", user.get("/me/reports"))
    assert user.get(f"/me/reports/{report['report_no']}.pdf").mimetype == "application/pdf"

    watch = client.post("/api/dept/v1/list-entries", headers=samr, json={
        "resident_id": rid, "list_type": "watch", "reason": "一年内两次因食品安全问题受到行政处罚",
        "legal_basis": "《广东省社会信用条例》第三十条", "decision_document": "汕市监关〔2026〕12号",
        "starts_on": days_ago(10)})
    assert watch.status_code == 201, watch.get_json()
    keep(out, "GET /api/mp/v1/me/credit (services)", "GET", "/api/mp/v1/me/credit", user.get("/me/credit"))
    keep(out, "GET /api/mp/v1/me/repairs (none yet)", "GET", "/api/mp/v1/me/repairs", user.get("/me/repairs"))
    keep(out, "GET /api/mp/v1/me/repairs/commitment", "GET", "/api/mp/v1/me/repairs/commitment",
         user.get("/me/repairs/commitment"))
    applied = keep(out, "POST /api/mp/v1/me/repairs", "POST", "/api/mp/v1/me/repairs", user.post(
        "/me/repairs", content_type="multipart/form-data", data={
            "record_id": str(old["id"]), "statement": "已于期限内缴清罚款，并在店内显著位置公示了食品经营许可证。",
            "sign_commitment": "true", "files": [(io.BytesIO(PDF), "缴款凭证.pdf")]}))
    returned = client.post(f"/api/dept/v1/repairs/{applied['ref']}/return", headers=samr,
                           json={"items": ["整改情况报告（加盖公章）"]})
    assert returned.status_code == 200, returned.get_json()
    keep(out, "GET /api/mp/v1/me/repairs (returned)", "GET", "/api/mp/v1/me/repairs", user.get("/me/repairs"))
    keep(out, "POST /api/mp/v1/me/repairs/{ref}/completion", "POST", "/api/mp/v1/me/repairs/{ref}/completion",
         user.post(f"/me/repairs/{applied['ref']}/completion", content_type="multipart/form-data", data={
             "note": "补充整改情况报告", "files": [(io.BytesIO(PDF), "整改情况报告.pdf")]}))
    keep(out, "POST /api/mp/v1/me/repairs (too early)", "POST", "/api/mp/v1/me/repairs", user.post(
        "/me/repairs", content_type="multipart/form-data", data={
            "record_id": str(recent["id"]), "statement": "已缴清罚款。", "sign_commitment": "true",
            "files": [(io.BytesIO(PDF), "缴款凭证.pdf")]}))

    filed = keep(out, "POST /api/mp/v1/me/objections", "POST", "/api/mp/v1/me/objections", user.post(
        "/me/objections", json={"item": "record", "item_id": recent["id"], "grounds": "wrong_facts",
                                "statement": "抽检的农产品并非本店销售，决定书载明的摊位号有误。",
                                "corrections": [{"field": "title", "current": recent["title"],
                                                 "proposed": "（摊位号有误，非本人经营）"}]}))
    keep(out, "POST /api/mp/v1/me/objections/{number}/evidence", "POST", "/api/mp/v1/me/objections/{number}/evidence",
         client.post(f"/api/mp/v1/me/objections/{filed['number']}/evidence", headers=bearer(user.token),
                     content_type="multipart/form-data", data={"files": [(io.BytesIO(PDF), "摊位租赁合同.pdf")]}))
    keep(out, "POST /api/mp/v1/me/objections (open)", "POST", "/api/mp/v1/me/objections", user.post(
        "/me/objections", json={"item": "record", "item_id": recent["id"], "grounds": "other",
                                "statement": "再次提出异议，请核实。"}))
    client.post(f"/api/dept/v1/objections/{filed['number']}/accept", headers=admin)
    client.post(f"/api/dept/v1/objections/{filed['number']}/check", headers=admin, json={"own_error": False})
    client.post(f"/api/dept/v1/objections/{filed['number']}/decide", headers=samr,
                json={"outcome": "upheld", "reason": "经现场核查，摊位登记信息与决定书一致，维持原信息。"})
    keep(out, "GET /api/mp/v1/me/objections", "GET", "/api/mp/v1/me/objections", user.get("/me/objections"))
    keep(out, "GET /api/mp/v1/me/objections/{number}", "GET", "/api/mp/v1/me/objections/{number}",
         user.get(f"/me/objections/{filed['number']}"))
    keep(out, "POST /api/mp/v1/me/objections/{number}/review", "POST", "/api/mp/v1/me/objections/{number}/review",
         user.post(f"/me/objections/{filed['number']}/review",
                   json={"reason": "核查时未调取市场的摊位租赁登记，请复核。"}))

    keep(out, "GET /api/mp/v1/me/declarations/commitment", "GET", "/api/mp/v1/me/declarations/commitment",
         user.get("/me/declarations/commitment"))
    keyed = {**bearer(user.token), "Idempotency-Key": "mp-record-declaration-1"}  # as the mini-program sends it
    declared = keep(out, "POST /api/mp/v1/me/declarations", "POST", "/api/mp/v1/me/declarations", client.post(
        "/api/mp/v1/me/declarations", headers=keyed, json={
            "category": "public_welfare", "title": "汕尾市志愿服务时长证明（120小时）", "issuer": "汕尾市志愿者联合会",
            "document_no": "SWZY2026-0318", "issued_on": days_ago(30), "department": "汕尾市民政局",
            "commitment_accepted": True}))
    keep(out, "POST /api/mp/v1/me/declarations/{number}/evidence", "POST",
         "/api/mp/v1/me/declarations/{number}/evidence",
         client.post(f"/api/mp/v1/me/declarations/{declared['number']}/evidence", headers=bearer(user.token),
                     content_type="multipart/form-data", data={"files": [(io.BytesIO(PDF), "志愿服务证明.pdf")]}))
    civil = bearer(operator_token("department", department="汕尾市民政局"))
    asked = client.post(f"/api/dept/v1/declarations/{declared['number']}/decide", headers=civil,
                        json={"decision": "more_info", "note": "请补充志愿服务记录系统的时长截图。"})
    assert asked.status_code == 200, asked.get_json()
    keep(out, "GET /api/mp/v1/me/declarations (more info)", "GET", "/api/mp/v1/me/declarations",
         user.get("/me/declarations"))
    client.post(f"/api/mp/v1/me/declarations/{declared['number']}/evidence", headers=bearer(user.token),
                content_type="multipart/form-data", data={"files": [(io.BytesIO(PDF), "时长截图.pdf")]})
    keep(out, "POST /api/mp/v1/me/declarations/{number}/supplement", "POST",
         "/api/mp/v1/me/declarations/{number}/supplement",
         user.post(f"/me/declarations/{declared['number']}/supplement", json={"note": "已上传志愿服务时长截图。"}))
    keep(out, "GET /api/mp/v1/me/declarations", "GET", "/api/mp/v1/me/declarations", user.get("/me/declarations"))
    keep(out, "GET /api/mp/v1/me/preferences", "GET", "/api/mp/v1/me/preferences", user.get("/me/preferences"))
    keep(out, "PUT /api/mp/v1/me/preferences", "PUT", "/api/mp/v1/me/preferences",
         client.put("/api/mp/v1/me/preferences", headers=bearer(user.token), json={"hides_positive": True}))

    tax = bearer(operator_token("department", department=TAX))
    for path, who, purpose in (("/subjects/file", samr, "行政许可审查"), ("/joint-measures", tax, "评先评优资格审查"),
                               ("/subjects/grade", samr, "信用核查")):
        assert client.get("/api/dept/v1" + path, headers=who,
                          query_string={"resident_id": rid, "purpose": purpose}).status_code == 200
    keep(out, "GET /api/mp/v1/me/queries", "GET", "/api/mp/v1/me/queries",
         user.get("/me/queries", query_string={"page": 1, "per_page": 2}))
    keep(out, "GET /api/mp/v1/me/queries (page 2)", "GET", "/api/mp/v1/me/queries",
         user.get("/me/queries", query_string={"page": 2, "per_page": 2}))
    keep(out, "GET /api/mp/v1/me/messages", "GET", "/api/mp/v1/me/messages", user.get("/me/messages"))
    keep(out, "GET /api/mp/v1/me/repairs", "GET", "/api/mp/v1/me/repairs", user.get("/me/repairs"))


def main() -> None:
    out: dict = {}
    with FakeWeChat() as fake:
        app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                          "SQLALCHEMY_DATABASE_URI": "sqlite://", "WECHAT_APP_ID": fake.app_id,
                          "WECHAT_APP_SECRET": fake.app_secret, "WECHAT_API_BASE_URL": fake.base_url,
                          "SUBSCRIBE_TEMPLATES": TEMPLATES})
        with app.app_context():
            Base.metadata.create_all(db.engine)
            seed_calendar()  # the working-day calendar a migrated database has: real deadlines in the answers
            client = app.test_client()
            devices = scan_setup()
            rid = resident_id(77)
            client.post("/api/dept/v1/records", json=record({"resident_id": rid}, "honour", title="汕尾市优秀志愿者"),
                        headers=dept())
            client.post("/api/dept/v1/records", json=penalty({"resident_id": rid}, severity="minor",
                                                              title="占道经营"), headers=dept())
            user = MpClient(client, fake, "o-recorder").login()
            keep(out, ERROR_SAMPLE, "GET", "/api/mp/v1/me/code", user.get("/me/code"))
            keep(out, "GET /api/mp/v1/me (unbound)", "GET", "/api/mp/v1/me", user.get("/me"))
            start = user.post("/me/identity/face-verifications", json={"name": "陈晓明", "id_number": rid})
            keep(out, "POST /api/mp/v1/me/identity/face-verifications", "POST",
                 "/api/mp/v1/me/identity/face-verifications", start)
            fake.finish_face_verification(start.get_json()["verify_id"])
            keep(out, "POST /api/mp/v1/me/identity/face-verifications/{verification_id}/confirm", "POST",
                 "/api/mp/v1/me/identity/face-verifications/{verification_id}/confirm",
                 user.post(f"/me/identity/face-verifications/{start.get_json()['verification_id']}/confirm"))
            other = MpClient(client, fake, "o-recorder-2").login()
            keep(out, "POST /api/mp/v1/me/identity/counter-code", "POST", "/api/mp/v1/me/identity/counter-code",
                 other.post("/me/identity/counter-code"))
            code = keep(out, "GET /api/mp/v1/me/code", "GET", "/api/mp/v1/me/code", user.get("/me/code"))
            scan = verify(client, devices["transit"]["token"], code["code"]).get_json()
            redeem(client, devices["transit"]["token"], code["code"], "bus-discount")
            del scan
            keep(out, "GET /api/mp/v1/me/credit", "GET", "/api/mp/v1/me/credit", user.get("/me/credit"))
            keep(out, "GET /api/mp/v1/me/scans", "GET", "/api/mp/v1/me/scans", user.get("/me/scans"))
            keep(out, "GET /api/mp/v1/incentives", "GET", "/api/mp/v1/incentives", user.get("/incentives"))

            stall = merchant("阿海鲜活水产", "B")
            handle = handle_of(stall)
            market = market_operator()
            client.post(f"/api/dept/v1/merchants/{handle}/inspections", headers=bearer(market), json={
                "product": "鲜活对虾", "sampled_on": "2026-11-20", "agency": "汕尾市食品检验所", "result": "pass",
                "report_no": "SWJ2026-0001"})
            binding = client.post(f"/api/dept/v1/merchants/{handle}/binding-codes", headers=bearer(market),
                                  json={}).get_json()["binding_code"]
            keep(out, "POST /api/mp/v1/me/merchants", "POST", "/api/mp/v1/me/merchants",
                 user.post("/me/merchants", json={"binding_code": binding}))
            keep(out, "GET /api/mp/v1/me/merchants", "GET", "/api/mp/v1/me/merchants", user.get("/me/merchants"))
            keep(out, "GET /api/mp/v1/me/merchants/{handle}", "GET", "/api/mp/v1/me/merchants/{handle}",
                 user.get(f"/me/merchants/{handle}"))
            keep(out, "GET /api/public/v1/merchants/{ref}", "GET", "/api/public/v1/merchants/{ref}",
                 client.get(f"/api/public/v1/merchants/{handle}"))
            keep(out, "GET /api/mp/v1/me", "GET", "/api/mp/v1/me", user.get("/me"))
            keep(out, "POST /api/mp/v1/me/code/revoke", "POST", "/api/mp/v1/me/code/revoke",
                 user.post("/me/code/revoke"))
            services(out, client, fake)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    print(f"recorded {len(out)} answers into {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
