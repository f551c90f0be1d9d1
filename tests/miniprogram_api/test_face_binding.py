"""Real-name binding needs proof, not knowledge: WeChat face verification (人脸核身) through the fake WeChat,
or a service-window clerk who checked the ID card; no oracle, attempts limited per id, refusals audited."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import AuditEntry, MpAccount
from backend.platform.extensions import db
from miniprogram_api.wechat import cert_hash
from tests.factories import bearer, operator_token, person, resident_id
from tests.merchants.helpers import market_operator
from tests.miniprogram_api.helpers import MpClient


def start(mp, rid, name="陈晓明"):
    return mp.post("/me/identity/face-verifications", json={"name": name, "id_number": rid})


def confirm(mp, started):
    return mp.post(f"/me/identity/face-verifications/{started.get_json()['verification_id']}/confirm")


def actions() -> list[str]:
    return list(db.session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars())


def test_the_face_verification_protocol_as_wechat_documents_it(mp, wechat):
    rid = resident_id(41)
    started = start(mp, rid)
    assert started.status_code == 201
    (opened,) = wechat.requests_to("/cityservice/face/identify/getverifyid")
    assert opened.json["cert_info"] == {"cert_type": "IDENTITY_CARD", "cert_name": "陈晓明", "cert_no": rid}
    assert opened.json["openid"] == mp.openid and opened.query["access_token"].startswith("fake-token-")
    wechat.finish_face_verification(started.get_json()["verify_id"])
    assert confirm(mp, started).status_code == 200
    (asked,) = wechat.requests_to("/cityservice/face/identify/queryverifyinfo")
    assert asked.json == {"verify_id": started.get_json()["verify_id"], "out_seq_no": opened.json["out_seq_no"],
                          "cert_hash": cert_hash("陈晓明", rid), "openid": mp.openid}


def test_the_documented_cert_hash():
    assert cert_hash("张三", "310101199801011234") == "3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b"


def test_a_leaked_name_and_id_no_longer_take_a_file(client, wechat, mp):
    """The attacker knows the victim's name and id; their face does not match: nothing is bound."""
    rid = resident_id(42)
    victim_file = person("林秀英", rid=rid)
    attacker = mp
    resp = attacker.bind(rid, "林秀英", verify_ret=10004)
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "face_verification_failed"
    assert "不一致" in resp.get_json()["error"]["message"]
    assert attacker.get("/me").get_json()["identity_bound"] is False
    victim = MpClient(client, wechat, "o-victim").login()
    assert victim.bind(rid, "林秀英").status_code == 200
    assert db.session.execute(select(MpAccount.id).where(MpAccount.subject_id == victim_file.id)).scalar_one()
    assert "mp_account.bind_identity.refused" in actions()


def test_confirming_without_finishing_or_twice_binds_nothing(mp, wechat):
    started = start(mp, resident_id(43))
    cancelled = confirm(mp, started)  # the user never finished the face check (WeChat: 90002, cancelled)
    assert cancelled.status_code == 422 and cancelled.get_json()["error"]["details"] == {"verify_ret": 90002}
    assert "取消" in cancelled.get_json()["error"]["message"]
    wechat.finish_face_verification(started.get_json()["verify_id"])
    again = confirm(mp, started)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "verification_finished"
    assert mp.get("/me").get_json()["identity_bound"] is False


def test_another_account_cannot_confirm_my_verification(mp, other_mp, wechat):
    started = start(mp, resident_id(44))
    wechat.finish_face_verification(started.get_json()["verify_id"])
    stolen = confirm(other_mp, started)
    assert stolen.status_code == 404 and other_mp.get("/me").get_json()["identity_bound"] is False
    assert confirm(mp, started).status_code == 200


def test_starting_answers_alike_whether_or_not_a_file_exists(mp, other_mp):
    """No oracle: a filed id, an unknown id and a filed id with another name get the same answer."""
    filed = resident_id(45)
    person("黄志明", rid=filed)
    answers = [start(mp, filed, "黄志明"), start(mp, resident_id(46), "黄志明"), start(other_mp, filed, "李四")]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert all(set(a.get_json()) == {"verification_id", "verify_id", "expires_at"} for a in answers)


def test_attempts_per_id_number_are_limited_across_accounts(app, client, wechat, mp, other_mp):
    app.config["MP_BIND_ID_RATE_LIMIT"] = "2 per day"
    rid = resident_id(47)
    assert [start(mp, rid).status_code, start(other_mp, rid).status_code] == [201, 201]
    third = start(MpClient(client, wechat, "o-third").login(), rid)
    assert third.status_code == 429 and third.headers["Retry-After"]
    assert start(other_mp, resident_id(48)).status_code == 201  # another id is not affected


def test_the_knowledge_only_binding_is_gone(mp):
    resp = mp.post("/me/identity", json={"name": "陈晓明", "id_number": resident_id(49)})
    assert resp.status_code == 410 and resp.get_json()["error"]["code"] == "use_face_verification"


def counter_code(mp) -> str:
    resp = mp.post("/me/identity/counter-code")
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["counter_code"]


def bind_at_window(client, token, code, rid, name="吴丽华"):
    return client.post("/api/dept/v1/identity-bindings", headers=bearer(token),
                       json={"counter_code": code, "name": name, "id_number": rid})


def test_a_window_clerk_binds_after_checking_the_card(client, mp):
    clerk = operator_token("window", department="汕尾市政务服务中心")
    rid = resident_id(50)
    resp = bind_at_window(client, clerk, counter_code(mp), rid)
    assert resp.status_code == 201 and resp.get_json()["display_name"] == "吴*华"
    assert rid not in resp.get_data(as_text=True)
    assert mp.get("/me").get_json()["identity_bound"] is True
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "mp_account.bind_identity")).scalar_one()
    assert entry.actor.startswith("operator:") and entry.details["method"] == "counter"


def test_counter_codes_are_single_use_expiring_and_for_windows_only(client, mp, other_mp, clock):
    clerk = operator_token("window", department="汕尾市政务服务中心")
    code = counter_code(mp)
    for other in (operator_token("department"), market_operator("magong")):
        assert bind_at_window(client, other, code, resident_id(51)).status_code == 403
    wrong = bind_at_window(client, clerk, "ABCD-EFGH", resident_id(51))
    assert wrong.status_code == 422 and wrong.get_json()["error"]["code"] == "invalid_counter_code"
    assert bind_at_window(client, clerk, code, resident_id(51)).status_code == 201
    used = bind_at_window(client, clerk, code, resident_id(52))
    assert used.status_code == 409 and used.get_json()["error"]["code"] == "counter_code_used"
    late = counter_code(other_mp)
    clock.advance(601)
    assert bind_at_window(client, clerk, late, resident_id(53)).status_code == 410
    assert actions().count("mp_account.bind_identity.refused") >= 1


def test_an_id_bound_elsewhere_is_told_only_after_proof(client, mp, other_mp):
    rid = resident_id(54)
    assert mp.bind(rid).status_code == 200
    assert start(other_mp, rid).status_code == 201  # before proof: the same answer as for any id
    resp = other_mp.bind(rid)  # after passing face verification the holder may learn it, and how to appeal
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "id_already_bound"
