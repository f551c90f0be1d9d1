"""A person's penalty fed through 双公示 never shows the person's name or id number on any public output: the
portal pages, their JSON twins, the lists, the feed and the report verification page."""

from __future__ import annotations

from urllib.parse import urlparse

from backend.models import Subject
from backend.platform.extensions import db
from tests.credit.helpers import dept
from tests.disclosure.helpers import penalty
from tests.factories import resident_id

NAME = "欧阳震华"
PHONE = "13800138000"


def test_a_persons_penalty_reaches_no_public_output(client, mp):
    rid = resident_id(501)
    body = penalty("person", n=501, CF_XDR_ZJHM=rid,
                   CF_SY=f"当事人{NAME}（身份证号{rid}，电话{PHONE}）在马宫市场销售不合格水产品。",
                   CF_NR=f"对{NAME}罚款人民币五百元", CF_NR_FK="0.05")
    filed = client.post("/api/dept/v1/disclosures/penalties", json=body, headers=dept())
    assert filed.status_code == 201, filed.get_json()
    business = penalty("individual", n=502, CF_FRDB=NAME, CF_SY=f"经营者{NAME}未索证索票。")
    assert client.post("/api/dept/v1/disclosures/penalties", json=business, headers=dept()).status_code == 201
    assert client.post("/api/dept/v1/list-entries", headers=dept(), json={
        "resident_id": rid, "list_type": "black", "reason": "严重失信", "legal_basis": "《广东省社会信用条例》",
        "decision_document": "汕市监黑〔2026〕1号", "starts_on": "2026-11-01"}).status_code == 201
    d = filed.get_json()["decision"]
    client.post(f"/api/dept/v1/disclosures/{d['id']}/withdraw", headers=dept(), json={
        "cause": "changed", "changed_on": "2026-11-25", "reason": f"{NAME}申请复议，决定变更",
        "document": "汕府复决〔2026〕11号"})
    person = db.session.query(Subject).filter_by(kind="person").one()
    # the person's own report, and its public verification page
    assert mp.bind(rid, name=NAME).status_code == 200
    report = mp.post("/me/reports", json={"period_from": "2026-01-01", "period_to": "2026-11-30",
                                          "purpose": "评优评先", "domains": ["admin_penalty"]}).get_json()
    verify = urlparse(report["verify_url"])

    outputs = {}
    for path in ("/credit", f"/credit/search?q={NAME}", f"/credit/search?q={NAME[:2]}", f"/credit/search?q={rid}",
                 "/credit/lists/black", "/credit/lists/red", f"/credit/s/{person.handle}",
                 f"/api/public/v1/subjects?q={NAME}", f"/api/public/v1/subjects?q={rid}",
                 f"/api/public/v1/subjects/{person.handle}", "/api/public/v1/lists/black", "/api/public/v1/feed.json",
                 f"{verify.path}?{verify.query}", f"/api/public/v1/reports/{report['report_no']}?{verify.query}"):
        resp = client.get(path)
        text = resp.get_data(as_text=True)
        if "?q=" in path:  # a search page repeats what was typed: that echo is the searcher's, not our data
            text = text.replace(path.split("?q=", 1)[1], "")
            if path.startswith("/api/"):
                assert resp.get_json()["meta"]["total"] == 0
        outputs[path] = text
    business_handle = client.get("/api/public/v1/subjects?q=阿海水产档502").get_json()["items"][0]["handle"]
    outputs["business"] = client.get(f"/credit/s/{business_handle}").get_data(as_text=True)
    outputs["business.json"] = client.get(f"/api/public/v1/subjects/{business_handle}").get_data(as_text=True)
    for path, text in outputs.items():
        for secret in (NAME, rid, rid[-6:], PHONE, person.handle if "subjects/" not in path and "/s/" not in path
                       else "\x00"):
            assert secret not in text, (path, secret)
    feed = client.get("/api/public/v1/feed.json").get_json()
    assert any("自然人" in i["title"] for i in feed["items"])  # the person's decision is there, de-identified
    assert client.get(f"/credit/s/{person.handle}").status_code == 404
