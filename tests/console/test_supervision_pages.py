"""Department supervision pages through the test client: a sampling task from the 抽查事项清单 to every result, a
wrong share refused and audited, another department's task answered 404 (audited), CSRF refused, warnings turned
into talks taken through their steps with the working-day deadline, overdue talks in red, the prevention list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backend.models import AuditEntry, CreditRecord, RiskWarning, SamplingTask, Talk
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today
from backend.platform.extensions import db
from tests.console.helpers import signed_in, text_of
from tests.credit.helpers import SAMR, dept, penalty
from tests.factories import merchant_subject
from tests.supervision.helpers import SHARE_HASHES, SHARES, Supervisor, graded_merchants

TAX = "国家税务总局汕尾市税务局"


def supervisor(client, department: str = SAMR):
    return signed_in(client, "department", department=department)


def actions(name: str) -> list[AuditEntry]:
    return [e for e in db.session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars() if e.action == name]


def make_task(c) -> SamplingTask:
    """An item, three inspectors and a draft task over the 马宫 market, all through the pages."""
    resp = c.post("/console/supervision/items", {"code": "SJ-001", "name": "食用农产品市场销售质量安全检查",
                                                 "basis": "《中华人民共和国食品安全法》第八十七条",
                                                 "object_type": "市场内经营户", "ratio_B": "0.20"})
    assert resp.status_code == 200 and "已加入抽查事项清单" in text_of(resp), text_of(resp)[:600]
    for i in range(3):
        assert "已登记执法人员" in text_of(c.post("/console/supervision/inspectors",
                                                 {"ref": f"ZF{i:03d}", "name": f"执法员{i}"}))
    form = c.get("/console/supervision/tasks")
    assert "ZF000" in text_of(form) and "SJ-001" in text_of(form)
    item_id = form.get_data(as_text=True).split('id="f-item_id"')[1].split('<option value="')[1].split('"')[0]
    resp = c.post("/console/supervision/tasks", {"item_id": item_id, "title": "2026年第四季度马宫市场抽查",
                                                 "pool_market": "magong", "inspector_refs": "ZF000, ZF001 ZF002",
                                                 "inspectors_per_object": "1"})
    assert resp.status_code == 303, text_of(resp)[:800]
    return db.session.execute(select(SamplingTask)).scalar_one()


def test_a_sampling_task_from_the_list_to_every_result(client):
    graded_merchants({"A": 4, "B": 6, "C": 3, "D": 2})
    c = supervisor(client)
    task = make_task(c)
    assert task.pool == {"market": "magong"} and task.ratios["B"] == "0.20" and len(task.inspector_ids) == 3
    page = c.get(f"/console/supervision/tasks/{task.id}")
    assert "待提交" in text_of(page) and "提交承诺并公示" in text_of(page)
    bad = c.post(f"/console/supervision/tasks/{task.id}/commit", {"seed_method": "shares", "share_sha256_1": "abc"})
    assert bad.status_code == 422 and "SHA-256" in text_of(bad)
    done = c.post(f"/console/supervision/tasks/{task.id}/commit", {"seed_method": "shares",
                                                                   "share_sha256_1": SHARE_HASHES[0],
                                                                   "share_sha256_2": SHARE_HASHES[1]})
    assert done.status_code == 303
    page = c.get(done.headers["Location"])
    db.session.refresh(task)
    assert task.state == "committed" and task.commitment in text_of(page) and "已公示承诺" in text_of(page)
    drawn = c.post(f"/console/supervision/tasks/{task.id}/draw", {"share_1": SHARES[0], "share_2": SHARES[1]})
    assert drawn.status_code == 303
    page = c.get(drawn.headers["Location"])
    db.session.refresh(task)
    public = client.get(f"/api/public/v1/supervision/tasks/{task.number}").get_json()
    assert task.state == "drawn" and [d["handle"] for d in public["drawn"]]
    html = page.get_data(as_text=True)
    for d in public["drawn"]:
        assert f'id="row-{d["handle"]}"' in html and d["inspectors"][0] in html
    first, *rest = [d["handle"] for d in public["drawn"]]
    missing = c.post(f"/console/supervision/tasks/{task.id}/results", {"handle": first, "outcome": "fail",
                                                                       "inspected_on": "2026-11-20"})
    assert missing.status_code == 422 and "必须填写发现的问题" in text_of(missing)
    assert c.post(f"/console/supervision/tasks/{task.id}/results",
                  {"handle": first, "outcome": "fail", "findings": "未建立进货查验台账", "page": "1",
                   "inspected_on": "2026-11-20"}).status_code == 303
    for handle in rest:
        c.post(f"/console/supervision/tasks/{task.id}/results", {"handle": handle, "outcome": "pass",
                                                                 "inspected_on": "2026-11-21"})
    db.session.refresh(task)
    assert task.state == "completed"
    record = db.session.execute(select(CreditRecord).where(CreditRecord.document_no == f"{task.number}-{first}")
                                ).scalar_one()
    assert record.result == "fail" and record.department == SAMR  # filed as the API's results are
    export = c.get(f"/console/supervision/tasks/{task.id}?format=csv")
    text = export.data.decode("utf-8-sig")
    assert export.mimetype == "text/csv" and "未建立进货查验台账" in text and len(text.strip().splitlines()) == 1 + len(public["drawn"])
    listing = c.get("/console/supervision/tasks?state=completed")
    assert task.number in text_of(listing) and "已完成" in text_of(listing)
    assert [e.actor for e in actions("supervision.task.draw")] == [f"operator:{c_operator_id(task)}"]


def c_operator_id(task) -> int:
    entry = actions("supervision.task.create")[0]
    return int(entry.actor.split(":")[1])


def test_a_wrong_share_is_refused_and_the_refusal_kept(client):
    graded_merchants({"B": 3})
    c = supervisor(client)
    task = make_task(c)
    c.post(f"/console/supervision/tasks/{task.id}/commit", {"seed_method": "shares", "share_sha256_1": SHARE_HASHES[0],
                                                            "share_sha256_2": SHARE_HASHES[1]})
    resp = c.post(f"/console/supervision/tasks/{task.id}/draw", {"share_1": SHARES[0], "share_2": "换了的份额"})
    assert resp.status_code == 422 and "与事先公示的承诺不符" in text_of(resp)
    db.session.refresh(task)
    assert task.state == "committed" and len(actions("supervision.task.seed_refused")) == 1


def test_another_departments_task_is_not_found_and_the_attempt_audited(client):
    graded_merchants({"B": 3})
    api = Supervisor(client)
    theirs = api.task(api.item()["id"])
    other = supervisor(client.application.test_client(), TAX)
    assert theirs["number"] not in text_of(other.get("/console/supervision/tasks"))
    page = other.get(f"/console/supervision/tasks/{theirs['id']}")  # the URL edited by hand
    assert page.status_code == 404 and theirs["title"] not in text_of(page)
    denied = actions("access.denied")
    assert denied and denied[-1].details["code"] == "outside_department"
    assert denied[-1].details["route"] == "/console/supervision/tasks/<int:task_id>"
    commit = other.post(f"/console/supervision/tasks/{theirs['id']}/commit",
                        {"seed_method": "shares", "share_sha256_1": SHARE_HASHES[0], "share_sha256_2": SHARE_HASHES[1]})
    assert commit.status_code == 404 and len(actions("access.denied")) == len(denied) + 1
    assert db.session.get(SamplingTask, theirs["id"]).state == "draft"
    admin = signed_in(client.application.test_client(), "admin")
    assert admin.get(f"/console/supervision/tasks/{theirs['id']}").status_code == 200  # admins see every department


def test_a_draft_is_edited_and_a_change_after_commitment_refused_and_audited(client):
    graded_merchants({"B": 3, "C": 2})
    c = supervisor(client)
    task = make_task(c)
    page = c.get(f"/console/supervision/tasks/{task.id}").get_data(as_text=True)
    assert 'id="edit-form"' in page and 'value="magong"' in page  # the draft's pool in its edit form
    form = {"title": "改名后的抽查", "pool_market": "magong", "pool_scope_contains": "水产", "ratio_C": "0.50",
            "inspector_refs": "ZF001", "inspectors_per_object": "1"}
    assert c.post(f"/console/supervision/tasks/{task.id}/edit", form).status_code == 303
    db.session.refresh(task)
    assert (task.title, task.pool, task.ratios["C"], len(task.inspector_ids)) == (
        "改名后的抽查", {"market": "magong", "scope_contains": "水产"}, "0.50", 1)
    bad = c.post(f"/console/supervision/tasks/{task.id}/edit", {**form, "ratio_A": "0.5"})
    assert bad.status_code == 422 and "优的抽查比例应在 0 到 0.05 之间" in text_of(bad)
    c.post(f"/console/supervision/tasks/{task.id}/edit", {**form, "pool_scope_contains": ""})
    c.post(f"/console/supervision/tasks/{task.id}/commit", {"seed_method": "public_value",
                                                            "public_value_source": "2026年12月2日福彩3D开奖号码"})
    db.session.refresh(task)
    assert task.state == "committed" and 'id="edit-form"' not in c.get(f"/console/supervision/tasks/{task.id}").get_data(
        as_text=True)
    late = c.post(f"/console/supervision/tasks/{task.id}/edit", form)  # a form left open in another tab
    assert late.status_code == 422 and "已公示承诺" in text_of(late)
    assert len(actions("supervision.task.change_refused")) == 1
    drawn = c.post(f"/console/supervision/tasks/{task.id}/draw", {"public_value": "418"})
    assert drawn.status_code == 303


def test_a_declared_conflict_is_a_recusal_at_commitment(client):
    handles = graded_merchants({"B": 2})
    c = supervisor(client)
    task = make_task(c)
    assert "登记回避" in text_of(c.get("/console/supervision/inspectors/conflicts"))
    done = c.post("/console/supervision/inspectors/conflicts", {"ref": "ZF001", "handle": handles[0], "reason": "近亲属经营"})
    assert done.status_code == 200 and "已登记" in text_of(done), text_of(done)[:500]
    other = supervisor(client.application.test_client(), TAX)
    refused = other.post("/console/supervision/inspectors/conflicts", {"ref": "ZF001", "handle": handles[1],
                                                                       "reason": "x"})
    assert refused.status_code == 422 and "本部门没有执法证号为 ZF001" in text_of(refused)  # not its inspector
    c.post(f"/console/supervision/tasks/{task.id}/commit", {"seed_method": "shares", "share_sha256_1": SHARE_HASHES[0],
                                                            "share_sha256_2": SHARE_HASHES[1]})
    db.session.refresh(task)
    assert "ZF001" in task.recusals[handles[0]]


def test_a_post_without_the_csrf_token_is_refused(client):
    graded_merchants({"B": 3})
    c = supervisor(client)
    task = make_task(c)
    resp = c.post(f"/console/supervision/tasks/{task.id}/commit", {"seed_method": "shares",
                                                                   "share_sha256_1": SHARE_HASHES[0],
                                                                   "share_sha256_2": SHARE_HASHES[1]}, csrf=False)
    assert resp.status_code == 403 and "防伪令牌" in text_of(resp)
    db.session.refresh(task)
    assert task.state == "draft"


def test_other_roles_cannot_open_supervision(client):
    window = signed_in(client, "window", department=SAMR)  # a department's name, not the department role
    assert window.get("/console/supervision/tasks").status_code == 403
    assert actions("access.denied")[-1].details["code"] == "wrong_role"


def warned(client, name="海味行"):
    subject = merchant_subject(name, "B")
    resp = client.post("/api/dept/v1/records", json=penalty({"uscc": subject.uscc, "subject_name": name},
                                                            severity="minor"), headers=dept())
    assert resp.status_code == 201
    return subject, db.session.query(RiskWarning).filter_by(subject_id=subject.id).one()


def test_a_warning_becomes_a_talk_taken_to_verification(client, clock):
    subject, warning = warned(client)
    c = supervisor(client)
    page = c.get("/console/supervision/warnings?status=open")
    assert subject.handle in text_of(page) and "重点领域新增行政处罚" in text_of(page)
    link = f"/console/supervision/talks/new?warning_id={warning.id}"
    assert link in page.get_data(as_text=True)
    form = c.get(link)
    assert f'value="{warning.id}"' in form.get_data(as_text=True)
    resp = c.post("/console/supervision/talks/new", {
        "warning_id": str(warning.id), "kind": "warning", "scheduled_at": "2026-12-08T09:30",
        "place": "市市场监管局三楼会议室", "attendees": "经营者本人、执法人员", "content": "告知失信风险及后果",
        "rectification": "建立进货查验台账", "rectification_days": "5"})
    assert resp.status_code == 303, text_of(resp)[:600]
    talk = db.session.execute(select(Talk)).scalar_one()
    assert talk.scheduled_at.astimezone(dt.UTC) == dt.datetime(2026, 12, 8, 1, 30, tzinfo=dt.UTC)  # Beijing 09:30
    assert talk.attendees == ["经营者本人", "执法人员"] and db.session.get(RiskWarning, warning.id).status == "talk"
    base = f"/console/supervision/talks/{talk.id}"
    assert "发出约谈通知" in text_of(c.get(base)) and "核实整改" not in text_of(c.get(base))
    wrong = c.post(f"{base}/verify", {})
    assert wrong.status_code == 422 and "不能核实整改" in text_of(wrong)
    assert c.post(f"{base}/notify", {}).status_code == 303
    assert c.post(f"{base}/hold", {"outcome": "经营者承认问题", "commitment_text": "五个工作日内建立台账",
                                   "commitment_signer": "经营者 王某"}).status_code == 303
    assert c.post(f"{base}/rectify", {}).status_code == 303
    db.session.refresh(talk)
    due = add_working_days(china_today(), 5)
    assert talk.state == "rectification_due" and talk.rectification_due_on == due
    page = c.get(base)
    assert due.isoformat() in text_of(page) and "按工作日历计算" in text_of(page) and 'class="overdue"' not in page.get_data(as_text=True)
    listing = c.get("/console/supervision/talks")
    assert talk.number in text_of(listing) and 'class="overdue"' not in listing.get_data(as_text=True)
    clock.advance((due - china_today()).days * 86400 + 86400 * 2)  # past the deadline
    c = supervisor(client)  # signed in again: the idle timeout ended the session
    late = c.get("/console/supervision/talks")
    assert 'class="overdue"' in late.get_data(as_text=True) and "逾期" in text_of(late)
    assert talk.number in text_of(c.get("/console/supervision/overdue"))
    assert c.post(f"{base}/verify", {"outcome": "台账已建立"}).status_code == 303
    db.session.refresh(talk)
    assert talk.state == "verified" and talk.commitment.content == "五个工作日内建立台账"
    assert talk.commitment.code in text_of(c.get(base))  # the credit commitment the talk signed, by its code
    assert [e.action for e in db.session.execute(select(AuditEntry)).scalars() if e.action.startswith(
        "supervision.talk.")] == ["supervision.talk.plan", "supervision.talk.notify", "supervision.talk.hold",
                                  "supervision.talk.rectify", "supervision.talk.verify"]
    csv = c.get("/console/supervision/warnings?format=csv").data.decode("utf-8-sig")
    assert subject.handle in csv and "已安排约谈" in csv


def test_another_departments_talk_is_not_found(client):
    _, warning = warned(client)
    c = supervisor(client)
    c.post("/console/supervision/talks/new", {"warning_id": str(warning.id), "kind": "reminder",
                                              "scheduled_at": "2026-12-08T09:30", "place": "会议室", "content": "提示"})
    talk = db.session.execute(select(Talk)).scalar_one()
    other = supervisor(client.application.test_client(), TAX)
    assert other.get(f"/console/supervision/talks/{talk.id}").status_code == 404
    assert other.post(f"/console/supervision/talks/{talk.id}/notify", {}).status_code == 404
    assert actions("access.denied")[-1].details["code"] == "outside_department"
    assert "海味行" not in text_of(other.get("/console/supervision/warnings"))
    db.session.refresh(talk)
    assert talk.state == "planned"


def test_closing_a_warning_and_the_prevention_list(client):
    subject, warning = warned(client)
    c = supervisor(client)
    assert c.post(f"/console/supervision/warnings/{warning.id}/close", {"reason": "已核实为误报"}).status_code == 303
    assert db.session.get(RiskWarning, warning.id).status == "closed"
    again = c.post(f"/console/supervision/warnings/{warning.id}/close", {"reason": "再次关闭"})
    assert again.status_code == 422 and "已处置" in text_of(again)
    resp = c.post("/console/supervision/prevention", {"handle": subject.handle, "basis": "《广东省社会信用条例》",
                                                      "reason": "多次销售不合格产品", "review_on": "2026-01-05"})
    assert resp.status_code == 200 and "已列入重大失信风险预防清单" in text_of(resp), text_of(resp)[:600]
    html = resp.get_data(as_text=True)
    assert subject.handle in html and 'class="overdue"' in html  # past its review date
    assert "预防清单待复核" in text_of(c.get("/console/supervision/overdue"))
    bad = c.post("/console/supervision/prevention", {"handle": subject.handle, "basis": "依据", "reason": "事由"})
    assert bad.status_code == 422 and "复核日期" in text_of(bad)


def test_lists_are_paginated(client):
    c = supervisor(client)
    for i in range(55):
        c.post("/console/supervision/inspectors", {"ref": f"P{i:03d}", "name": f"执法员{i}"})
    first = c.get("/console/supervision/inspectors")
    assert "共 55 条" in text_of(first) and "第 1 / 2 页" in text_of(first) and "P054" not in text_of(first)
    second = c.get("/console/supervision/inspectors?page=2")
    assert "P054" in text_of(second) and "P000" not in text_of(second)
    csv = c.get("/console/supervision/inspectors?format=csv").data.decode("utf-8-sig")
    assert "P000" in csv and "P054" in csv  # the export holds the whole list
