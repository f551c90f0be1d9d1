"""Talks (约谈) through every state, working-day deadlines, escalations, the prevention list and overdue CSV."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from backend.models import AuditEntry, CreditCommitment, CreditRecord, ListEntry, RiskWarning, Talk
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today
from backend.platform.extensions import db
from tests.credit.helpers import dept, penalty
from tests.factories import merchant_subject
from tests.merchants.helpers import handle_of, merchant
from tests.supervision.helpers import Supervisor

BASE = "/api/dept/v1/supervision"


def warned_subject(client, name="海味行"):
    subject = merchant_subject(name, "B")
    resp = client.post("/api/dept/v1/records", json=penalty({"uscc": subject.uscc, "subject_name": name},
                                                            severity="minor"), headers=dept())
    assert resp.status_code == 201
    warning = db.session.query(RiskWarning).filter_by(subject_id=subject.id, rule="key_sector_penalty").one()
    return subject, warning


def plan(client, warning_id, **over):
    body = {"warning_id": warning_id, "kind": "warning", "scheduled_at": "2026-12-08T09:30:00+08:00",
            "place": "市市场监管局三楼会议室", "attendees": ["经营者本人", "市场监管所执法人员"],
            "content": "告知失信风险及后果", "rectification": "建立进货查验台账", "rectification_days": 5, **over}
    resp = client.post(f"{BASE}/talks", json=body, headers=dept())
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def step(client, talk_id, action, expect=200, **body):
    resp = client.post(f"{BASE}/talks/{talk_id}/{action}", json=body, headers=dept())
    assert resp.status_code == expect, resp.get_json()
    return resp.get_json()


def test_a_talk_held_rectified_and_verified(client):
    subject, warning = warned_subject(client)
    talk = plan(client, warning.id)
    assert talk["state"] == "planned" and talk["number"].startswith("YT")
    assert db.session.get(RiskWarning, warning.id).status == "talk"
    wrong = step(client, talk["id"], "hold", expect=409)
    assert wrong["error"]["code"] == "talk_state"
    assert step(client, talk["id"], "notify")["state"] == "notified"
    held = step(client, talk["id"], "hold", outcome="经营者承认问题", commitment_text="七个工作日内建立台账",
                commitment_signer="经营者 王某")
    assert held["state"] == "held" and held["commitment_text"] == "七个工作日内建立台账"
    commitment = db.session.get(CreditCommitment, held["commitment_id"])
    penalty_record = db.session.query(CreditRecord).filter_by(subject_id=subject.id).one()
    # The talk is about a penalty: a 信用修复型 commitment naming it, accepted by the talk's department.
    assert (commitment.commitment_type, commitment.record_id, commitment.status) == ("repair", penalty_record.id,
                                                                                    "active")
    assert commitment.subject_id == subject.id and commitment.accepting_unit == talk["department"]
    assert commitment.disclosure == "restricted" and commitment.content == "七个工作日内建立台账"
    assert len(commitment.code) == 20 and held["commitment"]["code"] == commitment.code
    assert held["commitment_signer"] == "经营者 王某"
    due = step(client, talk["id"], "rectify")
    assert due["state"] == "rectification_due"
    assert due["rectification_due_on"] == add_working_days(china_today(), 5).isoformat()
    done = step(client, talk["id"], "verify", outcome="现场核查台账已建立")
    assert done["state"] == "verified"
    assert done["commitment"]["status"] == "kept" and done["commitment"]["fulfilment"] == "full"
    assert [h["action"] for h in done["history"]] == ["plan", "notify", "hold", "rectify", "verify"]
    step(client, talk["id"], "escalate", expect=409, escalation="penalty")
    assert client.post(f"{BASE}/talks/{talk['id']}/dance", json={}, headers=dept()).status_code == 404


def test_a_no_show_escalated_to_the_watch_list(client):
    subject, warning = warned_subject(client, "无名档口")
    talk = plan(client, warning.id, kind="reminder")
    step(client, talk["id"], "notify")
    assert step(client, talk["id"], "no_show")["state"] == "no_show"
    bad = step(client, talk["id"], "escalate", expect=422)
    assert bad["error"]["details"]["field"] == "escalation"
    escalated = step(client, talk["id"], "escalate", escalation="watch_list", reference="汕市监关注〔2026〕5号")
    assert escalated["state"] == "escalated" and escalated["escalation_ref"].startswith("list_entry:")
    entry = db.session.query(ListEntry).filter_by(subject_id=subject.id, list_type="watch").one()
    assert entry.decision_document == "汕市监关注〔2026〕5号"
    assert db.session.query(RiskWarning).filter_by(subject_id=subject.id, rule="watch_list").count() == 1


def test_escalation_to_a_penalty_needs_its_document_number(client):
    _, warning = warned_subject(client, "鱼丸店")
    talk = plan(client, warning.id)
    for action in ("notify", "hold", "rectify"):
        step(client, talk["id"], action)
    step(client, talk["id"], "escalate", expect=422, escalation="penalty")
    done = step(client, talk["id"], "escalate", escalation="penalty", reference="汕市监罚〔2026〕88号")
    assert done["escalation_ref"] == "汕市监罚〔2026〕88号"


def test_a_higher_ratio_escalation_draws_the_subject_in_the_watch_stratum(client):
    rows = [merchant(f"档口{i}", grade="A") for i in range(20)]
    target = handle_of(rows[0])
    talk = client.post(f"{BASE}/talks", json={"handle": target, "kind": "warning", "scheduled_at": "2026-12-08T09:30:00+08:00",
                                             "place": "市场办公室", "content": "约谈", "rectification": "整改"},
                       headers=dept()).get_json()
    step(client, talk["id"], "notify")
    step(client, talk["id"], "no_show")
    step(client, talk["id"], "escalate", escalation="higher_ratio")
    s = Supervisor(client)
    task = s.task(s.item()["id"])
    s.commit(task["id"])
    published = s.public(task["number"])
    strata = {o["handle"]: o["stratum"] for o in published["objects"]}
    assert strata[target] == "W" and sum(1 for v in strata.values() if v == "A") == 19
    s.draw(task["id"])
    drawn = s.public(task["number"])["drawn"]
    assert [d["handle"] for d in drawn if d["stratum"] == "W"] == [target]  # ⌈0.30 × 1⌉ = 1
    assert sum(1 for d in drawn if d["stratum"] == "A") == math.ceil(Decimal("0.05") * 19)


def test_overdue_rectifications_and_reviews_in_the_csv(client, clock):
    subject, warning = warned_subject(client, "逾期商户")
    talk = plan(client, warning.id, rectification_days=3)
    for action in ("notify", "hold", "rectify"):
        step(client, talk["id"], action)
    resp = client.post(f"{BASE}/prevention-list", json={"handle": subject.handle, "basis": "《广东省社会信用条例》",
                                                         "reason": "多次食品抽检不合格", "review_on": china_today().isoformat(),
                                                         "warning_id": warning.id}, headers=dept())
    assert resp.status_code == 201
    before = client.get(f"{BASE}/overdue.csv", headers=dept()).get_data(as_text=True)
    assert "整改逾期" not in before
    due = dt.date.fromisoformat(db.session.get(Talk, talk["id"]).rectification_due_on.isoformat())
    clock.advance(((due - china_today()).days + 1) * 86400)
    csv_text = client.get(f"{BASE}/overdue.csv", headers=dept()).get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("类型,编号,主体标识")
    kinds = [line.split(",")[0] for line in lines[1:]]
    assert "整改逾期" in kinds and "预防清单待复核" in kinds and "约谈未记录" not in kinds
    assert subject.handle in csv_text and "逾期商户" in csv_text
    assert client.get(f"{BASE}/overdue.csv", headers=dept("汕尾市生态环境局")).get_data(as_text=True).count("\n") == 1


def test_a_rectification_not_done_breaks_the_commitment_through_credit(client):
    subject, warning = warned_subject(client, "失约档口")
    talk = plan(client, warning.id)
    step(client, talk["id"], "notify")
    held = step(client, talk["id"], "hold", commitment_text="五个工作日内建立进货查验台账", commitment_signer="经营者")
    step(client, talk["id"], "rectify")
    done = step(client, talk["id"], "escalate", escalation="watch_list", outcome="复查时仍未建立台账")
    commitment = db.session.get(CreditCommitment, held["commitment_id"])
    assert (commitment.status, commitment.fulfilment) == ("broken", "none")
    assert commitment.unfulfilled == "复查时仍未建立台账"
    # The breach listed the subject (credit's breach path): the escalation names that entry, no second one.
    [entry] = db.session.query(ListEntry).filter_by(subject_id=subject.id, list_type="watch").all()
    assert done["escalation_ref"] == f"list_entry:{entry.id}" == f"list_entry:{commitment.watch_entry_id}"
    assert entry.decision_document == commitment.code
    # Supervision heard of the breach through credit's event: one warning for this cause.
    [broken] = db.session.query(RiskWarning).filter_by(subject_id=subject.id, rule="commitment_broken").all()
    assert broken.cause_key == f"commitment_broken:commitment:{commitment.code}"
    assert db.session.query(AuditEntry).filter_by(action="commitment.broken", target_id=commitment.code).count() == 1


def test_a_talk_not_about_a_penalty_signs_an_other_type_commitment(client):
    target = handle_of(merchant("普通档口", grade="C"))
    talk = client.post(f"{BASE}/talks", json={"handle": target, "kind": "reminder", "place": "市场办公室",
                                             "scheduled_at": "2026-12-08T09:30:00+08:00", "content": "约谈"},
                       headers=dept()).get_json()
    step(client, talk["id"], "notify")
    held = step(client, talk["id"], "hold", commitment_text="规范明码标价")
    assert held["commitment"]["commitment_type"] == "other"
    step(client, talk["id"], "rectify", rectification="整改标价签")
    done = step(client, talk["id"], "escalate", escalation="penalty", reference="汕市监罚〔2026〕90号",
                fulfilment="partial")
    assert done["commitment"]["status"] == "broken" and done["commitment"]["fulfilment"] == "partial"
