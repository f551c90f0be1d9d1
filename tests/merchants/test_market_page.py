"""GET /markets/<market> and its JSON twin: every merchant with its grade, search by name or stall."""

from __future__ import annotations

import re

from tests.merchants.helpers import handle_of, merchant


def seed_market():
    rows = [merchant("阿海鲜活水产", "A", stall_no="M001"), merchant("林记渔行", "B", stall_no="M002"),
            merchant("马宫蚝仔档", "C", stall_no="M013"), merchant("陈伯虾蟹行", "D", stall_no="M104"),
            merchant("老街凉茶铺", "A", slug="sanmalu", stall_no="S001")]
    return rows


def names(html: str) -> list[str]:
    return re.findall(r'<span class="badge grade-[ABCD]">[优良中差]</span>([^\n<]+)', html)


def test_market_page_lists_every_merchant_with_grade(client):
    rows = seed_market()
    resp = client.get("/markets/magong")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "马宫水产品批发市场" in html and "共 4 家商户" in html
    assert [n.strip() for n in names(html)] == ["阿海鲜活水产", "林记渔行", "马宫蚝仔档", "陈伯虾蟹行"]
    assert '<span class="badge grade-D">差</span>陈伯虾蟹行' in html
    assert f'href="/m/{handle_of(rows[0])}"' in html and "老街凉茶铺" not in html
    assert "Content-Security-Policy" in resp.headers and resp.headers["ETag"]


def test_search_by_name_or_stall(client):
    seed_market()
    assert [n.strip() for n in names(client.get("/markets/magong?q=渔").get_data(as_text=True))] == ["林记渔行"]
    by_stall = client.get("/markets/magong?q=m01").get_data(as_text=True)
    assert [n.strip() for n in names(by_stall)] == ["马宫蚝仔档"] and "“m01”的搜索结果" in by_stall
    nothing = client.get("/markets/magong?q=%25").get_data(as_text=True)  # a literal %, not a wildcard
    assert "没有找到符合条件的商户" in nothing and "共 0 家商户" in nothing


def test_pagination(client):
    for i in range(23):
        merchant(f"商户{i:02d}", stall_no=f"P{i:03d}")
    first = client.get("/markets/magong").get_data(as_text=True)
    second = client.get("/markets/magong?page=2").get_data(as_text=True)
    assert len(names(first)) == 20 and len(names(second)) == 3
    assert 'href="/markets/magong?page=2">下一页' in first and "上一页" in second and "下一页" not in second
    assert client.get("/markets/magong?page=0").status_code == 422


def test_unknown_market_is_a_chinese_404(client):
    resp = client.get("/markets/nowhere")
    assert resp.status_code == 404 and "没有找到这个市场" in resp.get_data(as_text=True)


def test_market_json(client):
    seed_market()
    data = client.get("/api/public/v1/markets/magong/merchants?q=M10&per_page=5").get_json()
    assert data["market"]["name"] == "马宫水产品批发市场" and data["meta"]["total"] == 1
    assert data["items"][0]["name"] == "陈伯虾蟹行" and data["items"][0]["grade"] == "D"
    assert client.get("/api/public/v1/markets/nowhere/merchants").status_code == 404
