"""Risk-warning rules fire through the real credit paths (records, CSV import, lists), each once per cause."""

from __future__ import annotations

from backend.models import RiskWarning
from backend.platform.extensions import db
from tests.credit.helpers import SAMR, days_ago, dept, penalty, record
from tests.factories import merchant_subject, uscc_code
from tests.merchants.helpers import market, merchant, row_subject


def warnings_of(subject_id, rule=None):
    q = db.session.query(RiskWarning).filter_by(subject_id=subject_id)
    return q.filter_by(rule=rule).all() if rule else q.all()


def file(client, body, headers=None):
    resp = client.post("/api/dept/v1/records", json=body, headers=headers or dept())
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_a_fall_to_poor_warns_once(client):
    subject = merchant_subject("老街海鲜", "B")
    ref = {"uscc": subject.uscc, "subject_name": "老街海鲜"}
    body = penalty(ref, severity="serious", legal_basis="《中华人民共和国广告法》第五十五条", title="虚假广告")
    assert file(client, body)["grade"] == "D"
    [warning] = warnings_of(subject.id, "grade_drop")
    assert warning.department == SAMR and "降为差" in warning.summary
    file(client, body)  # the same record again: an update, no new cause
    file(client, penalty(ref, severity="minor", legal_basis="《中华人民共和国广告法》", title="另一处违法"))  # still D
    assert len(warnings_of(subject.id, "grade_drop")) == 1
    assert warnings_of(subject.id, "key_sector_penalty") == []  # advertising is not a key sector


def test_two_levels_at_once_warns(client):
    subject = merchant_subject("一品茶庄", "A")
    subject.grade, subject.score = "A", 92
    db.session.commit()
    ref = {"uscc": subject.uscc, "subject_name": "一品茶庄"}
    grade = file(client, penalty(ref, severity="general", legal_basis="《中华人民共和国广告法》", title="x"))["grade"]
    assert grade == "C"  # 75 − 15 = 60
    [warning] = warnings_of(subject.id, "grade_drop")
    assert warning.details == {"old": "A", "new": "C", "reason": warning.details["reason"]}


def test_a_new_penalty_in_a_key_sector_warns_once_per_record(client):
    subject = merchant_subject("海丰食品店", "B")
    ref = {"uscc": subject.uscc, "subject_name": "海丰食品店"}
    body = penalty(ref, severity="minor")  # 食品安全法
    file(client, body)
    file(client, body)
    [warning] = warnings_of(subject.id, "key_sector_penalty")
    assert warning.sector == "食品药品" and warning.department == SAMR
    file(client, penalty(ref, severity="minor", document_no="汕市监罚〔2026〕9001号"))
    assert len(warnings_of(subject.id, "key_sector_penalty")) == 2


def test_a_key_sector_penalty_by_csv_import_warns_too(client):
    code = uscc_code()
    csv = ("统一社会信用代码,主体名称,类别,严重程度,标题,文书号,法律依据,决定日期\n"
           f"{code},东涌养老院,行政处罚,一般,消防通道堵塞,汕应急罚〔2026〕7号,《中华人民共和国消防法》第六十条,{days_ago(3)}\n")
    resp = client.post("/api/dept/v1/records/import", data=csv.encode(), headers={**dept("汕尾市应急管理局"),
                                                                                   "Content-Type": "text/csv"})
    assert resp.status_code == 201, resp.get_json()
    [warning] = db.session.query(RiskWarning).filter_by(rule="key_sector_penalty").all()
    assert warning.sector in ("安全生产", "养老托幼")


def test_a_broken_commitment_and_a_watch_listing_warn_once_each(client):
    market()
    row = merchant("诚信干货", grade="B")
    subject = row_subject(row)
    ref = {"uscc": subject.uscc, "subject_name": "诚信干货"}
    body = record(ref, "commitment_broken", title="违背信用承诺：明码标价")
    file(client, body)
    file(client, body)
    assert len(warnings_of(subject.id, "commitment_broken")) == 1
    entry = {"uscc": subject.uscc, "subject_name": "诚信干货", "list_type": "watch", "reason": "多次投诉",
             "legal_basis": "《广东省社会信用条例》", "decision_document": "汕市监关注〔2026〕1号", "starts_on": days_ago(1)}
    assert client.post("/api/dept/v1/list-entries", json=entry, headers=dept()).status_code == 201
    assert client.post("/api/dept/v1/list-entries", json=entry, headers=dept()).status_code == 409
    [warning] = warnings_of(subject.id, "watch_list")
    assert warning.department == SAMR


def test_the_worklist_and_closing_a_warning(client):
    subject = merchant_subject("汕尾小吃", "B")
    file(client, penalty({"uscc": subject.uscc, "subject_name": "汕尾小吃"}, severity="minor"))
    [warning] = warnings_of(subject.id, "key_sector_penalty")
    other = client.get("/api/dept/v1/supervision/worklist", headers=dept("汕尾市生态环境局")).get_json()
    assert other["warnings"] == []
    mine = client.get("/api/dept/v1/supervision/worklist", headers=dept()).get_json()
    assert [w["id"] for w in mine["warnings"]] == [warning.id]
    listed = client.get("/api/dept/v1/supervision/warnings?status=open", headers=dept()).get_json()
    assert listed["meta"]["total"] == 1
    resp = client.post(f"/api/dept/v1/supervision/warnings/{warning.id}/close", json={"reason": "已核实整改"},
                       headers=dept())
    assert resp.status_code == 200 and resp.get_json()["status"] == "closed"
    again = client.post(f"/api/dept/v1/supervision/warnings/{warning.id}/close", json={"reason": "x"}, headers=dept())
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "warning_closed"


def test_the_hook_for_rules_other_features_own_fires_once_per_cause(app):
    from backend.platform.db import use_case
    from backend.supervision import raise_warning

    subject = merchant_subject("等待修复商户", "C")

    @use_case
    def window_near():
        return raise_warning(subject.id, "window_near", "record:42", summary="最短公示期将满，罚款尚未缴纳",
                             department=SAMR)

    first = window_near()
    assert first is not None and first.rule == "window_near"
    assert window_near() is None
    assert len(warnings_of(subject.id, "window_near")) == 1
