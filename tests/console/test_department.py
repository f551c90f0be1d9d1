"""Department pages through the test client: a record filed from the form, a CSV import with its bad rows shown
against the rows (and a large file turned into a job), list entries with a neutralised CSV export, a subject's
file read with its purpose (audited, resident id masked), 一键查询 and its printable record."""

from __future__ import annotations

import io

from sqlalchemy import select

from backend.models import AuditEntry, CreditRecord, ListEntry
from backend.platform.extensions import db
from tests.console.helpers import signed_in, text_of
from tests.credit.helpers import SAMR, days_ago
from tests.credit.test_import import csv_text, good_rows
from tests.factories import resident_id, uscc_code


def dept(client):
    return signed_in(client, "department", department=SAMR)


def test_filing_a_record_from_the_form(client):
    c = dept(client)
    form = c.get("/console/records/new")
    assert form.status_code == 200 and "失信程度" in text_of(form) and "两书同达" in text_of(form)
    resp = c.post("/console/records/new", {"uscc": uscc_code(1), "subject_name": "马宫蚝仔档", "category": "admin_penalty",
                                           "severity": "general", "title": "销售不合格水产品",
                                           "document_no": "汕市监罚〔2026〕1号", "legal_basis": "《食品安全法》",
                                           "decided_on": days_ago(3)})
    assert resp.status_code == 200 and "已登记记录" in text_of(resp), text_of(resp)[:800]
    record = db.session.execute(select(CreditRecord)).scalar_one()
    assert record.department == SAMR and record.severity == "general"
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "record.create")).scalar_one()
    assert entry.actor.startswith("operator:")  # the same audit entry as POST /records


def test_a_form_error_is_shown_in_chinese_and_nothing_is_stored(client):
    c = dept(client)
    resp = c.post("/console/records/new", {"uscc": uscc_code(1), "category": "admin_penalty", "title": "x",
                                           "document_no": "D-1", "legal_basis": "依据", "decided_on": "2026-13-01"})
    assert resp.status_code == 422
    text = text_of(resp)
    assert "决定日期" in text and "YYYY-MM-DD" in text
    assert db.session.scalar(select(CreditRecord.id)) is None


def upload(c, text: str, encoding: str = "utf-8"):
    return c.post("/console/records/import", {"file": (io.BytesIO(text.encode(encoding)), "records.csv")},
                  content_type="multipart/form-data")


def test_csv_import_shows_bad_rows_against_the_rows(client):
    c = dept(client)
    bad = f",{resident_id(16)[:-1]}Y,某人,admin_penalty,,,缺严重程度,D-3,依据,2026-13-01,"
    resp = upload(c, csv_text([*good_rows(), bad]), "gbk")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="row-errors"' in html and "<td>5</td>" in html and "decided_on" in html
    assert resident_id(16)[:-1] not in html  # the bad row's resident id is shown masked
    assert db.session.scalar(select(CreditRecord.id)) is None
    good = upload(c, csv_text(good_rows()))
    assert good.status_code == 200 and "已导入 3 行" in text_of(good)


def test_a_large_csv_becomes_a_job(app, client):
    app.config["CSV_ASYNC_BYTES"] = 100
    c = dept(client)
    resp = upload(c, csv_text(good_rows()))
    assert resp.status_code == 303 and "/console/jobs/" in resp.headers["Location"]
    job = c.get(resp.headers["Location"])
    assert "已完成" in text_of(job) and '"created": 3' in text_of(job)
    assert "records.import_csv" in text_of(c.get("/console/jobs"))
    again = upload(c, csv_text(good_rows()))  # sent twice (a reload): the same job
    assert again.headers["Location"] == resp.headers["Location"]


def test_list_entries_add_remove_and_export_with_formulas_neutralised(client):
    c = dept(client)
    resp = c.post("/console/list-entries", {"uscc": uscc_code(2), "subject_name": "=HYPERLINK(\"http://x\")",
                                            "list_type": "black", "reason": "@SUM(A1:A9) 拒不整改",
                                            "legal_basis": "《广东省社会信用条例》", "decision_document": "-汕市监〔2026〕9号",
                                            "starts_on": days_ago(1)})
    assert resp.status_code == 200 and "已列入失信联合惩戒对象名单" in text_of(resp), text_of(resp)[:600]
    export = c.get("/console/list-entries?format=csv")
    assert export.mimetype == "text/csv" and export.data.startswith(b"\xef\xbb\xbf")
    text = export.data.decode("utf-8-sig")
    assert "'@SUM(A1:A9) 拒不整改" in text and "'-汕市监〔2026〕9号" in text and "'=HYPERLINK" in text
    gbk = c.get("/console/list-entries?format=csv&encoding=gbk")
    assert "charset=gbk" in gbk.headers["Content-Type"] and "'@SUM" in gbk.data.decode("gbk")
    entry = db.session.execute(select(ListEntry)).scalar_one()
    assert c.post(f"/console/list-entries/{entry.id}/remove", {"reason": "已整改"}).status_code == 303
    db.session.refresh(entry)
    assert entry.removed_at is not None


def test_reading_a_file_needs_a_purpose_is_audited_and_masks_resident_ids(client):
    c = dept(client)
    rid = resident_id(21)
    c.post("/console/records/new", {"resident_id": rid, "category": "admin_penalty", "severity": "minor",
                                    "title": "占道经营", "document_no": "D-21", "legal_basis": "依据",
                                    "decided_on": days_ago(5)})
    assert "查询目的" in text_of(c.get("/console/subjects/file"))
    refused = c.post("/console/subjects/file", {"resident_id": rid})
    assert refused.status_code == 422 and "查询目的" in text_of(refused)
    resp = c.post("/console/subjects/file", {"resident_id": rid, "purpose": "行政许可审查"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "占道经营" in html and rid not in html and rid[:4] + "**********" in html
    reads = [e for e in db.session.execute(select(AuditEntry)).scalars() if e.action == "file.read"]
    assert reads and reads[-1].purpose == "行政许可审查"
    in_url = c.get("/console/subjects/file", query_string={"resident_id": rid, "purpose": "网址中的身份证号"})
    assert in_url.status_code == 422 and "占道经营" not in text_of(in_url)  # a resident id in a URL is ignored
    link = html.split('id="export-csv" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "handle=" in link and rid not in link
    export = c.get(link.replace("purpose=%E8%A1%8C%E6%94%BF%E8%AE%B8%E5%8F%AF%E5%AE%A1%E6%9F%A5", "purpose=导出存档"))
    assert "占道经营" in export.data.decode("utf-8-sig") and rid not in export.data.decode("utf-8-sig")
    assert [e.purpose for e in db.session.execute(select(AuditEntry)).scalars() if e.action == "file.read"][-1] == "导出存档"


def test_joint_query_and_its_printable_record(client):
    c = dept(client)
    resp = c.post("/console/joint-query", {"uscc": uscc_code(3), "purpose": "政府采购资格审查"})
    assert resp.status_code == 200 and "查询无记录" in text_of(resp)
    query_no = resp.get_data(as_text=True).split('id="query-no">')[1].split("<")[0]
    pdf = c.get(f"/console/joint-query/{query_no}/record.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    other = signed_in(client.application.test_client(), "department", department="汕尾市税务局")
    assert other.get(f"/console/joint-query/{query_no}/record.pdf").status_code == 404  # another department's


def test_an_upload_larger_than_json_bodies_is_read_and_its_errors_listed(client):
    c = dept(client)
    bad = [f"{uscc_code(900 + i)[:-1]}0,,坏代码{i},admin_penalty,general,,标题,D-{i},依据,2026-06-01," for i in range(3000)]
    text = csv_text(bad)
    assert len(text.encode()) > 256 * 1024  # over MAX_CONTENT_LENGTH, the JSON bodies' limit
    resp = upload(c, text)
    assert resp.status_code == 422, text_of(resp)[:300]
    html = resp.get_data(as_text=True)
    assert html.count('<tr class="bad">') == 500 and 'id="more-errors"' in html


def test_an_admin_names_the_deciding_department(client):
    c = signed_in(client, "admin")
    body = {"uscc": uscc_code(5), "subject_name": "甲商户", "category": "honour", "title": "诚信示范",
            "document_no": "表彰-1", "legal_basis": "依据", "decided_on": days_ago(2)}
    missing = c.post("/console/records/new", body)
    assert missing.status_code == 422 and "必须填写决定部门" in text_of(missing)
    done = c.post("/console/records/new", {**body, "department": "汕尾市发展和改革局"})
    assert done.status_code == 200 and "已登记记录" in text_of(done)
    assert db.session.execute(select(CreditRecord)).scalar_one().department == "汕尾市发展和改革局"
