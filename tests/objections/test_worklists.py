"""Department worklists: filtered by state and overdue, the department's own items only, CSV export; the credit
office sees all; an organisation objects through a service window."""

from __future__ import annotations

import csv
import io

from tests.credit.helpers import SAMR, TAX, penalty, record
from tests.factories import uscc_code
from tests.objections.helpers import DAY, PDF, Desk, objection_body


def organisation_with_records(desk: Desk) -> tuple[str, int, int]:
    """An organisation with a SAMR penalty and a tax rating: (uscc, penalty id, tax record id)."""
    uscc = uscc_code(4242)
    fined = desk.post("/records", desk.samr, json=penalty({"uscc": uscc})).get_json()["record"]["id"]
    rated = desk.post("/records", desk.tax, json=record({"uscc": uscc}, "tax_rating", result="C",
                                                        title="2025年度纳税信用等级C级")).get_json()["record"]["id"]
    return uscc, fined, rated


def test_an_organisation_objects_at_a_window_and_each_department_sees_its_own(client, clock):
    desk = Desk(client)
    uscc, fined, rated = organisation_with_records(desk)
    filed = desk.post("/objections", desk.window, json={
        "uscc": uscc, "applicant": "李经办", **objection_body(fined)})
    assert filed.status_code == 201, filed.get_json()
    assert filed.get_json()["channel"] == "window" and filed.get_json()["applicant"] == "李经办"
    first = filed.get_json()["number"]
    upload = client.post(f"/api/dept/v1/objections/{first}/evidence", headers=desk.window,
                         content_type="multipart/form-data", data={"files": [(io.BytesIO(PDF), "营业执照.pdf")]})
    assert upload.status_code == 201
    ref = upload.get_json()["items"][0]["ref"]
    assert desk.get(f"/objections/{first}/evidence/{ref}", desk.samr).data == PDF
    assert desk.get(f"/objections/{first}/evidence/{ref}", desk.tax).status_code == 404
    second = desk.post("/objections", desk.window, json={
        "uscc": uscc, "applicant": "李经办", **objection_body(rated, statement="纳税信用等级评定有误，已申请复评。")}
    ).get_json()["number"]

    samr = desk.get("/objections", desk.samr).get_json()
    assert [o["number"] for o in samr["items"]] == [first] and samr["items"][0]["department"] == SAMR
    assert [o["number"] for o in desk.get("/objections", desk.tax).get_json()["items"]] == [second]
    assert desk.get(f"/objections/{second}", desk.samr).status_code == 404
    assert desk.get("/objections", desk.admin).get_json()["meta"]["total"] == 2
    assert desk.get("/objections", desk.admin, query_string={"department": TAX}).get_json()["meta"]["total"] == 1
    assert desk.get("/objections", desk.window).get_json()["meta"]["total"] == 2  # what it filed

    desk.accept(first)
    assert [o["number"] for o in desk.get("/objections", desk.admin, query_string={"state": "submitted"})
            .get_json()["items"]] == [second]
    assert desk.get("/objections", desk.admin, query_string={"overdue": "true"}).get_json()["meta"]["total"] == 0
    clock.advance(2 * DAY)  # Thursday 1 October: both deadlines (30 September) have passed
    late = desk.get("/objections", desk.admin, query_string={"overdue": "true"}).get_json()
    assert late["meta"]["total"] == 2 and all(o["overdue"] for o in late["items"])
    assert desk.get("/objections", desk.tax, query_string={"overdue": "true"}).get_json()["meta"]["total"] == 1

    exported = desk.get("/objections/export.csv", desk.samr, query_string={"overdue": "true"})
    assert exported.mimetype == "text/csv" and exported.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["异议编号", "状态", "异议理由"] and [r[0] for r in rows[1:]] == [first]
    assert rows[1][rows[0].index("是否逾期")] == "是" and rows[1][rows[0].index("提供单位")] == SAMR
    assert desk.get("/objections/export.csv", desk.window).status_code == 403


def test_the_declaration_worklist_is_the_departments_own_with_csv(client, mp):
    desk = Desk(client)
    assert mp.bind().status_code == 200
    body = {"category": "operation", "title": "年产值超千万元", "issuer": "汕尾市统计局", "document_no": "TJ-1",
            "issued_on": "2026-06-01", "department": TAX, "commitment_accepted": True}
    number = mp.post("/me/declarations", json=body).get_json()["number"]
    assert desk.get("/declarations", desk.samr).get_json()["meta"]["total"] == 0
    mine = desk.get("/declarations", desk.tax, query_string={"state": "verifying"}).get_json()
    assert [d["number"] for d in mine["items"]] == [number] and mine["items"][0]["category_zh"] == "生产经营"
    assert desk.get("/declarations", desk.admin).get_json()["meta"]["total"] == 1
    rows = list(csv.reader(io.StringIO(desk.get("/declarations/export.csv", desk.tax).get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert rows[0][0] == "申报编号" and rows[1][0] == number
