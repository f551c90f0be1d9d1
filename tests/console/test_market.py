"""Market-office pages: merchants listed, added, edited, imported from CSV; stickers reissued; inspections and
commitments; posters one by one and all stalls as one PDF; binding codes; another market's merchant stays hidden."""

from __future__ import annotations

import io

from sqlalchemy import select

from backend.models import AuditEntry, Merchant
from backend.platform.extensions import db
from tests.console.helpers import ConsoleClient, text_of
from tests.credit.helpers import days_ago
from tests.factories import uscc_code
from tests.merchants.helpers import handle_of, market_operator, merchant


def market_client(client, slug="magong") -> ConsoleClient:
    c = ConsoleClient(client)
    assert c.sign_in(market_operator(slug)).status_code == 303
    return c


def test_add_edit_reissue_inspect_commit_and_bind(client):
    c = market_client(client)
    resp = c.post("/console/merchants/new", {"uscc": uscc_code(31), "name": "林记渔行", "stall_no": "A-01",
                                             "business_scope": "鲜活水产"})
    assert resp.status_code == 303, text_of(resp)[:500]
    page = c.get(resp.headers["Location"])
    assert "已登记该商户" in text_of(page) and "林记渔行" in text_of(page)
    row = db.session.execute(select(Merchant)).scalar_one()
    handle = handle_of(row)
    assert c.post(f"/console/merchants/{handle}/edit", {"stall_no": "A-02", "stall_name": "林记"}).status_code == 200
    db.session.refresh(row)
    assert (row.stall_no, row.stall_name) == ("A-02", "林记")
    assert "已换发新二维码" in text_of(c.post(f"/console/merchants/{handle}/reissue", {"reason": "二维码污损"}))
    db.session.refresh(row)
    assert row.code_serial == 2
    resp = c.post(f"/console/merchants/{handle}/inspections", {"product": "对虾", "sampled_on": days_ago(1),
                                                               "agency": "汕尾市食品检验所", "result": "pass",
                                                               "report_no": "SW-2026-1"})
    assert "已记录抽检结果" in text_of(resp), text_of(resp)[-800:]
    assert "对虾：合格" in text_of(resp).replace(" ", "")
    resp = c.post(f"/console/merchants/{handle}/commitments", {"title": "诚信经营承诺", "content": "不缺斤短两",
                                                               "signed_on": days_ago(2)})
    assert "已记录信用承诺" in text_of(resp)
    resp = c.post(f"/console/merchants/{handle}/binding-code", {"note": "交给林老板"})
    assert 'id="once-value"' in resp.get_data(as_text=True)
    actions = {e.action for e in db.session.execute(select(AuditEntry)).scalars()}
    assert {"merchant.update", "merchant.reissue_code", "merchant.binding_code.issue"} <= actions
    poster = c.get(f"/console/merchants/{handle}/poster.pdf")
    assert poster.status_code == 200 and poster.data.startswith(b"%PDF")


def test_a_form_error_keeps_what_was_typed(client):
    c = market_client(client)
    resp = c.post("/console/merchants/new", {"uscc": "123", "name": "坏代码", "stall_no": "B-1"})
    assert resp.status_code == 422 and "18 位" in text_of(resp) and "坏代码" in resp.get_data(as_text=True)


def test_another_markets_merchant_cannot_be_opened_by_editing_the_url(client):
    theirs = merchant("三马路茶叶铺", slug="sanmalu", stall_no="S-9")
    c = market_client(client)
    for path in (f"/console/merchants/{handle_of(theirs)}", f"/console/merchants/{theirs.id}",
                 f"/console/merchants/{handle_of(theirs)}/poster.pdf"):
        resp = c.get(path)
        assert resp.status_code == 404 and "三马路茶叶铺" not in text_of(resp), path
    resp = c.post(f"/console/merchants/{handle_of(theirs)}/reissue", {"reason": "越权"})
    assert resp.status_code == 404
    db.session.refresh(theirs)
    assert theirs.code_serial == 1


def test_bulk_import_all_or_none_and_the_list_exports(client):
    c = market_client(client)
    header = "uscc,name,stall_no,stall_name,business_scope,contact_phone\n"
    bad = header + f"{uscc_code(41)},阿海,C-1,,,\n{uscc_code(42)[:-1]}0,坏行,C-2,,,\n"
    resp = c.post("/console/merchants/import", {"file": (io.BytesIO(bad.encode()), "m.csv")},
                  content_type="multipart/form-data")
    assert resp.status_code == 422 and "<td>3</td>" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Merchant.id)) is None
    clash = header + f"{uscc_code(41)},阿海,C-1,,,\n{uscc_code(42)},阿强,C-1,,,\n"  # the same stall twice
    resp = c.post("/console/merchants/import", {"file": (io.BytesIO(clash.encode("gbk")), "m.csv")},
                  content_type="multipart/form-data")
    assert resp.status_code == 422 and "与第 2 行的摊位号相同" in text_of(resp)
    assert db.session.scalar(select(Merchant.id)) is None
    good = header + f"{uscc_code(41)},阿海,C-1,,,\n{uscc_code(42)},=1+1 阿强,C-2,,,\n"
    resp = c.post("/console/merchants/import", {"file": (io.BytesIO(good.encode()), "m.csv")},
                  content_type="multipart/form-data")
    assert resp.status_code == 200 and "已处理 2 行" in text_of(resp)
    listing = c.get("/console/merchants")
    assert "C-1" in text_of(listing) and 'id="all-posters"' in listing.get_data(as_text=True)
    export = c.get("/console/merchants?format=csv").data.decode("utf-8-sig")
    assert "'=1+1 阿强" in export and "C-2" in export
