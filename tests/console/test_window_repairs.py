"""A service-window clerk's list of the repair applications they filed: theirs only (another clerk's list is
empty), the step's deadline, a returned one linked to the completion form with its number filled in; the API's
GET /repairs gives a window the same."""

from __future__ import annotations

from tests.console.helpers import ConsoleClient, signed_in, text_of
from tests.console.test_cases import CENTRE, org_penalty, ref_in, window, window_repair
from tests.credit.helpers import dept
from tests.factories import bearer, operator_token


def test_a_window_lists_what_it_filed_and_completes_a_returned_one_from_there(client):
    code, record_id = org_penalty(client, n=61)
    w = window(client)
    ref = ref_in(window_repair(w, code, record_id))
    listed = w.get("/console/window/repairs")
    text = text_of(listed)
    assert listed.status_code == 200 and ref in text and "待受理" in text and "剩 1 个工作日" in text
    assert "窗口修复办件" in text  # in the header
    other = signed_in(client.application.test_client(), "window", department=CENTRE)
    assert ref not in text_of(other.get("/console/window/repairs"))

    resp = client.post(f"/api/dept/v1/repairs/{ref}/return", headers=dept(),
                       json={"items": ["缺少罚款缴纳凭证原件扫描件", "整改报告未加盖公章"]})
    assert resp.status_code == 200, resp.get_json()
    page = w.get("/console/window/repairs?state=returned").get_data(as_text=True)
    assert "缺少罚款缴纳凭证原件扫描件；整改报告未加盖公章" in page
    assert f'href="/console/window/repairs/completion?ref={ref}"' in page
    form = w.get(f"/console/window/repairs/completion?ref={ref}").get_data(as_text=True)
    assert f'value="{ref}"' in form
    csv = w.get("/console/window/repairs?format=csv").data.decode("utf-8-sig")
    assert ref in csv and csv.splitlines()[0].startswith("申请编号,状态")


def test_the_api_lists_a_window_clerks_own_applications_only(client):
    code, record_id = org_penalty(client, n=62)
    token = operator_token("window", department=CENTRE)
    w = ConsoleClient(client.application.test_client())
    assert w.sign_in(token).status_code == 303
    ref = ref_in(window_repair(w, code, record_id))
    mine = client.get("/api/dept/v1/repairs", headers=bearer(token)).get_json()
    assert [a["ref"] for a in mine["items"]] == [ref] and mine["items"][0]["channel"] == "window"
    other = bearer(operator_token("window", department=CENTRE))
    assert client.get("/api/dept/v1/repairs", headers=other).get_json()["items"] == []
    assert [a["ref"] for a in client.get("/api/dept/v1/repairs", headers=dept()).get_json()["items"]] == [ref]
    assert client.get(f"/api/dept/v1/repairs/{ref}", headers=bearer(token)).status_code == 403
