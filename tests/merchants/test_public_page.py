"""GET /m/<merchant> and its JSON twin: content per grade, inspections, lists, void and unknown codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from backend.merchants.pages import GRADE_MEANING
from backend.models import CreditCommitment
from backend.platform.clock import utcnow
from tests.factories import bearer, uscc_code
from tests.merchants.helpers import handle_of, inspection, listing, market_operator, merchant, row_subject

GRADES = {"A": ("优", "grade-A"), "B": ("良", "grade-B"), "C": ("中", "grade-C"), "D": ("差", "grade-D")}


def page(client, path: str, status: int = 200) -> str:
    resp = client.get(path)
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "text/html"
    return resp.get_data(as_text=True)


@pytest.mark.parametrize("grade", "ABCD")
def test_page_shows_name_market_stall_and_grade(client, grade):
    row = merchant("林记渔行", grade=grade, stall_no="M018", business_scope="海鱼批发")
    html = page(client, f"/m/{handle_of(row)}-1")
    zh, css = GRADES[grade]
    assert "林记渔行" in html and "马宫水产品批发市场" in html and "摊位号 M018" in html and "海鱼批发" in html
    assert f'class="grade {css}"' in html
    assert re.search(rf'id="grade-letter"[^>]*>{zh}</div>', html)
    assert GRADE_MEANING[grade] in html
    assert "评价更新于" in html and "12315" in html
    shown = html.split('id="grade">')[1].split("</section>")[0]  # the grade box itself
    for other, (other_zh, other_css) in GRADES.items():
        if other != grade:
            assert f'class="grade {other_css}"' not in html and GRADE_MEANING[other] not in shown
    # The scale explains all four levels, marks this one, and links to the full rules.
    scale = html.split('id="scale">')[1].split("</section>")[0]
    assert all(GRADE_MEANING[g] in scale for g in "ABCD") and "90 分及以上" in scale
    assert re.search(rf'class="current"[^>]*>\s*<span class="badge grade-{grade}">', scale)
    assert 'href="/credit-grades"' in scale


def test_grade_time_is_shown_in_beijing_time(client, db):
    row = merchant()
    row_subject(row).grade_updated_at = dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)
    db.session.commit()
    assert "评价更新于 2026-12-01 01:30" in page(client, f"/m/{handle_of(row)}")


def test_failed_inspection_is_shown_plainly(client):
    row = merchant(grade="C")
    inspection(row, "pass", n=1, sampled_on=dt.date(2026, 9, 1))
    inspection(row, "fail", "镉(以Cd计)超标", n=2, sampled_on=dt.date(2026, 10, 1))
    html = page(client, f"/m/{handle_of(row)}")
    failed = html.index("不合格项目：镉(以Cd计)超标")
    assert html.index('<span class="fail">不合格</span>') < failed < html.index('<span class="pass">合格</span>')
    assert 'class="failed"' in html and f"报告编号 T-{row.id}-2" in html


def test_no_inspections_says_so(client):
    assert "暂无抽检记录" in page(client, f"/m/{handle_of(merchant())}")


@pytest.mark.parametrize("list_type, label", [("black", "已列入失信联合惩戒对象名单"), ("watch", "已列入重点关注名单"),
                                              ("red", "已列入诚信红名单")])
def test_listed_merchant_shows_its_status(client, list_type, label):
    row = merchant(grade="D" if list_type == "black" else "B")
    listing(row, list_type)
    html = page(client, f"/m/{handle_of(row)}")
    assert label in html and f'id="list-{list_type}"' in html and "汕市监〔2026〕1号" in html
    data = client.get(f"/api/public/v1/merchants/{handle_of(row)}").get_json()
    assert [e["list_type"] for e in data["lists"]] == [list_type]


def test_ended_or_removed_listings_are_not_shown(client, clock):
    row = merchant()
    listing(row, "black", removed=True)
    listing(row, "watch", ends_on=dt.date(2026, 3, 1))
    clock.now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC).timestamp()
    html = page(client, f"/m/{handle_of(row)}")
    assert 'id="list-black"' not in html and 'id="list-watch"' not in html
    assert "已列入失信联合惩戒对象名单" not in html and "已列入重点关注名单" not in html


def test_commitments_shown_broken_marked_withdrawn_hidden(client, db):
    row = merchant()
    for i, (title, status) in enumerate((("明码标价承诺", "active"), ("不缺斤少两承诺", "broken"), ("旧承诺", "withdrawn"))):
        db.session.add(CreditCommitment(
            code=f"44150020260501{i:06d}", subject_id=row.subject_id, commitment_type="self_discipline", matter=title,
            content="本商户郑重承诺……", liability="违诺列入重点关注", accepting_unit="汕尾市市场监督管理局",
            committed_on=dt.date(2026, 5, 1), status=status, recorded_by="test",
            assessed_on=None if status == "active" else dt.date(2026, 8, 1)))
    db.session.commit()
    html = page(client, f"/m/{handle_of(row)}")
    assert "明码标价承诺" in html and "不缺斤少两承诺" in html and "旧承诺" not in html
    assert "未履行，2026-08-01 记录" in html


def test_void_and_unknown_codes(client, db):
    row = merchant()
    row.code_serial = 3
    db.session.commit()
    handle = handle_of(row)
    page(client, f"/m/{handle}-3")
    for old in (1, 2):
        assert "该二维码已作废" in page(client, f"/m/{handle}-{old}", 410)
    for path in (f"/m/{handle}-4", f"/m/{handle}-0", "/m/Nobody12", "/m/Nobody12-1", "/m/bad%20ref", "/m/a"):
        assert "没有找到这个商户" in page(client, path, 404)
    gone = client.get(f"/api/public/v1/merchants/{handle}-2")
    assert gone.status_code == 410 and gone.get_json()["error"]["code"] == "code_void"
    missing = client.get("/api/public/v1/merchants/Nobody12")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "merchant_not_found"


def test_security_headers_no_script_and_escaping(client):
    row = merchant('<script>alert("x")</script>海鲜')
    resp = client.get(f"/m/{handle_of(row)}")
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["X-Frame-Options"] == "DENY" and resp.headers["Referrer-Policy"] == "no-referrer"
    html = resp.get_data(as_text=True)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "style=" not in html  # inline style attributes would be blocked by the CSP
    assert client.get("/m/Nobody12").headers["Content-Security-Policy"] == csp


def test_etag_304_and_short_cache(client):
    path = f"/m/{handle_of(merchant())}"
    first = client.get(path)
    etag = first.headers["ETag"]
    max_age = int(re.search(r"max-age=(\d+)", first.headers["Cache-Control"]).group(1))
    assert 0 < max_age <= 5
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and not again.data
    assert client.get(path.replace("/m/", "/api/public/v1/merchants/")).headers["ETag"] != etag


def test_grade_change_by_another_process_shows_within_the_cache_bound(app, client, db, clock):
    row = merchant(grade="B")
    path = f"/m/{handle_of(row)}"
    etag = client.get(path).headers["ETag"]
    subject = row_subject(row)  # changed behind this worker's back (the grading job, another worker)
    subject.grade, subject.grade_updated_at = "D", utcnow()
    db.session.commit()
    clock.advance(app.config["MERCHANT_PAGE_CACHE_SECONDS"])
    resp = client.get(path, headers={"If-None-Match": etag})
    assert resp.status_code == 200 and resp.headers["ETag"] != etag
    assert 'class="grade grade-D"' in resp.get_data(as_text=True)
    assert client.get(path.replace("/m/", "/api/public/v1/merchants/")).get_json()["grade"] == "D"


def test_freshness_bound_is_a_few_seconds(app):
    assert 0 < app.config["MERCHANT_PAGE_CACHE_SECONDS"] + app.config["MERCHANT_PAGE_MAX_AGE"] <= 5


def test_json_twin(client):
    row = merchant("郑家海鲜", grade="A", stall_no="M009", contact_phone="13800000000")
    inspection(row, "fail", "菌落总数超标")
    resp = client.get(f"/api/public/v1/merchants/{handle_of(row)}-1")
    data = resp.get_json()
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "*"
    assert data["name"] == "郑家海鲜" and data["grade"] == "A" and data["grade_zh"] == "优"
    assert data["market"] == {"slug": "magong", "name": "马宫水产品批发市场"} and data["stall_no"] == "M009"
    assert data["inspections"][0]["result"] == "fail" and data["inspections"][0]["failed_items"] == "菌落总数超标"
    assert data["page_url"].endswith(f"/m/{handle_of(row)}") and data["complaint"]["hotline"] == "12315"
    assert "13800000000" not in resp.get_data(as_text=True)  # the owner's phone is not published
    assert client.get(resp.request.path, headers={"If-None-Match": resp.headers["ETag"]}).status_code == 304


def test_a_new_merchant_with_nothing_to_grade_reads_unrated_not_good(client):
    token = market_operator()
    created = client.post("/api/dept/v1/merchants", headers=bearer(token),
                          json={"uscc": uscc_code(), "name": "新开海鲜档", "stall_no": "N001"})
    assert created.status_code == 201 and created.get_json()["grade"] is None
    html = page(client, f"/m/{created.get_json()['handle']}-1")
    assert re.search(r'id="grade-letter"[^>]*>未评价</div>', html) and 'class="grade grade-none"' in html
    box = html.split('id="grade">')[1].split("</section>")[0]
    assert "良" not in box and "尚未评定信用等级" in box and 'class="current"' not in html
    data = client.get(f"/api/public/v1/merchants/{created.get_json()['handle']}").get_json()
    assert (data["grade"], data["grade_zh"]) == (None, "未评价")


def test_grade_d_reads_serious_dishonesty_only_for_a_black_list_entry(client):
    low = merchant("低分档", grade="D")
    listed = merchant("名单档", grade="D")
    listing(listed, "black")
    def box(row):
        return page(client, f"/m/{handle_of(row)}").split('id="grade">')[1].split("</section>")[0]

    assert "信用较差" in box(low) and "严重失信" not in box(low)
    assert "严重失信主体" in box(listed)


def test_void_and_unknown_pages_lead_somewhere_styled_like_the_merchant_page(client):
    token = market_operator()
    row = merchant("旧码档")
    client.post(f"/api/dept/v1/merchants/{handle_of(row)}/reissue-code", json={"reason": "旧码污损"},
                headers=bearer(token))
    void = page(client, f"/m/{handle_of(row)}-1", status=410)
    assert "该二维码已作废" in void and f'href="/m/{handle_of(row)}"' in void and "查看该商户当前的信用页面" in void
    assert 'href="/markets/magong"' in void and "<style>" in void
    assert page(client, f"/m/{handle_of(row)}-2").count("旧码档") >= 1  # the current page it leads to
    unknown = page(client, "/m/NoSuchOne", status=404)
    assert "没有找到" in unknown and 'href="/markets/magong"' in unknown and "<style>" in unknown
    assert "马宫水产品批发市场" in page(client, "/markets/nowhere", status=404)
    data = client.get(f"/api/public/v1/merchants/{handle_of(row)}-1").get_json()["error"]["details"]
    assert data == {"current_page": f"/m/{handle_of(row)}", "market": {"slug": "magong", "name": "马宫水产品批发市场"}}


def test_inspections_show_the_latest_date_and_whether_a_failure_was_retested(client):
    row = merchant()
    inspection(row, "fail", "氯霉素", n=1, sampled_on=dt.date(2026, 3, 1), product="对虾")
    inspection(row, "pass", n=2, sampled_on=dt.date(2026, 3, 20), product="对虾")
    inspection(row, "fail", "镉超标", n=3, sampled_on=dt.date(2026, 4, 2), product="花甲")
    html = page(client, f"/m/{handle_of(row)}")
    assert "最近一次抽检：2026-04-02" in html
    assert "已复检：2026-03-20 复检合格" in html and "尚未复检" in html
    data = client.get(f"/api/public/v1/merchants/{handle_of(row)}").get_json()
    assert [i["retest"] and i["retest"]["result"] for i in data["inspections"]] == [None, None, "pass"]


def test_wrong_credit_information_goes_to_an_objection_not_12315(client):
    html = page(client, f"/m/{handle_of(merchant())}")
    objection = html.split('id="objection">')[1].split("</section>")[0]
    assert "信用信息异议" in objection and "12345" in objection and "12315" not in objection
    complaint = html.split('id="complain">')[1].split("</section>")[0]
    assert "12315" in complaint and "信用信息有误" not in complaint


def test_the_full_grade_rules_page_explains_the_model(client):
    html = page(client, "/credit-grades")
    assert "信用等级评价规则" in html and "基础分 75 分" in html and "行政处罚" in html and "严重-30 分" in html
    assert "1 年内按 1 倍计" in html and "失信联合惩戒对象名单：等级为差" in html
