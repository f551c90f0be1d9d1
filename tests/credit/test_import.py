"""Batches and CSV imports (UTF-8 and GBK): all rows valid or nothing stored, every bad row reported."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.credit.schemas import RecordInSchema
from backend.models import AuditEntry, CreditRecord, Subject
from backend.platform.extensions import db
from tests.credit.helpers import SAMR, TAX, days_ago, dept, penalty, record
from tests.factories import resident_id, uscc_code

HEADER = "统一社会信用代码,身份证号,主体名称,category,severity,result,title,document_no,legal_basis,decided_on,包容审慎"


def csv_text(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def good_rows() -> list[str]:
    return [
        f"{uscc_code(11)},,马宫蚝仔档,admin_penalty,general,,销售不合格水产品,汕市监罚〔2026〕11号,《食品安全法》第一百二十四条,2026-06-01,否",
        f"{uscc_code(12)},,林记渔行,product_inspection,,pass,鲜活对虾抽检合格,SWJ-2026-12,《食品安全抽样检验管理办法》,2026-07-01,",
        f",{resident_id(13)},陈海生,admin_penalty,minor,,占道经营,汕市监罚〔2026〕13号,《广东省市容和环境卫生管理条例》,{days_ago(20)},是",
    ]


def post_csv(client, text: str, encoding: str, headers: dict):
    return client.post("/api/dept/v1/records/import", data=text.encode(encoding),
                       headers={**headers, "Content-Type": f"text/csv; charset={encoding}"})


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_good_csv_in_utf8_and_gbk(client, db):
    h = dept()
    report = post_csv(client, csv_text(good_rows()), "utf-8", h)
    assert report.status_code == 201, report.get_json()
    assert report.get_json() == {"rows": 3, "created": 3, "updated": 0, "subjects_regraded": 3, "encoding": "utf-8"}
    # the same file again, exported in GBK: updates, never duplicates
    again = post_csv(client, csv_text(good_rows()), "gbk", h).get_json()
    assert (again["created"], again["updated"], again["encoding"]) == (0, 3, "gbk")
    assert count(db, CreditRecord) == 3
    grades = dict(db.session.execute(select(Subject.display_name, Subject.grade)).all())
    assert grades == {"马宫蚝仔档": "C", "林记渔行": "B", "陈*生": "B"}  # the person's first minor offence is tolerated
    imports = db.session.execute(select(AuditEntry).where(AuditEntry.action == "records.import")).scalars().all()
    assert [e.details["encoding"] for e in imports] == ["utf-8", "gbk"]


def test_csv_with_bad_rows_stores_nothing_and_names_every_bad_row(client, db):
    rows = good_rows() + [
        f"{uscc_code(14)[:-1]}0,,坏代码,admin_penalty,general,,标题,D-1,依据,2026-06-01,",
        f"{uscc_code(15)},,,honour,,,无名称的新商户,D-2,依据,2026-06-01,",
        f",{resident_id(16)[:-1]}Y,某人,admin_penalty,,,缺严重程度,D-3,依据,2026-13-01,",
        good_rows()[0],
    ]
    for encoding in ("utf-8", "gbk"):
        resp = post_csv(client, csv_text(rows), encoding, dept())
        assert resp.status_code == 422
        error = resp.get_json()["error"]
        assert error["code"] == "rows_rejected"
        found = {(e["row"], e["field"]) for e in error["details"]["errors"]}
        assert {(5, "uscc"), (6, "subject_name"), (7, "decided_on"), (8, "document_no")} <= found
        assert all(e["message"] for e in error["details"]["errors"])
    assert count(db, CreditRecord) == 0 and count(db, Subject) == 0


def test_csv_rows_for_another_department_are_refused(client, db):
    text = "uscc,subject_name,category,severity,title,document_no,legal_basis,decided_on,department\n" \
           f"{uscc_code(21)},某商户,admin_penalty,minor,标题,X-1,依据,2026-06-01,{TAX}\n"
    resp = post_csv(client, text, "utf-8", dept(SAMR))
    assert resp.status_code == 403 and resp.get_json()["error"]["details"]["errors"][0]["row"] == 2
    assert count(db, CreditRecord) == 0


def test_csv_needs_known_columns_and_text(client):
    assert post_csv(client, "who,what\n1,2\n", "utf-8", dept()).get_json()["error"]["code"] == "bad_header"
    resp = client.post("/api/dept/v1/records/import", data=b"\xff\xfe\x00\x81\x00", headers={
        **dept(), "Content-Type": "text/csv"})
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "bad_encoding"


def test_json_batch(client, db):
    h = dept()
    batch = [penalty({"uscc": uscc_code(31)}), record({"resident_id": resident_id(32)}, "honour")]
    resp = client.post("/api/dept/v1/records/batch", json={"records": batch}, headers=h)
    assert resp.status_code == 201 and resp.get_json()["created"] == 2
    bad = [batch[0], record({"uscc": uscc_code(33)}, "tax_rating")]  # no result
    resp = client.post("/api/dept/v1/records/batch", json={"records": bad}, headers=h)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"]["errors"] == [
        {"row": 1, "field": "result", "message": "tax_rating 需要填写结果，应为以下之一：A、B、M、C、D"}]
    assert count(db, CreditRecord) == 2


def test_import_records_command(runner, db, tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(csv_text(good_rows()).encode("gbk"))
    result = runner.invoke(args=["import-records", str(path), "--department", SAMR])
    assert result.exit_code == 0, result.output
    assert '"created": 3' in result.output and count(db, CreditRecord) == 3
    assert db.session.scalar(select(CreditRecord.department).limit(1)) == SAMR
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text([good_rows()[0].replace("2026-06-01", "明天")]), encoding="utf-8")
    result = runner.invoke(args=["import-records", str(bad), "--department", SAMR])
    assert result.exit_code == 1 and "row 2, decided_on" in result.output
    nodept = runner.invoke(args=["import-records", str(path)])
    assert nodept.exit_code == 1 and "department" in nodept.output


def test_csv_larger_than_the_json_body_limit(client, db):
    rows = [f"{uscc_code(40000 + i)},,商户{i},admin_licence,,,食品经营许可,JY-BIG-{i:05d},《食品安全法》第三十五条,2026-06-01,"
            for i in range(3000)]
    text = csv_text(rows)
    assert len(text.encode()) > 256 * 1024
    resp = post_csv(client, text, "utf-8", dept())
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["created"] == 3000 and count(db, Subject) == 3000


def test_the_template_lists_every_column_and_its_example_row_imports(client):
    h = dept()
    template = client.get("/api/dept/v1/records/import/template.csv", headers=h)
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert template.data.startswith("\ufeff".encode())  # BOM: spreadsheet programs read it as UTF-8
    header, example = template.data.decode("utf-8-sig").splitlines()
    assert len(header.split(",")) == len(RecordInSchema().fields) and "统一社会信用代码" in header
    assert "行政处罚" in example and "一般" in example
    imported = client.post("/api/dept/v1/records/import", data=template.data, headers={**h, "Content-Type": "text/csv"})
    assert imported.status_code == 201, imported.get_json()
    assert imported.get_json()["rows"] == 1


def test_csv_accepts_the_chinese_values_people_write(client):
    h = dept()
    csv_text = ("统一社会信用代码,主体名称,类别,严重程度,结果,标题,文书号,法律依据,决定日期\n"
                f"{uscc_code()},甲档,行政处罚,轻微,,未公示进货记录,CF-1,《食品安全法》,{days_ago(10)}\n"
                f"{uscc_code()},乙档,产品质量抽检,,不合格,抽检不合格,CJ-1,《产品质量法》,{days_ago(10)}\n"
                f"{uscc_code()},丙档,纳税信用等级,,A级,纳税信用A级,NS-1,《纳税信用管理办法》,{days_ago(10)}\n")
    resp = client.post("/api/dept/v1/records/import", data=csv_text.encode("gbk"), headers={**h, "Content-Type": "text/csv"})
    assert resp.status_code == 201, resp.get_json()
    rows = db.session.execute(select(CreditRecord.category, CreditRecord.severity, CreditRecord.result)
                              .order_by(CreditRecord.id)).all()
    assert rows == [("admin_penalty", "minor", None), ("product_inspection", None, "fail"), ("tax_rating", None, "A")]
