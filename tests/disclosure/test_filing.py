"""双公示 filing: the national field sets validated, a penalty filed as a credit record, batches and CSV (GBK),
the 7- and 3-working-day deadlines across the 2026 National Day, and the publication report."""

from __future__ import annotations

import csv
import datetime as dt
import io

from tests.credit.helpers import SAMR, admin, dept
from tests.disclosure.helpers import at_china, licence, penalty

URL = "/api/dept/v1/disclosures"


def _errors(resp) -> dict[str, str]:
    assert resp.status_code == 422, resp.get_json()
    return {e["field"]: e["message"] for e in resp.get_json()["error"]["details"]["errors"]}


def test_a_penalty_is_published_and_filed_as_a_credit_record(client):
    h = dept()
    resp = client.post(f"{URL}/penalties", json=penalty(n=1), headers=h)
    assert resp.status_code == 201, resp.get_json()
    d = resp.get_json()["decision"]
    assert d["state"] == "published" and d["credit_record_id"] and d["items"]["NR_FK"] == "0.5"
    assert d["department"] == SAMR and d["publish_due"] > d["decided_on"]
    file = client.get("/api/dept/v1/subjects/file", query_string={"uscc": penalty(n=1)["CF_XDR_SHXYM"],
                                                                  "purpose": "核查"}, headers=h).get_json()
    record = file["items"][0]
    assert record["category"] == "admin_penalty" and record["severity"] == "general"
    assert file["subject"]["grade"] is not None
    again = client.post(f"{URL}/penalties", json=penalty(n=1, CF_NR="责令改正，罚款人民币四千元", CF_NR_FK="0.4"), headers=h)
    assert again.status_code == 200 and again.get_json()["created"] is False


def test_required_items_codes_amounts_dates_and_categories_are_checked(client):
    h = dept()
    body = penalty(n=2)
    for key in ("CF_WSH", "CF_SY", "CF_CFJGDM"):
        body.pop(key)
    body.update(CF_NR_FK="五千", CF_JDRQ="2026-13-01", CF_CFLB="罚款、打板子", CF_XDR_SHXYM="91440000MA4W00001X",
                CF_GSJZQ="2020-01-01")
    errors = _errors(client.post(f"{URL}/penalties", json=body, headers=h))
    assert {"CF_WSH", "CF_SY", "CF_CFJGDM", "CF_NR_FK", "CF_JDRQ", "CF_CFLB", "CF_XDR_SHXYM"} <= set(errors)
    assert "万元" in errors["CF_NR_FK"] and "YYYY-MM-DD" in errors["CF_JDRQ"] and "打板子" in errors["CF_CFLB"]
    unknown = client.post(f"{URL}/penalties", json={**penalty(n=2), "CF_UNKNOWN": "x"}, headers=h)
    assert unknown.status_code == 422 and unknown.get_json()["error"]["code"] == "validation_failed"
    person = penalty("person", n=3)
    person.pop("CF_XDR_ZJHM")
    assert "CF_XDR_ZJHM" in _errors(client.post(f"{URL}/penalties", json=person, headers=h))
    fine_missing = penalty(n=4)
    fine_missing.pop("CF_NR_FK")
    assert "CF_NR_FK" in _errors(client.post(f"{URL}/penalties", json=fine_missing, headers=h))
    bad = licence(n=5, XK_XKLB="07", XK_ZT="3", XK_YXQZI="2020-01-01")
    errors = _errors(client.post(f"{URL}/licences", json=bad, headers=h))
    assert {"XK_XKLB", "XK_ZT", "XK_YXQZI"} <= set(errors)
    legal = penalty(n=6)
    legal.pop("CF_FRDB")
    assert "CF_FRDB" in _errors(client.post(f"{URL}/penalties", json=legal, headers=h))


def test_a_licence_is_positive_file_data(client):
    resp = client.post(f"{URL}/licences", json=licence(n=7), headers=dept())
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["decision"]["kind"] == "licence"
    assert resp.get_json()["decision"]["items"]["XKLB"] == "01"


def test_a_batch_is_all_or_nothing_and_csv_may_be_gbk(client):
    h = dept()
    bad = penalty(n=9)
    bad.pop("CF_YJ")
    resp = client.post(f"{URL}/penalties/batch", json={"items": [penalty(n=8), bad]}, headers=h)
    assert resp.status_code == 422 and resp.get_json()["error"]["details"]["errors"][0]["row"] == 2
    ok = client.post(f"{URL}/penalties/batch", json={"items": [penalty(n=8), penalty(n=9)]}, headers=h)
    assert ok.status_code == 201 and ok.get_json()["created"] == 2
    rows = [penalty("individual", n=10), licence(n=11)]
    out = io.StringIO()
    names = {"CF_WSH": "行政处罚决定书文号", "CF_XDR_MC": "行政相对人名称"}  # Chinese names and codes both work
    cols = list(rows[0])
    writer = csv.writer(out)
    writer.writerow([names.get(c, c) for c in cols])
    writer.writerow([rows[0][c] for c in cols])
    resp = client.post(f"{URL}/penalties/import", data=out.getvalue().encode("gbk"),
                       headers={**h, "Content-Type": "text/csv"})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json() == {"rows": 1, "created": 1, "updated": 0, "encoding": "gbk"}


def test_seven_working_days_across_national_day_and_the_late_publication_report(client, clock):
    h = dept()
    at_china(clock, dt.date(2026, 10, 14))  # decided Tue 29 Sep: due 14 Oct (1–7 Oct off, Sat 10 Oct worked)
    on_time = client.post(f"{URL}/penalties", json=penalty(n=20, CF_JDRQ="2026-09-29"), headers=h).get_json()
    assert on_time["decision"]["publish_due"] == "2026-10-14" and on_time["decision"]["published_late"] is False
    held = client.post(f"{URL}/penalties", json=penalty(n=21, CF_JDRQ="2026-09-29", publish=False), headers=h)
    assert held.get_json()["decision"]["state"] == "registered"
    at_china(clock, dt.date(2026, 10, 15))
    late = client.post(f"{URL}/penalties", json=penalty(n=22, CF_JDRQ="2026-09-29"), headers=h).get_json()
    assert late["decision"]["published_late"] is True
    report = client.get("/api/dept/v1/publication-report", headers=h).get_json()
    row = report["departments"][0]
    assert row["department"] == SAMR and row["filed"] == 3 and row["published_on_time"] == 1
    assert [x["document_no"] for x in row["published_late"]] == [penalty(n=22)["CF_WSH"]]
    assert row["published_late"][0]["working_days_late"] == 1
    assert [x["document_no"] for x in row["overdue"]] == [penalty(n=21)["CF_WSH"]]
    exported = client.get("/api/dept/v1/publication-report.csv", headers=h)
    text = exported.get_data().decode("utf-8-sig")
    assert exported.mimetype == "text/csv" and "逾期公示" in text and "已超期未公示" in text
    publish = client.post(f"{URL}/{held.get_json()['decision']['id']}/publish", headers=h).get_json()
    assert publish["decision"]["published_late"] is True
    other = client.get("/api/dept/v1/publication-report", headers=dept("汕尾市生态环境局")).get_json()
    assert other["departments"] == []
    assert len(client.get("/api/dept/v1/publication-report", headers=admin()).get_json()["departments"]) == 1


def test_three_working_days_to_withdraw_across_national_day(client, clock):
    h = dept()
    at_china(clock, dt.date(2026, 9, 29))
    first = client.post(f"{URL}/penalties", json=penalty(n=30, CF_JDRQ="2026-09-29"), headers=h).get_json()["decision"]
    second = client.post(f"{URL}/penalties", json=penalty(n=31, CF_JDRQ="2026-09-29"), headers=h).get_json()["decision"]
    at_china(clock, dt.date(2026, 10, 10))  # changed 30 Sep: due Sat 10 Oct (8, 9, 10 Oct are working days)
    body = {"cause": "revoked", "changed_on": "2026-09-30", "reason": "经行政复议撤销原处罚决定",
            "document": "汕府复决〔2026〕5号"}
    w = client.post(f"{URL}/{first['id']}/withdraw", json=body, headers=h).get_json()["decision"]
    assert w["state"] == "withdrawn" and w["withdraw_due"] == "2026-10-10" and w["withdrawn_late"] is False
    at_china(clock, dt.date(2026, 10, 12))
    w2 = client.post(f"{URL}/{second['id']}/withdraw", json=body, headers=h).get_json()["decision"]
    assert w2["withdrawn_late"] is True
    assert client.post(f"{URL}/{second['id']}/withdraw", json=body, headers=h).status_code == 409
    row = client.get("/api/dept/v1/publication-report", headers=h).get_json()["departments"][0]
    assert [x["document_no"] for x in row["withdrawn_late"]] == [penalty(n=31)["CF_WSH"]]
    file = client.get("/api/dept/v1/subjects/file", query_string={"uscc": penalty(n=30)["CF_XDR_SHXYM"],
                                                                  "purpose": "核查"}, headers=h).get_json()
    assert file["items"] == []  # the withdrawn decision's credit record is removed
    again = client.post(f"{URL}/penalties", json=penalty(n=30, CF_JDRQ="2026-09-29"), headers=h)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "decision_withdrawn"


def test_departments_file_only_as_themselves(client):
    resp = client.post(f"{URL}/penalties", json=penalty(n=40, department="汕尾市生态环境局"), headers=dept())
    assert resp.status_code == 403
    resp = client.post(f"{URL}/penalties", json=penalty(n=41), headers=admin())
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "department_required"
