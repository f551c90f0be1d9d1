"""A resident who subscribed hears of each step of their own repair application, once per step, through the fake
WeChat; nobody else hears of it."""

from __future__ import annotations

from backend.models import PushMessage
from backend.platform.extensions import db
from tests.credit.helpers import days_ago, dept, penalty
from tests.factories import resident_id
from tests.miniprogram_api.helpers import MpClient
from tests.repair.helpers import PDF, act, mp_apply

REPAIR = "tmpl-repair-changed-0001"


def test_each_step_of_a_repair_is_pushed_once_to_the_applicant(app, client, wechat):
    app.config["SUBSCRIBE_TEMPLATES"] = {**app.config["SUBSCRIBE_TEMPLATES"], "repair_changed": {
        "template_id": REPAIR, "page": "pages/credit/index", "title": "信用修复进度提醒",
        "fields": {"thing1": "title", "character_string2": "number", "thing3": "state", "date4": "date"}}}
    rid = resident_id(88)
    filed = client.post("/api/dept/v1/records", headers=dept(), json=penalty(
        {"resident_id": rid}, severity="general", severity_class="general", decided_on=days_ago(120)))
    assert filed.status_code == 201, filed.get_json()
    mp = MpClient(client, wechat, "o-repair-push").login()
    assert mp.bind(rid).status_code == 200
    other = MpClient(client, wechat, "o-bystander").login()
    assert other.bind(resident_id(89)).status_code == 200
    for openid in (mp.openid, other.openid):
        for _ in range(3):
            wechat.subscribe(openid, REPAIR)
    applied = mp_apply(mp, filed.get_json()["record"]["id"], (PDF, "缴款凭证.pdf"))
    assert applied.status_code == 201, applied.get_json()
    ref = applied.get_json()["ref"]
    assert act(client, ref, "accept").status_code == 200
    sent = wechat.delivered(mp.openid)
    assert [m["template_id"] for m in sent] == [REPAIR, REPAIR]
    assert [m["data"]["character_string2"]["value"] for m in sent] == [ref, ref]
    assert [m["data"]["thing3"]["value"] for m in sent] == ["已提交，待受理", "已受理，认定部门审查中"]
    assert wechat.delivered(other.openid) == []
    db.session.expire_all()
    assert db.session.query(PushMessage).filter_by(event="repair_changed").count() == 2
