"""Every error code the API can return, triggered through real requests: its message (and every message in its
details) is Chinese. The codes are found in the source, so a new error without a trigger here fails the test.

Chinese means: at least one Chinese character, and no two English words in a row (field names, codes,
header names and formats such as YYYY-MM-DD stay as they are: they are what the reader types).
"""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.app import create_app
from backend.config import TestConfig
from backend.demo.wechat_fake import FakeWeChat
from backend.models import CreditMark, Operator
from backend.platform import fonts, uploads
from backend.platform.crypto import credential_hash
from backend.platform.db import use_case
from backend.platform.errors import DomainError
from backend.platform.extensions import db
from backend.platform.web.errors import HTTP_CODES
from backend.platform.web.http import accepts
from backend.platform.web.uploads import files_in_request, send_upload
from tests.banks.helpers import authorise, bank_uscc, idem, new_bank
from tests.banks.helpers import profile as bank_profile
from tests.credit.helpers import SAMR, days_ago, penalty, record
from tests.factories import bearer, operator_token, person, resident_id, uscc_code
from tests.merchants.helpers import handle_of, market_operator, merchant
from tests.miniprogram_api.helpers import MpClient
from tests.objections.helpers import objection_body
from tests.scanning.helpers import code_for, redeem, scan_setup, verify

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}[ ]+[A-Za-z]{2,}")


def all_subclasses(cls: type) -> list[type]:
    return [cls, *(s for sub in cls.__subclasses__() for s in all_subclasses(sub))]


def source_error_codes() -> set[str]:
    """Codes of every domain error raised in backend/ and miniprogram_api/, and of the HTTP-level handlers."""
    create_app(TestConfig)  # imports every module, so every DomainError subclass exists
    classes = {c.__name__: c for c in all_subclasses(DomainError)}
    codes = set(HTTP_CODES.values()) | {"http_error"}
    for path in [*(ROOT / "backend").rglob("*.py"), *(ROOT / "miniprogram_api").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in classes:
                given = [k.value.value for k in node.keywords if k.arg == "code" and isinstance(k.value, ast.Constant)]
                codes.update(given or [classes[name].code])
            elif name == "error_response" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                codes.add(node.args[1].value)
    return codes


def messages(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [m for v in value for m in messages(v)]
    if isinstance(value, dict):
        return [m for k, v in value.items() if k in ("message", "messages") or not isinstance(v, str | int)
                for m in messages(v)]
    return []


def assert_chinese(text: str) -> None:
    assert CJK.search(text), f"no Chinese in {text!r}"
    assert not ENGLISH_PHRASE.search(text), f"English words in {text!r}"


class World:
    """What the triggers share: the client, tokens, devices, a merchant, mini-program users, the fake WeChat."""

    def __init__(self, app, client, clock, wechat: FakeWeChat, monkeypatch) -> None:
        self.app, self.client, self.clock, self.wechat, self.monkeypatch = app, client, clock, wechat, monkeypatch
        self.admin = bearer(operator_token("admin"))
        self.dept = bearer(operator_token("department", department=SAMR))
        self.market = bearer(market_operator())
        self.other_market = bearer(market_operator("sanmalu"))
        self.devices = scan_setup()
        self.partner = bearer(operator_token("partner", partner_name="汕尾市公共交通有限公司"))
        self.merchant = merchant("测试海鲜档")
        self.handle = handle_of(self.merchant)
        self._openids = iter(range(1000))

    def mp(self, bound: bool = False) -> MpClient:
        user = MpClient(self.client, self.wechat, f"o-walk-{next(self._openids)}").login()
        if bound:
            assert user.bind(resident_id(900 + next(self._openids))).status_code == 200
        return user

    def get(self, path, headers=None, **kw):
        return self.client.get(path, headers=headers, **kw)

    def post(self, path, headers=None, **kw):
        return self.client.post(path, headers=headers, **kw)


def _bus(w):
    return w.devices["transit"]["token"]


def _signing_key_race(w):
    from backend.keys import ring
    from backend.models import SigningKey

    db.session.query(SigningKey).delete()
    db.session.commit()

    def clash(**_kw):
        raise IntegrityError("INSERT", {}, Exception("duplicate"))

    w.monkeypatch.setattr(ring, "ensure_signing_key", clash)

    @use_case
    def inside():
        ring.keyring()

    with pytest.raises(DomainError) as caught:
        inside()
    return caught.value


def _no_market_scope(w):
    token = "op_walk_no_market_scope_token_0000000000"
    db.session.add(Operator(name="无市场", role="market", token_hash=credential_hash(token)))
    db.session.commit()
    return w.get("/api/dept/v1/merchants", bearer(token))


def _binding_code(w):
    return w.post(f"/api/dept/v1/merchants/{w.handle}/binding-codes", w.market, json={}).get_json()["binding_code"]


def _binding_used(w):
    code = _binding_code(w)
    w.mp().post("/me/merchants", json={"binding_code": code})
    return w.mp().post("/me/merchants", json={"binding_code": code})


def _binding_expired(w):
    code = _binding_code(w)
    w.clock.advance(w.app.config["MERCHANT_BINDING_TTL_SECONDS"] + 1)
    return w.mp().post("/me/merchants", json={"binding_code": code})


def _commitment(w):
    resp = w.post(f"/api/dept/v1/merchants/{w.handle}/commitments", w.market,
                  json={"title": "诚信经营", "content": "不短斤少两", "signed_on": days_ago(10)})
    return resp.get_json()["id"]


def _commitment_closed(w):
    cid = _commitment(w)
    url = f"/api/dept/v1/merchants/{w.handle}/commitments/{cid}/status"
    body = {"status": "withdrawn", "on": days_ago(1), "reason": "撤回"}
    w.post(url, w.market, json=body)
    return w.post(url, w.market, json=body)


def _inspection(w, report="SWJ-WALK-1"):
    return w.post(f"/api/dept/v1/merchants/{w.handle}/inspections", w.market,
                  json={"product": "对虾", "sampled_on": days_ago(3), "agency": "汕尾市食品检验所", "result": "pass",
                        "report_no": report})


def _listed(w, twice=False):
    body = {"uscc": uscc_code(), "subject_name": "名单企业", "list_type": "watch", "reason": "多次抽检不合格",
            "legal_basis": "《市场监督管理严重违法失信名单管理办法》", "decision_document": "汕市监〔2026〕9号",
            "starts_on": days_ago(5)}
    first = w.post("/api/dept/v1/list-entries", w.dept, json=body)
    return w.post("/api/dept/v1/list-entries", w.dept, json=body) if twice else first


def _list_removed_twice(w):
    entry = _listed(w).get_json()["id"]
    w.post(f"/api/dept/v1/list-entries/{entry}/remove", w.dept, json={"reason": "依法移出"})
    return w.post(f"/api/dept/v1/list-entries/{entry}/remove", w.dept, json={"reason": "依法移出"})


def _csv(w, body: bytes):
    return w.client.post("/api/dept/v1/records/import", data=body, headers={**w.dept, "Content-Type": "text/csv"})


def _second_incentive(w):
    w.post("/api/dept/v1/incentives", w.partner, json={"code": "bus-walk", "title": "测试优惠", "quota_count": 1,
                                                         "quota_period": "day", "eligible_grades": "AB"})


def _idempotency_reused(w):
    _second_incentive(w)
    code = code_for(person("甲", "A"))
    redeem(w.client, _bus(w), code, "bus-discount", "walk-key-0001")
    return redeem(w.client, _bus(w), code, "bus-walk", "walk-key-0001")


def _over_quota(w):
    code = code_for(person("乙", "A"))
    redeem(w.client, _bus(w), code, "bus-discount")
    return redeem(w.client, _bus(w), code, "bus-discount")


def _session_expired(w):
    user = w.mp()
    w.clock.advance(w.app.config["MP_SESSION_TTL_SECONDS"] + 1)
    return user.get("/me")


def _account_already_bound(w):
    return w.mp(bound=True).bind(resident_id(801))


def _id_already_bound(w):
    rid = resident_id(802)
    w.mp().bind(rid)
    return w.mp().bind(rid)


def _subject_name_mismatch(w):
    rid = resident_id(803)
    person("王真名", "B", rid=rid)
    return w.post("/api/dept/v1/records", w.dept, json=penalty({"resident_id": rid}, subject_name="李假名"))


def _face_started(w, user=None):
    user = user or w.mp()
    started = user.post("/me/identity/face-verifications", json={"name": "陈晓明", "id_number": resident_id(804)})
    return user, started.get_json()


def _confirm(user, started):
    return user.post(f"/me/identity/face-verifications/{started['verification_id']}/confirm")


def _face_failed(w):
    user, started = _face_started(w)
    w.wechat.finish_face_verification(started["verify_id"], 10004)
    return _confirm(user, started)


def _face_invalid(w):
    user, started = _face_started(w)
    w.wechat.fail_next("/cityservice/face/identify/queryverifyinfo", 84002, "verify info not match")
    return _confirm(user, started)


def _verification_finished(w):
    user, started = _face_started(w)
    _confirm(user, started)  # not finished: refused, and the verification is spent
    return _confirm(user, started)


def _verification_expired(w):
    user, started = _face_started(w)
    w.clock.advance(3601)
    return _confirm(user, started)


def _account_not_found(w):
    from backend.models import MpAccount, MpSession

    user = w.mp()
    db.session.query(MpSession).delete()
    db.session.query(MpAccount).delete()
    db.session.commit()
    with w.app.test_request_context():
        from backend.accounts import identity

        with pytest.raises(DomainError) as caught:
            identity.issue_counter_code(10**6)
    del user
    return caught.value


def _window(w):
    return bearer(operator_token("window", department="汕尾市政务服务中心"))


def _counter_code(w, user=None):
    return (user or w.mp()).post("/me/identity/counter-code").get_json()["counter_code"]


def _at_window(w, code, headers=None, n=805):
    return w.post("/api/dept/v1/identity-bindings", headers or _window(w),
                  json={"counter_code": code, "name": "吴丽华", "id_number": resident_id(n)})


def _counter_code_used(w):
    code, clerk = _counter_code(w), _window(w)
    _at_window(w, code, clerk)
    return _at_window(w, code, clerk, n=806)


def _counter_code_expired(w):
    code = _counter_code(w)
    w.clock.advance(w.app.config["COUNTER_CODE_TTL_SECONDS"] + 1)
    return _at_window(w, code)


def _card(w, n=820):
    return w.post("/api/dept/v1/resident-cards", _window(w), json={"name": "陈阿婆", "id_number": resident_id(n)}
                  ).get_json()


def _card_revoked(w):
    card, clerk = _card(w), _window(w)
    w.post(f"/api/dept/v1/resident-cards/{card['serial']}/revoke", clerk, json={})
    return w.post(f"/api/dept/v1/resident-cards/{card['serial']}/revoke", clerk, json={})


def _card_void(w):
    card, clerk = _card(w, 821), _window(w)
    w.post(f"/api/dept/v1/resident-cards/{card['serial']}/revoke", clerk, json={})
    return w.get(card["pdf_url"], clerk)


def _id_check(w, scenario, n=822):
    return w.post("/api/scan/v1/id-checks", bearer(w.devices[scenario]["token"]), json={"id_number": resident_id(n)})


def _company(w):
    ref = {"uscc": uscc_code()}
    assert w.post("/api/dept/v1/records", w.dept, json=penalty(ref, subject_name="阿润水产有限公司")).status_code == 201
    return ref


def _link_request(w):
    ref = _company(w)
    resp = w.post("/api/dept/v1/merchants", w.market, json={"uscc": ref["uscc"], "name": "阿润海鲜档",
                                                            "stall_no": "LINK-1"})  # no factory stall is named so
    assert resp.status_code == 202, resp.get_json()
    return resp.get_json()["id"]


def _link_decided(w):
    rid = _link_request(w)
    w.post(f"/api/dept/v1/merchant-links/{rid}/refuse", w.admin, json={"reason": "不是本市场的商户"})
    return w.post(f"/api/dept/v1/merchant-links/{rid}/approve", w.admin, json={})


def _not_linkable(w):
    from backend.models import MerchantLinkRequest

    rid = _link_request(w)
    db.session.get(MerchantLinkRequest, rid).subject_id = person("张小三").id
    db.session.commit()
    return w.post(f"/api/dept/v1/merchant-links/{rid}/approve", w.admin, json={})


def _audit_chain_broken(w):
    from backend.models import AuditEntry
    from backend.platform.audit_checkpoints import write_checkpoint

    operator_token("admin")
    write_checkpoint()
    operator_token("admin")
    newest = db.session.query(AuditEntry).order_by(AuditEntry.seq.desc()).first()
    newest.actor = "operator:999"  # rewritten after the checkpoint, hashes left as they were
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        write_checkpoint()
    return caught.value


def _job(w):
    w.app.config["CSV_ASYNC_BYTES"] = 10
    body = "统一社会信用代码,主体名称\n".encode()
    resp = w.client.post("/api/dept/v1/records/import", data=body, headers={**w.dept, "Content-Type": "text/csv"})
    return resp.get_json()


def _job_not_retryable(w):
    return w.post(f"{_job(w)['url']}/retry", w.admin)


def _operator_revoked(w):
    from backend.credit import import_jobs
    from backend.models import Job

    revoked = Operator(name="已停用", role="department", department=SAMR, token_hash=credential_hash("op_walk_gone"))
    db.session.add(revoked)
    db.session.commit()
    revoked.revoked_at = revoked.created_at
    with pytest.raises(DomainError) as caught:
        import_jobs.run_csv_import(Job(kind=import_jobs.KIND, operator_id=revoked.id, actor="walk", payload=b""),
                                   lambda *a: None)
    db.session.rollback()
    return caught.value


def _demo_in_production(w):
    from backend.demo.seed import refuse_in_production

    w.app.config["ENV_NAME"] = "production"
    with pytest.raises(DomainError) as caught:
        refuse_in_production()
    w.app.config["ENV_NAME"] = "testing"
    return caught.value


def _rate_limited(w):
    w.app.config["MP_LOGIN_RATE_LIMIT"] = "1 per minute"
    w.post("/api/mp/v1/login", json={"code": "x"})
    return w.post("/api/mp/v1/login", json={"code": "x"})


def _wechat(w, errcode: int, times: int = 2):
    w.wechat.fail_next("/sns/jscode2session", errcode, "walk", times=times)
    return w.post("/api/mp/v1/login", json={"code": w.wechat.issue_login_code("o-walk-x")})


def _not_configured(w):
    w.app.config.update(WECHAT_APP_ID="")
    w.app.extensions.pop("wechat", None)
    return w.post("/api/mp/v1/login", json={"code": "x"})


def _font_missing(w):
    w.monkeypatch.setattr(fonts, "FONT_PACKAGE", "no_such_font_package")
    return w.get(f"/api/dept/v1/merchants/{w.handle}/poster.pdf", w.market)


def _not_a_person(w):
    result = w.app.test_cli_runner().invoke(args=["issue-code", w.handle])
    assert result.exit_code == 1
    return DomainError(result.output.removeprefix("Error: ").strip(), code="not_a_person")


def _objector(w):
    """A bound resident with a SAMR penalty on file: (mini-program user, record id)."""
    rid = resident_id(950 + next(w._openids))
    user = w.mp()
    assert user.bind(rid).status_code == 200
    return user, w.post("/api/dept/v1/records", w.dept, json=penalty({"resident_id": rid})).get_json()["record"]["id"]


def _objection(w, accepted=False, forwarded=False):
    user, record_id = _objector(w)
    number = user.post("/me/objections", json=objection_body(record_id)).get_json()["number"]
    if accepted or forwarded:
        w.post(f"/api/dept/v1/objections/{number}/accept", w.admin)
    if forwarded:
        w.post(f"/api/dept/v1/objections/{number}/check", w.admin, json={"own_error": False})
    return user, record_id, number


def _litigation(w, twice=False):
    _, record_id = _objector(w)
    body = {"item": "record", "item_id": record_id, "kind": "litigation", "ref": "（2026）粤1502行初1号"}
    return [w.post("/api/dept/v1/marks", w.dept, json=body) for _ in range(2 if twice else 1)][-1]


def _mark_cleared(w):
    mark = _litigation(w).get_json()["id"]
    w.post(f"/api/dept/v1/marks/{mark}/clear", w.dept, json={"reason": "判决已生效"})
    return w.client.put(f"/api/dept/v1/marks/{mark}/suspension", headers=w.dept, json={"suspended": True})


def _objection_mark(w):
    _, record_id, _ = _objection(w, accepted=True)
    mark = db.session.scalar(select(CreditMark.id).where(CreditMark.record_id == record_id))
    return w.post(f"/api/dept/v1/marks/{mark}/clear", w.dept, json={"reason": "误标"})


def _declared(w, verified=False):
    user = w.mp(bound=True)
    number = user.post("/me/declarations", json=DECLARATION).get_json()["number"]
    if verified:
        w.post(f"/api/dept/v1/declarations/{number}/decide", w.dept, json={"decision": "verified"})
    return number


DECLARATION = {"category": "honour", "title": "诚信示范户", "issuer": "汕尾市市场监督管理局", "document_no": "表-1",
               "issued_on": "2026-06-01", "department": SAMR, "commitment_accepted": True}


def _database_down(w):
    down = create_app(type("Down", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}}))
    return down.test_client().get("/api/dept/v1/operators", headers=bearer("op_whatever"))


def _bank(w):
    return new_bank(w.client, w.admin, f"测试银行{next(w._openids)}")


def _bank_authorised(w):
    bank, headers = _bank(w)
    user = w.mp(bound=True)
    return headers, user, authorise(user, bank["id"])


def _bank_exists(w):
    body = {"name": "某银行", "uscc": bank_uscc(999), "licence_no": "B9999H244150001"}
    return [w.post("/api/dept/v1/banks", w.admin, json=body) for _ in range(2)][-1]


def _bank_inactive(w):
    bank, headers = _bank(w)
    w.client.put(f"/api/dept/v1/banks/{bank['id']}/active", headers=w.admin, json={"active": False})
    return w.get("/api/bank/v1/me", headers)


def _authorisation_revoked(w):
    headers, user, auth = _bank_authorised(w)
    user.post(f"/me/bank-authorisations/{auth['handle']}/revoke")
    return bank_profile(w.client, headers, auth["handle"])


def _authorisation_expired(w):
    headers, _, auth = _bank_authorised(w)
    w.clock.advance(91 * 86400)
    return bank_profile(w.client, headers, auth["handle"])


def _outcome_reported(w):
    headers, _, auth = _bank_authorised(w)
    app_id = w.post(f"/api/bank/v1/authorisations/{auth['handle']}/applications", idem(headers),
                    json={"reference": "WALK-1"}).get_json()["id"]
    body = {"outcome": "declined", "decline_reason": "other"}
    return [w.post(f"/api/bank/v1/applications/{app_id}/outcome", idem(headers), json=body) for _ in range(2)][-1]
def _console(w, role: str = "admin"):
    """A console browser (its own cookies) signed in as a new operator of `role`."""
    from tests.console.helpers import ConsoleClient

    c = ConsoleClient(w.app.test_client())
    assert c.sign_in(operator_token(role)).status_code == 303
    return c


JSON = {"Accept": "application/json"}


def _console_login_failed(w):
    from tests.console.helpers import ConsoleClient, csrf_of

    c = ConsoleClient(w.app.test_client())
    form = c.get("/console/sign-in").get_data(as_text=True)
    return c.client.post("/console/sign-in", data={"csrf_token": csrf_of(form), "method": "token", "token": "op_x"},
                         headers=JSON)


def _console_username_taken(w):
    from backend.console import logins

    first, second = operator_token("department"), operator_token("department")
    assert first and second
    ids = [op.id for op in db.session.query(Operator).order_by(Operator.id.desc()).limit(2)]
    logins.set_login(ids[1], "taken.name", "a long enough password", actor="test")
    c = _console(w)
    return c.post(f"/console/operators/{ids[0]}/login", {"username": "taken.name", "password": "another long password"},
                  headers=JSON)


def _status(status: int):
    def trigger(w):
        return w.get(f"/api/walk/{status}")
    return trigger


def _window(w) -> dict:
    return bearer(operator_token("window", department="城区政务服务中心"))


def _uscc(w) -> str:
    from backend.models import Subject
    return db.session.get(Subject, w.merchant.subject_id).uscc


def _org_record(w, days: int = 150, category: str | None = None) -> dict:
    body = (record({"uscc": _uscc(w)}, category) if category else
            penalty({"uscc": _uscc(w)}, severity_class="general", decided_on=days_ago(days)))
    resp = w.post("/api/dept/v1/records", w.dept, json=body)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["record"]


def _window_repair(w, record_id: int, **extra):
    data = {"uscc": _uscc(w), "record_id": str(record_id), "statement": "已履行", "sign_commitment": "true", **extra}
    return w.client.post("/api/dept/v1/repairs", headers=_window(w), data=data, content_type="multipart/form-data")


def _repair(w) -> str:
    resp = _window_repair(w, _org_record(w)["id"])
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["ref"]


def _complete_at_window(w, ref: str, **data):
    return w.client.post(f"/api/dept/v1/repairs/{ref}/completion", headers=_window(w), data=data,
                         content_type="multipart/form-data")


def _returned(w) -> str:
    ref = _repair(w)
    assert w.post(f"/api/dept/v1/repairs/{ref}/return", w.dept, json={"items": ["缴款凭证"]}).status_code == 200
    return ref


def _already_returned(w):
    ref = _returned(w)
    assert _complete_at_window(w, ref, note="已补充").status_code == 200
    return w.post(f"/api/dept/v1/repairs/{ref}/return", w.dept, json={"items": ["整改报告"]})


def _not_published(w):
    rec = _org_record(w)
    w.post(f"/api/dept/v1/records/{rec['id']}/remove", w.dept, json={"reason": "决定已撤销"})
    return _window_repair(w, rec["id"])


def _repair_pending(w):
    rec = _org_record(w)
    _window_repair(w, rec["id"])
    return _window_repair(w, rec["id"])


def _credit_commitment(w, **over):
    body = {"uscc": _uscc(w), "commitment_type": "approval_replacing", "matter": "告知承诺",
            "content": "承诺补齐材料", "committed_on": days_ago(10), **over}
    return w.post("/api/dept/v1/commitments", w.dept, json=body)


def _unfulfilled_required(w):
    code = _credit_commitment(w).get_json()["code"]
    return w.post(f"/api/dept/v1/commitments/{code}/fulfilment", w.dept, json={"fulfilment": "none"})


def _basis_mismatch(w):
    rec = _org_record(w)
    return w.post("/api/dept/v1/list-entries", w.dept, json={
        "uscc": uscc_code(321), "subject_name": "别家", "list_type": "black", "reason": "严重失信",
        "legal_basis": "《某条例》", "decision_document": "黑〔2026〕9号", "starts_on": days_ago(1), "record_id": rec["id"]})


def _decision_withdrawn(w):
    from tests.disclosure.helpers import penalty as cf_penalty

    d = w.post("/api/dept/v1/disclosures/penalties", w.dept, json=cf_penalty(n=801)).get_json()["decision"]
    body = {"cause": "revoked", "changed_on": d["decided_on"], "reason": "复议撤销", "document": "汕府复决〔2026〕1号"}
    w.post(f"/api/dept/v1/disclosures/{d['id']}/withdraw", w.dept, json=body)
    return w.post(f"/api/dept/v1/disclosures/{d['id']}/withdraw", w.dept, json=body)


def _report_quota_exhausted(w):
    user = w.mp(bound=True)
    body = {"period_from": "2026-01-01", "period_to": "2026-06-30", "purpose": "招投标", "domains": ["admin_penalty"]}
    for _ in range(w.app.config["REPORT_FREE_PER_YEAR"]):
        assert user.post("/me/reports", json=body).status_code == 201
    return user.post("/me/reports", json=body)


TRIGGERS: dict[str, Callable] = {
    "csrf_failed": lambda w: _console(w).post("/console/signing-keys", csrf=False, headers=JSON),
    "login_failed": _console_login_failed,
    "username_taken": _console_username_taken,
    "invalid_decision": lambda w: w.post("/api/dept/v1/disclosures/penalties", w.dept,
                                         json={"CF_WSH": "汕市监罚〔2026〕1号", "CF_XDR_SHXYM": "91440000MA4W00001X"}),
    "decision_withdrawn": _decision_withdrawn,
    "decision_not_found": lambda w: w.post("/api/dept/v1/disclosures/999/publish", w.dept),
    "report_not_found": lambda w: w.get("/api/dept/v1/credit-reports/SW2026010100000001.pdf", w.dept),
    "subject_not_found": lambda w: w.get("/api/public/v1/subjects/NoSuchOne"),
    "report_quota_exhausted": _report_quota_exhausted,
    "bad_request": lambda w: w.get("/api/dept/v1/operators?q=%00", w.admin),
    "unauthorized": lambda w: w.get("/api/dept/v1/operators"),
    "forbidden": _status(403),
    "not_found": lambda w: w.post("/api/dept/v1/operators/999/revoke", w.admin),
    "method_not_allowed": lambda w: w.client.delete("/api/dept/v1/operators", headers=w.admin),
    "conflict": _status(409),
    "gone": _status(410),
    "payload_too_large": lambda w: w.post("/api/dept/v1/operators", w.admin, data="[" + "1," * 200_000 + "1]",
                                          content_type="application/json"),
    "unsupported_media_type": lambda w: w.post("/api/dept/v1/operators", w.admin, data="a=b",
                                               content_type="application/x-www-form-urlencoded"),
    "validation_failed": lambda w: w.post("/api/dept/v1/records", w.dept, json={
        "uscc": 5, "category": "nonsense", "title": "", "decided_on": "2026/03/01", "extra": 1}),
    "rate_limited": _rate_limited,
    "internal_error": lambda w: w.get("/api/walk/boom"),
    "unavailable": _status(503),
    "http_error": _status(418),
    "database_unavailable": _database_down,
    "wrong_role": lambda w: w.get("/api/dept/v1/operators", w.dept),
    "invalid_input": lambda w: w.post("/api/dept/v1/operators", w.admin, json={"name": "某部门", "role": "department"}),
    "already_revoked": lambda w: [w.post(f"/api/dept/v1/devices/{w.devices['transit']['id']}/revoke", w.admin)
                                  for _ in range(2)][-1],
    "invalid_uscc": lambda w: w.post("/api/dept/v1/records", w.dept, json=penalty({"uscc": "91440000MA4W00001X"})),
    "invalid_resident_id": lambda w: w.post("/api/dept/v1/records", w.dept,
                                            json=penalty({"resident_id": "441502199001011230"})),
    "department_required": lambda w: w.post("/api/dept/v1/records", w.admin, json=penalty({"uscc": uscc_code()})),
    "outside_department": lambda w: w.post("/api/dept/v1/records", w.dept,
                                           json=penalty({"uscc": uscc_code()}, department="汕尾市税务局")),
    "invalid_record": lambda w: w.post("/api/dept/v1/records", w.dept,
                                       json=penalty({"uscc": uscc_code()}, severity=None)),
    "not_a_person": _not_a_person,
    "subject_ref": lambda w: w.get("/api/dept/v1/subjects/file?purpose=核查", w.dept),
    "subject_name_required": lambda w: w.post("/api/dept/v1/records", w.dept, json={
        k: v for k, v in record({"uscc": uscc_code()}, "admin_licence").items() if k != "subject_name"}),
    "list_basis_required": lambda w: w.post("/api/dept/v1/list-entries", w.dept, json={
        "uscc": uscc_code(), "subject_name": "某企业", "list_type": "black", "reason": "  ", "legal_basis": "依据依据",
        "decision_document": "文书号1", "starts_on": days_ago(1)}),
    "already_listed": lambda w: _listed(w, twice=True),
    "already_removed": _list_removed_twice,
    "bad_encoding": lambda w: _csv(w, b"\x81\x20\xff"),
    "bad_csv": lambda w: _csv(w, b"uscc,title\n\x00,x\n"),
    "bad_header": lambda w: _csv(w, "统一社会信用代码,颜色\n".encode()),
    "rows_rejected": lambda w: _csv(w, "统一社会信用代码,主体名称,类别,标题,文书号,法律依据,决定日期\n"
                                       f"{uscc_code()},某企业,行政许可,许可,XK-1,《行政许可法》,2026-13-01\n".encode()),
    "wrong_partner": lambda w: w.post("/api/dept/v1/devices", w.partner, json={"name": "x", "partner_id": 999}),
    "partner_required": lambda w: w.post("/api/dept/v1/devices", w.admin, json={"name": "x"}),
    "code_taken": lambda w: w.post("/api/dept/v1/incentives", w.partner, json={"code": "bus-discount", "title": "x"}),
    "bad_window": lambda w: w.post("/api/dept/v1/incentives", w.partner, json={
        "code": "bus-window", "title": "x", "valid_from": "2026-06-01", "valid_to": "2026-05-01"}),
    "invalid_device": lambda w: verify(w.client, "dev_nobody", "x"),
    "wrong_scenario": lambda w: verify(w.client, _bus(w), "x", scenario="lodging"),
    "invalid_scan": lambda w: w.post("/api/scan/v1/redemptions", {**bearer(_bus(w)), "Idempotency-Key": "walk-key-1"},
                                     json={"code": code_for(person("丙", "A")), "incentive": "bus-discount",
                                           "scan_id": 999}),
    "idempotency_key_reused": _idempotency_reused,
    "code_rejected": lambda w: redeem(w.client, _bus(w), "garbage", "bus-discount"),
    "ineligible": lambda w: redeem(w.client, _bus(w), code_for(person("丁", "D")), "bus-discount"),
    "over_quota": _over_quota,
    "signing_key_race": _signing_key_race,
    "identity_required": lambda w: w.mp().get("/me/code"),
    "invalid_session": lambda w: w.get("/api/mp/v1/me", bearer("mps_nobody")),
    "session_expired": _session_expired,
    "account_already_bound": _account_already_bound,
    "id_already_bound": _id_already_bound,
    "subject_name_mismatch": _subject_name_mismatch,
    "use_face_verification": lambda w: w.mp().post("/me/identity", json={"name": "陈晓明", "id_number": resident_id(9)}),
    "face_verification_failed": _face_failed,
    "face_verification_invalid": _face_invalid,
    "verification_not_found": lambda w: w.mp().post("/me/identity/face-verifications/swf0000/confirm"),
    "verification_finished": _verification_finished,
    "verification_expired": _verification_expired,
    "account_not_found": _account_not_found,
    "invalid_counter_code": lambda w: _at_window(w, "ABCD-EFGH"),
    "counter_code_used": _counter_code_used,
    "counter_code_expired": _counter_code_expired,
    "card_not_found": lambda w: w.post("/api/dept/v1/resident-cards/ZZZZZZZZZZZZ/revoke", _window(w), json={}),
    "card_revoked": _card_revoked,
    "card_void": _card_void,
    "id_checks_not_allowed": lambda w: _id_check(w, "transit"),
    "resident_not_found": lambda w: _id_check(w, "medical"),
    "link_request_not_found": lambda w: w.get("/api/dept/v1/merchant-links/999", w.admin),
    "link_request_decided": _link_decided,
    "not_an_approver": lambda w: w.post(f"/api/dept/v1/merchant-links/{_link_request(w)}/approve", w.market, json={}),
    "not_linkable": _not_linkable,
    "registered_name_read_only": lambda w: w.client.patch(f"/api/dept/v1/merchants/{w.handle}", headers=w.market,
                                                          json={"name": "改名"}),
    "unknown_agency": lambda w: w.post(f"/api/dept/v1/merchants/{w.handle}/inspections", w.market, json={
        "product": "对虾", "sampled_on": days_ago(3), "agency": "某不明机构", "result": "pass", "report_no": "X-1"}),
    "agency_not_found": lambda w: w.post("/api/dept/v1/inspection-agencies/999/deactivate", w.admin),
    "audit_chain_broken": _audit_chain_broken,
    "no_checkpoint": lambda w: w.get("/.well-known/audit-checkpoint"),
    "demo_in_production": _demo_in_production,
    "job_not_found": lambda w: w.get("/api/dept/v1/jobs/999", w.admin),
    "job_not_retryable": _job_not_retryable,
    "operator_revoked": _operator_revoked,
    "invalid_login_code": lambda w: w.post("/api/mp/v1/login", json={"code": "never-issued"}),
    "wechat_rate_limited": lambda w: _wechat(w, 45011),
    "wechat_unavailable": lambda w: _wechat(w, -1),
    "wechat_error": lambda w: _wechat(w, 40013),
    "wechat_not_configured": _not_configured,
    "merchant_not_found": lambda w: w.get("/api/public/v1/merchants/NoSuchOne"),
    "code_void": lambda w: [w.post(f"/api/dept/v1/merchants/{w.handle}/reissue-code", w.market,
                                   json={"reason": "旧码污损"}),
                            w.get(f"/api/public/v1/merchants/{w.handle}-1")][-1],
    "market_not_found": lambda w: w.get("/api/public/v1/markets/nowhere/merchants"),
    "out_of_scope": lambda w: w.post(f"/api/dept/v1/merchants/{w.handle}/binding-codes", w.other_market, json={}),
    "invalid_binding_code": lambda w: w.mp().post("/me/merchants", json={"binding_code": "ABC"}),
    "binding_code_used": _binding_used,
    "binding_code_expired": _binding_expired,
    "duplicate_report": lambda w: [_inspection(w), _inspection(w)][-1],
    "no_market_scope": _no_market_scope,
    "stall_taken": lambda w: w.post("/api/dept/v1/merchants", w.market, json={
        "uscc": uscc_code(), "name": "新档", "stall_no": w.merchant.stall_no}),
    "merchant_exists": lambda w: [w.post("/api/dept/v1/merchants", w.market, json={
        "uscc": uscc_code(5555), "name": "甲档", "stall_no": f"S{n}"}) for n in range(2)][-1],
    "commitment_not_found": lambda w: w.post(f"/api/dept/v1/merchants/{w.handle}/commitments/999/status", w.market,
                                             json={"status": "withdrawn", "on": days_ago(1), "reason": "撤回"}),
    "commitment_closed": _commitment_closed,
    "font_missing": _font_missing,
    "scan_not_found": lambda w: w.get("/api/scan/v1/scans/999", bearer(_bus(w))),
    "query_not_found": lambda w: w.get("/api/dept/v1/joint-measures/queries/YJCX20260101000001", w.dept),
    "calendar_invalid": lambda w: w.client.put("/api/dept/v1/calendar/years/2027", headers=w.admin, json={
        "source": "通知", "days": [{"day": "2027-01-05", "kind": "workday"}]}),
    "calendar_year_unknown": lambda w: w.get("/api/dept/v1/calendar/years/2031", w.admin),
    "upload_empty": lambda w: _upload(w, b"", "a.pdf"),
    "upload_type": lambda w: _upload(w, b"MZ\x90", "a.pdf"),
    "upload_name": lambda w: _upload(w, b"%PDF-1.7", "../a.pdf"),
    "upload_too_large": lambda w: [w.app.config.update(UPLOAD_MAX_BYTES=4), _upload(w, b"%PDF-1.7", "a.pdf")][1],
    "upload_count": lambda w: w.client.post("/api/walk/upload", content_type="multipart/form-data", data={
        "files": [(io.BytesIO(b"%PDF-1"), "a.pdf"), (io.BytesIO(b"%PDF-1"), "b.pdf")]}),
    "upload_not_found": lambda w: w.get("/api/walk/upload/UP0"),
    "bank_exists": _bank_exists,
    "bank_inactive": _bank_inactive,
    "no_authorisation": lambda w: bank_profile(w.client, _bank(w)[1], "BAnosuchauthorisation"),
    "authorisation_revoked": _authorisation_revoked,
    "authorisation_expired": _authorisation_expired,
    "outcome_reported": _outcome_reported,
    "item_code_taken": lambda w: [w.post(f"{SUP}/items", w.dept, json={
        "code": "DUP-1", "name": "抽查", "basis": "依据", "object_type": "经营户"}) for _ in range(2)][-1],
    "inspector_ref_taken": lambda w: [w.post(f"{SUP}/inspectors", w.dept, json={"ref": "ZF-DUP", "name": "某"})
                                      for _ in range(2)][-1],
    "task_committed": lambda w: w.client.patch(f"{SUP}/tasks/{_sup_task(w, 'committed')['id']}", headers=w.dept,
                                               json={"pool": {"market": "sanmalu"}}),
    "task_state": lambda w: w.post(f"{SUP}/tasks/{_sup_task(w)['id']}/draw", w.dept, json={"public_value": "1"}),
    "seed_mismatch": lambda w: w.post(f"{SUP}/tasks/{_sup_task(w, 'committed')['id']}/draw", w.dept,
                                      json={"shares": ["甲", "乙"]}),
    "invalid_seed_source": lambda w: w.post(f"{SUP}/tasks/{_sup_task(w)['id']}/commit", w.dept,
                                            json={"seed_method": "shares"}),
    "not_drawn": lambda w: w.post(f"{SUP}/tasks/{_sup_task(w, 'drawn')['id']}/results", w.dept, json={
        "handle": "nobody", "outcome": "pass", "inspected_on": days_ago(1)}),
    "talk_state": lambda w: w.post(f"{SUP}/talks/{_sup_talk(w)['id']}/verify", w.dept, json={}),
    "warning_closed": lambda w: [w.post(f"{SUP}/warnings/{wid}/close", w.dept, json={"reason": "已处理"})
                                 for wid in [_sup_warning(w)] * 2][-1],
    "warning_unassigned": lambda w: w.post(f"{SUP}/warnings/{_sup_unassigned_warning(w)}/close", w.dept,
                                           json={"reason": "已处理"}),
    "item_not_found": lambda w: _objector(w)[0].post("/me/objections", json=objection_body(999)),
    "objection_open": lambda w: (lambda u, r: [u.post("/me/objections", json=objection_body(r)) for _ in range(2)][-1])(
        *_objector(w)),
    "objection_not_found": lambda w: w.get("/api/dept/v1/objections/YY0", w.admin),
    "objection_state": lambda w: w.post(f"/api/dept/v1/objections/{_objection(w, accepted=True)[2]}/accept", w.admin),
    "invalid_correction": lambda w: (lambda u, r: u.post("/me/objections", json=objection_body(r, corrections=[
        {"field": "starts_on", "proposed": "2026-01-01"}])))(*_objector(w)),
    "invalid_outcome": lambda w: w.post(f"/api/dept/v1/objections/{_objection(w, forwarded=True)[2]}/decide", w.dept,
                                        json={"outcome": "removed_from_list", "reason": "移出"}),
    "mark_not_found": lambda w: w.post("/api/dept/v1/marks/999/clear", w.dept, json={"reason": "已结案"}),
    "already_marked": lambda w: _litigation(w, twice=True),
    "mark_cleared": _mark_cleared,
    "objection_mark": _objection_mark,
    "declaration_not_found": lambda w: w.get("/api/dept/v1/declarations/SB0", w.admin),
    "declaration_state": lambda w: w.post(f"/api/dept/v1/declarations/{_declared(w, verified=True)}/decide", w.dept,
                                          json={"decision": "verified"}),
    "commitment_required": lambda w: w.mp(bound=True).post("/me/declarations", json={
        **DECLARATION, "commitment_accepted": False}),
    "already_returned": _already_returned,
    "basis_record_mismatch": _basis_mismatch,
    "class_not_found": lambda w: w.client.delete("/api/dept/v1/publication-classes/无此种类", headers=w.dept),
    "invalid_window": lambda w: w.client.put("/api/dept/v1/publication-classes/罚款", headers=w.dept, json={
        "severity_class": "general", "reference": "分类标准", "min_months": 12, "max_months": 3}),
    "completion_empty": lambda w: _complete_at_window(w, _returned(w)),
    "repair_not_returned": lambda w: _complete_at_window(w, _repair(w), note="补充"),
    "not_published": _not_published,
    "not_repairable": lambda w: _window_repair(w, _org_record(w, category="honour")["id"]),
    "record_not_found": lambda w: _window_repair(w, 99999),
    "repair_not_found": lambda w: w.get("/api/dept/v1/repairs/XF0", w.dept),
    "repair_pending": _repair_pending,
    "repair_too_early": lambda w: _window_repair(w, _org_record(w, days=40)["id"]),
    "repair_wrong_state": lambda w: w.post(f"/api/dept/v1/repairs/{_repair(w)}/approve", w.dept, json={}),
    "invalid_commitment": lambda w: _credit_commitment(w, valid_until=days_ago(20)),
    "unfulfilled_required": _unfulfilled_required,
    "voluntary_online_only": lambda w: _credit_commitment(w, commitment_type="voluntary"),
}


SUP = "/api/dept/v1/supervision"


def _sup_task(w, state: str = "draft") -> dict:
    """A supervision task over the world's merchant, taken to `state` (draft, committed, drawn)."""
    code = f"WALK-{next(w._openids)}"
    item = w.post(f"{SUP}/items", w.dept, json={"code": code, "name": "抽查", "basis": "《食品安全法》",
                                                 "object_type": "经营户", "ratios": {"B": "0.2"}}).get_json()
    task = w.post(f"{SUP}/tasks", w.dept, json={"item_id": item["id"], "title": "抽查",
                                                "pool": {"handles": [w.handle]}}).get_json()
    if state in ("committed", "drawn"):
        w.post(f"{SUP}/tasks/{task['id']}/commit", w.dept, json={"seed_method": "public_value",
                                                                 "public_value_source": "某日开奖号码"})
    if state == "drawn":
        w.post(f"{SUP}/tasks/{task['id']}/draw", w.dept, json={"public_value": "123"})
    return task


def _sup_talk(w) -> dict:
    return w.post(f"{SUP}/talks", w.dept, json={"handle": w.handle, "kind": "reminder", "place": "会议室",
                                                 "scheduled_at": "2026-12-08T09:30:00+08:00", "content": "提示"}).get_json()


def _sup_warning(w) -> int:
    w.post("/api/dept/v1/records", w.dept, json=penalty({"uscc": uscc_code(7777)}, severity="minor"))
    return w.get(f"{SUP}/warnings", w.dept).get_json()["items"][0]["id"]


def _sup_unassigned_warning(w) -> int:
    from backend.supervision import raise_warning

    subject_id = w.merchant.subject_id
    return use_case(lambda: raise_warning(subject_id, "grade_drop", "walk", summary="等级下降").id)()


def _upload(w, data: bytes, name: str):
    return w.client.post("/api/walk/upload", content_type="multipart/form-data",
                         data={"files": [(io.BytesIO(data), name)]})


@pytest.fixture
def world(app, client, clock, monkeypatch):
    @app.get("/api/walk/<int:status>")
    def walk_status(status):
        abort(status)

    @app.get("/api/walk/boom")
    def walk_boom():
        raise RuntimeError("internals")

    @app.post("/api/walk/upload")
    @accepts("multipart/form-data")
    def walk_upload():  # the evidence path every feature's upload views share (platform.web.uploads)
        files = files_in_request(max_files=1)
        use_case(lambda: [uploads.store(d, n, owner_kind="walk", owner_ref=None, actor="t") for d, n in files])()
        return {}

    @app.get("/api/walk/upload/<ref>")
    def walk_download(ref):
        return send_upload(uploads.get(ref, owner_kind="walk", owner_ref="1"))

    with FakeWeChat() as fake:
        app.config.update(WECHAT_APP_ID=fake.app_id, WECHAT_APP_SECRET=fake.app_secret,
                          WECHAT_API_BASE_URL=fake.base_url)
        yield World(app, client, clock, fake, monkeypatch)


def test_every_error_code_in_the_source_has_a_trigger_here():
    assert source_error_codes() - set(TRIGGERS) == set(), "add a trigger for each new error code"
    assert set(TRIGGERS) - source_error_codes() == set(), "a trigger for a code the source no longer has"


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_the_message_of_every_error_code_is_chinese(world, code):
    result = TRIGGERS[code](world)
    if isinstance(result, DomainError):  # raised where no HTTP request reaches (CLI, a race)
        got_code, message, details = result.code, result.message, result.details
    else:
        assert result.mimetype == "application/json", result.get_data(as_text=True)[:200]
        error = result.get_json()["error"]
        got_code, message, details = error["code"], error["message"], error["details"]
    assert got_code == code, (message, details)
    assert_chinese(message)
    for text in messages(details):
        assert_chinese(text)


def test_validation_messages_say_what_is_expected(world):
    error = TRIGGERS["validation_failed"](world).get_json()["error"]["details"]["json"]
    assert "YYYY-MM-DD" in error["decided_on"][0]
    assert "admin_licence" in error["category"][0] and "应为以下之一" in error["category"][0]
    assert error["extra"] == ["不认识的字段（请按接口文档填写字段名）。"]
    bad_uscc = TRIGGERS["invalid_uscc"](world).get_json()["error"]["message"]
    assert "18 位" in bad_uscc and "GB 32100" in bad_uscc and "校验位不符" in bad_uscc
    bad_id = TRIGGERS["invalid_resident_id"](world).get_json()["error"]["message"]
    assert "GB 11643" in bad_id and "出生日期" in bad_id


def test_html_error_pages_are_chinese(client):
    resp = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    text = re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True))
    assert "页面不存在" in text and not ENGLISH_PHRASE.search(text)


def test_the_chinese_check_catches_english():
    for bad in ("no operator 5", "数据库 is unreachable", "Not a valid date."):
        with pytest.raises(AssertionError):
            assert_chinese(bad)
    assert_chinese("scan_id：应为整数。Authorization: Bearer <凭证>，日期格式 YYYY-MM-DD")
