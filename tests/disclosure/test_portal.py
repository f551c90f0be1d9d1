"""The portal: search by name part and by USCC (never persons), the subject page's sections, the red and black
lists, ETags and the CSP, the JSON twins and the JSON Feed (well-formed, stable ids, paginated)."""

from __future__ import annotations

from tests.credit.helpers import dept
from tests.disclosure.helpers import licence, penalty
from tests.factories import uscc_code

URL = "/api/dept/v1/disclosures"


def _file(client, body, kind="penalties"):
    resp = client.post(f"{URL}/{kind}", json=body, headers=dept())
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["decision"]


def test_search_by_name_part_and_by_uscc_but_never_persons(client):
    _file(client, penalty(n=101))
    _file(client, penalty("person", n=102))
    found = client.get("/api/public/v1/subjects", query_string={"q": "鲜活水产"}).get_json()
    assert [s["name"] for s in found["items"]] == ["汕尾市海丰鲜活水产有限公司101"]
    by_code = client.get("/api/public/v1/subjects", query_string={"q": uscc_code(101).lower()}).get_json()
    assert by_code["meta"]["total"] == 1 and by_code["items"][0]["uscc"] == uscc_code(101)
    assert client.get("/api/public/v1/subjects", query_string={"q": "欧阳"}).get_json()["meta"]["total"] == 0
    assert client.get("/api/public/v1/subjects", query_string={"q": "%_"}).get_json()["meta"]["total"] == 0
    assert client.get("/api/public/v1/subjects", query_string={"q": "鲜"}).status_code == 422  # two characters at least
    assert client.get("/api/public/v1/subjects", query_string={"q": "鲜活"}).get_json()["meta"]["total"] == 1
    page = client.get("/credit/search", query_string={"q": "鲜活"})
    assert page.status_code == 200 and "汕尾市海丰鲜活水产有限公司101" in page.get_data(as_text=True)
    assert "script-src" not in page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "<script" not in page.get_data(as_text=True)


def test_the_subject_page_has_every_section_and_only_published_records(client):
    shown = _file(client, penalty(n=110))
    _file(client, penalty(n=110, CF_WSH="汕市监罚〔2026〕暂缓1号", publish=False))
    _file(client, licence(n=110), "licences")
    handle = client.get("/api/public/v1/subjects", query_string={"q": uscc_code(110)}).get_json()["items"][0]["handle"]
    data = client.get(f"/api/public/v1/subjects/{handle}").get_json()
    for key in ("basic", "grade", "licences", "penalties", "red_list", "watch_list", "black_list", "commitments",
                "declarations", "how_to"):
        assert key in data
    assert [p["document_no"] for p in data["penalties"]] == [shown["document_no"]]
    assert data["penalties"][0]["objection"] is None and data["penalties"][0]["repair"] is None
    assert data["licences"][0]["licence_category"] == "普通"
    assert data["grade"]["scale"]["levels"][0]["zh"] == "优"
    page = client.get(f"/credit/s/{handle}")
    html = page.get_data(as_text=True)
    for title in ("基础信息", "信用等级", "行政许可", "行政处罚", "守信激励", "重点关注", "失信惩戒", "信用承诺", "自主申报",
                  "异议"):
        assert title in html
    assert "暂缓1号" not in html
    again = client.get(f"/credit/s/{handle}", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/credit/s/nosuchone").status_code == 404


def test_the_red_and_black_lists_show_basis_and_dates(client):
    _file(client, penalty(n=120))
    code = uscc_code(120)
    for list_type in ("red", "black"):
        resp = client.post("/api/dept/v1/list-entries", headers=dept(), json={
            "uscc": code, "list_type": list_type, "reason": "依法认定", "legal_basis": "《广东省社会信用条例》第三十条",
            "decision_document": f"汕市监{list_type}〔2026〕1号", "starts_on": "2026-11-01"})
        assert resp.status_code == 201, resp.get_json()
    for list_type in ("red", "black"):
        data = client.get(f"/api/public/v1/lists/{list_type}").get_json()
        assert data["items"][0]["uscc"] == code and data["items"][0]["starts_on"] == "2026-11-01"
        assert data["basis"] and "社会信用条例" in data["items"][0]["legal_basis"]
        html = client.get(f"/credit/lists/{list_type}").get_data(as_text=True)
        assert "2026-11-01" in html and "认定依据" in html


def test_the_feed_is_a_well_formed_paginated_json_feed_with_stable_ids(client, app):
    for n in range(130, 135):
        _file(client, penalty(n=n))
    d = _file(client, penalty(n=135))
    client.post(f"{URL}/{d['id']}/withdraw", headers=dept(), json={
        "cause": "revoked", "changed_on": "2026-11-20", "reason": "行政复议撤销", "document": "汕府复决〔2026〕9号"})
    first = client.get("/api/public/v1/feed.json")
    assert first.mimetype == "application/feed+json"
    body = first.get_json()
    assert body["version"] == "https://jsonfeed.org/version/1.1" and body["title"] and body["feed_url"]
    items = body["items"]
    assert items[0]["_shanwei"]["event"] == "withdrawal" and len(items) == 7
    for item in items:
        assert item["id"].startswith("tag:") and item["content_text"] and item["date_published"].endswith("Z")
    ids = [i["id"] for i in items]
    assert len(set(ids)) == len(ids)
    from backend.disclosure import feed

    paged = feed.feed(None, per_page=3)
    assert len(paged["items"]) == 3 and "next_url" in paged
    before = int(paged["next_url"].rsplit("=", 1)[1])
    page2 = client.get(f"/api/public/v1/feed.json?before={before}").get_json()
    assert [i["id"] for i in page2["items"]] == ids[3:]
    assert client.get("/api/public/v1/feed.json").get_json()["items"][0]["id"] == ids[0]  # stable


def test_the_merchant_page_links_to_its_portal_page(client, app):
    from tests.merchants.helpers import handle_of, merchant

    handle = handle_of(merchant())
    html = client.get(f"/m/{handle}").get_data(as_text=True)
    assert f"/credit/s/{handle}" in html
    assert client.get(f"/credit/s/{handle}").status_code == 200


def test_the_portal_shows_marks_and_repair_status_and_drops_repaired_penalties(client, app):
    """The portal reads credit's marks (issue 14) and publication states (issue 13) through disclosure.visibility."""
    from backend.models import CreditRecord
    from backend.platform.extensions import db

    filed = _file(client, penalty(n=120))
    record = db.session.query(CreditRecord).filter_by(document_no=filed["document_no"]).one()
    handle = client.get("/api/public/v1/subjects", query_string={"q": uscc_code(120)}).get_json()["items"][0]["handle"]
    mark = client.post("/api/dept/v1/marks", headers=dept(), json={
        "item": "record", "item_id": record.id, "kind": "litigation", "ref": "(2026)粤1502行初1号"})
    assert mark.status_code == 201, mark.get_json()
    shown = client.get(f"/api/public/v1/subjects/{handle}").get_json()["penalties"][0]
    assert shown["objection"] == "信息主体已提起行政诉讼，正在审理"
    assert "信息主体已提起行政诉讼，正在审理" in client.get(f"/credit/s/{handle}").get_data(as_text=True)

    record.publication_state = "repair_pending"
    db.session.commit()
    shown = client.get(f"/api/public/v1/subjects/{handle}").get_json()["penalties"][0]
    assert shown["repair"]["label"] == "公示中（信用修复申请办理中）"
    record.publication_state = "repaired"
    db.session.commit()
    assert client.get(f"/api/public/v1/subjects/{handle}").get_json()["penalties"] == []
