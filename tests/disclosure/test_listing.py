"""GET /api/dept/v1/disclosures: a department's own decisions, filtered and paginated; an admin sees all."""

from __future__ import annotations

import datetime as dt

from tests.credit.helpers import SAMR, admin, dept
from tests.disclosure.helpers import at_china, filed, licence, penalty
from tests.factories import bearer, operator_token

URL = "/api/dept/v1/disclosures"
ENV = "汕尾市生态环境局"



def test_a_department_lists_its_own_decisions_newest_first_and_an_admin_all(client, clock):
    at_china(clock, dt.date(2026, 11, 25))
    first = filed(client, "penalties", penalty(n=201, CF_JDRQ="2026-11-20"), dept())
    second = filed(client, "licences", licence(n=202, XK_JDRQ="2026-11-23"), dept())
    held = filed(client, "penalties", penalty(n=203, CF_JDRQ="2026-11-24", publish=False), dept())
    other = filed(client, "penalties", penalty(n=204, CF_JDRQ="2026-11-24", department=ENV), admin())

    got = client.get(URL, headers=dept()).get_json()
    assert [d["id"] for d in got["items"]] == [held["id"], second["id"], first["id"]]
    assert got["meta"] == {"page": 1, "per_page": 20, "total": 3}
    row = got["items"][0]
    assert row["state"] == "registered" and row["state_zh"] == "待公示" and row["kind_zh"] == "行政处罚"
    assert row["publish_due"] == "2026-12-03" and "XDR_ZJHM" not in row["items"]

    assert client.get(URL, headers=dept(ENV)).get_json()["meta"]["total"] == 1
    everyone = client.get(URL, headers=admin()).get_json()
    assert {d["id"] for d in everyone["items"]} == {first["id"], second["id"], held["id"], other["id"]}
    one = client.get(URL, query_string={"department": ENV}, headers=admin()).get_json()
    assert [d["id"] for d in one["items"]] == [other["id"]]
    # A department cannot look at another's by naming it: the filter is the admin's only.
    named = client.get(URL, query_string={"department": ENV}, headers=dept()).get_json()
    assert {d["department"] for d in named["items"]} == {SAMR}


def test_filters_and_pages(client, clock):
    at_china(clock, dt.date(2026, 11, 25))
    for n in range(211, 216):
        filed(client, "penalties", penalty(n=n, CF_JDRQ=f"2026-11-{n - 195}"), dept())
    filed(client, "licences", licence(n=216), dept())
    h = dept()

    def ids(**query):
        return [d["document_no"] for d in client.get(URL, query_string=query, headers=h).get_json()["items"]]

    assert len(ids(kind="penalty")) == 5 and ids(kind="licence") == [licence(n=216)["XK_WSH"]]
    assert ids(kind="penalty", date_from="2026-11-19", date_to="2026-11-20") == [
        penalty(n=215)["CF_WSH"], penalty(n=214)["CF_WSH"]]
    assert ids(document_no="〔2026〕213") == [penalty(n=213)["CF_WSH"]]
    assert ids(document_no="%") == []  # a wildcard is a character to find, not a pattern
    page2 = client.get(URL, query_string={"kind": "penalty", "per_page": 2, "page": 2}, headers=h).get_json()
    assert [d["document_no"] for d in page2["items"]] == [penalty(n=213)["CF_WSH"], penalty(n=212)["CF_WSH"]]
    assert page2["meta"] == {"page": 2, "per_page": 2, "total": 5}

    withdrawn = client.get(URL, query_string={"kind": "penalty", "per_page": 1}, headers=h).get_json()["items"][0]
    body = {"cause": "error", "changed_on": "2026-11-25", "reason": "文号录入有误", "document": "更正说明〔2026〕1号"}
    assert client.post(f"{URL}/{withdrawn['id']}/withdraw", json=body, headers=h).status_code == 200
    assert ids(state="withdrawn") == [withdrawn["document_no"]]
    assert len(ids(state="published")) == 5


def test_bad_filters_are_422_in_chinese_and_other_roles_are_refused(client):
    resp = client.get(URL, query_string={"state": "gone", "date_from": "tomorrow"}, headers=dept())
    assert resp.status_code == 422
    assert set(resp.get_json()["error"]["details"]["query"]) == {"state", "date_from"}
    assert client.get(URL, headers=bearer(operator_token("window", department="城区政务服务中心"))).status_code == 403
    assert client.get(URL).status_code == 401
