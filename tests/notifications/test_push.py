"""Subscribe-message pushes through the fake WeChat: sent after commit by a job, each refusal recorded, nothing
lost, nothing sent twice, never retried in a loop."""

from __future__ import annotations

import pytest

from backend.models import MerchantOwner, MpAccount, PushMessage
from backend.notifications import SEND_JOB
from backend.platform import jobs
from backend.platform.db import use_case
from backend.platform.extensions import db
from tests.credit.helpers import dept, penalty, record
from tests.factories import resident_id
from tests.merchants.helpers import merchant, row_subject
from tests.miniprogram_api.helpers import MpClient

SEND = "/cgi-bin/message/subscribe/send"
RISK, FILED = "tmpl-risk-warning-0001", "tmpl-record-filed-0001"


@pytest.fixture
def resident(client, wechat):
    rid = resident_id(321)
    mp = MpClient(client, wechat, "o-push-resident").login()
    assert mp.bind(rid).status_code == 200
    mp.rid = rid
    return mp


def file(client, body):
    resp = client.post("/api/dept/v1/records", json=body, headers=dept())
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def messages(event=None):
    db.session.expire_all()
    q = db.session.query(PushMessage).order_by(PushMessage.id)
    return q.filter_by(event=event).all() if event else q.all()


def test_the_templates_to_ask_for_and_the_choices_reported(client, resident):
    listed = client.get("/api/mp/v1/subscribe-templates").get_json()["items"]
    assert {t["event"]: t["template_id"] for t in listed} == {"risk_warning": RISK, "record_filed": FILED}
    assert all(t["title"] for t in listed)
    resp = resident.post("/me/subscriptions", json={"results": {FILED: "accept", "tmpl-unknown": "accept"}})
    assert resp.status_code == 200 and resp.get_json()["items"] == [
        {"template_id": FILED, "choice": "accept", "accepted_count": 1}]
    bad = resident.post("/me/subscriptions", json={"results": {FILED: "maybe"}})
    assert bad.status_code == 422


def test_a_record_filed_about_a_subscribed_resident_is_pushed_once(client, wechat, resident):
    wechat.subscribe(resident.openid, FILED)
    body = record({"resident_id": resident.rid}, "contract_performance", result="kept", title="按期履行合同")
    file(client, body)
    [sent] = wechat.delivered(resident.openid)
    assert sent["template_id"] == FILED and sent["data"]["thing1"]["value"] == "按期履行合同"
    assert sent["page"] == "pages/credit/index"
    [message] = messages("record_filed")
    assert message.status == "sent" and message.errcode == 0 and message.attempts == 1
    wechat.subscribe(resident.openid, FILED)  # even with another subscription waiting …
    file(client, body)  # … the same record again is no new event
    assert len(wechat.delivered(resident.openid)) == 1 and len(messages()) == 1

    @use_case
    def resend():
        jobs.submit(SEND_JOB, actor="test", params={"message_id": message.id})

    resend()  # a duplicate job for a settled message sends nothing
    assert len(wechat.requests_to(SEND)) == 1
    mine = resident.get("/me/messages").get_json()["items"]
    assert [(m["event"], m["status"]) for m in mine] == [("record_filed", "sent")]
    assert (mine[0]["event_zh"], mine[0]["status_zh"]) == ("信用记录变动提醒", "已发送")  # as the page shows them


REFUSALS = {
    43101: lambda fake, openid: fake.subscribe_templates.update({RISK, FILED}),  # templates exist, no subscription
    40037: lambda fake, openid: None,  # WeChat knows neither template
    45009: lambda fake, openid: (fake.subscribe(openid, FILED), fake.subscribe(openid, RISK),
                                 setattr(fake, "subscribe_quota", 0)),
    40003: lambda fake, openid: (fake.subscribe(openid, FILED), fake.subscribe(openid, RISK),
                                 fake.fail_next(SEND, 40003, "invalid openid", times=None)),
}


@pytest.mark.parametrize("errcode", sorted(REFUSALS))
def test_each_refusal_is_recorded_and_never_retried(client, wechat, resident, errcode):
    REFUSALS[errcode](wechat, resident.openid)
    file(client, penalty({"resident_id": resident.rid}, severity="minor"))  # 食品安全法: a record and a warning
    pushed = messages()
    assert sorted(m.event for m in pushed) == ["record_filed", "risk_warning"]
    assert all(m.status == "refused" and m.errcode == errcode and m.attempts == 1 for m in pushed), \
        [(m.event, m.status, m.errcode) for m in pushed]
    assert len(wechat.requests_to(SEND)) == 2  # one request per message, none again
    assert wechat.delivered() == []


def test_wechat_down_fails_the_message_without_retrying_or_failing_the_request(client, wechat, resident):
    wechat.subscribe(resident.openid, FILED)
    wechat.http_status_next(SEND, 502, times=None)
    file(client, record({"resident_id": resident.rid}, "honour", title="见义勇为"))
    [message] = messages("record_filed")
    assert message.status == "failed" and message.errcode is None
    assert len(wechat.requests_to(SEND)) == 1


def test_a_declined_template_is_skipped_without_asking_wechat(client, wechat, resident):
    resident.post("/me/subscriptions", json={"results": {FILED: "reject"}})
    file(client, record({"resident_id": resident.rid}, "honour", title="见义勇为"))
    [message] = messages("record_filed")
    assert message.status == "skipped" and wechat.requests_to(SEND) == []


def test_a_warning_and_a_talk_reach_the_bound_merchant_owner(client, wechat):
    owner = MpClient(client, wechat, "o-push-owner").login()
    row = merchant("阿强海鲜", grade="B")
    account = db.session.query(MpAccount).order_by(MpAccount.id.desc()).first()
    db.session.add(MerchantOwner(account_id=account.id, merchant_id=row.id))
    db.session.commit()
    wechat.subscribe(owner.openid, RISK, times=2)
    subject = row_subject(row)
    file(client, penalty({"uscc": subject.uscc, "subject_name": "阿强海鲜"}, severity="minor"))
    warned = [m for m in wechat.delivered(owner.openid) if m["template_id"] == RISK]
    assert len(warned) == 1 and warned[0]["data"]["thing1"]["value"] == "重点领域新增行政处罚"
    warning_id = client.get("/api/dept/v1/supervision/warnings", headers=dept()).get_json()["items"][0]["id"]
    talk = client.post("/api/dept/v1/supervision/talks", json={
        "warning_id": warning_id, "kind": "reminder", "scheduled_at": "2026-12-09T10:00:00+08:00",
        "place": "马宫市场管理处", "content": "提示约谈"}, headers=dept()).get_json()
    for _ in range(2):  # a repeated notify is refused (talk_state); the push went once
        client.post(f"/api/dept/v1/supervision/talks/{talk['id']}/notify", json={}, headers=dept())
    talks = [m for m in wechat.delivered(owner.openid) if m["data"]["thing1"]["value"] == "提示约谈"]
    assert len(talks) == 1 and talks[0]["data"]["thing2"]["value"].startswith("马宫市场管理处")
    assert len(messages("risk_warning")) == 2


def test_a_message_whose_job_was_lost_is_queued_again(client, wechat, resident, app, clock):
    wechat.subscribe(resident.openid, FILED)
    run_job = app.extensions["run_job"]
    app.extensions["run_job"] = lambda job_id: None  # the queue loses the job
    file(client, record({"resident_id": resident.rid}, "honour", title="见义勇为"))
    app.extensions["run_job"] = run_job
    [message] = messages("record_filed")
    assert message.status == "queued" and wechat.delivered() == []
    from backend.notifications.push import requeue_stale

    assert requeue_stale() == 0  # too fresh: its job may still be on the way
    db.session.query(PushMessage).update({"created_at": message.created_at.replace(year=2025)})
    db.session.commit()
    assert requeue_stale() == 1
    assert len(wechat.delivered(resident.openid)) == 1 and messages()[0].status == "sent"
    assert requeue_stale() == 0
