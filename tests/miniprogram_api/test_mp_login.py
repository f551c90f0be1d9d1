"""POST /api/mp/v1/login against the fake WeChat: success, WeChat errors, bounded retries, sessions."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from backend.models import MpAccount, MpSession
from backend.platform.crypto import decrypt
from backend.platform.extensions import db
from tests.factories import bearer
from tests.miniprogram_api.helpers import MpClient

JSCODE = "/sns/jscode2session"


def login(client, code):
    return client.post("/api/mp/v1/login", json={"code": code})


def error_of(resp) -> dict:
    body = resp.get_json()
    assert set(body) == {"error"}, body
    return body["error"]


def test_login_returns_a_session_and_keeps_session_key_on_the_server(client, wechat, caplog):
    caplog.set_level(logging.DEBUG)
    resp = login(client, wechat.issue_login_code("o-alice"))
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["token"].startswith("mps_") and body["identity_bound"] is False
    account = db.session.execute(select(MpAccount)).scalar_one()
    session_key = decrypt(account.session_key_enc).decode()
    assert len(session_key) == 24  # base64 of 16 bytes, stored encrypted
    assert session_key not in resp.get_data(as_text=True) and session_key not in caplog.text
    assert "o-alice" not in account.openid_enc and "o-alice" not in account.openid_hash
    session = db.session.execute(select(MpSession)).scalar_one()
    assert body["token"] not in session.token_hash
    assert client.get("/api/mp/v1/me", headers=bearer(body["token"])).status_code == 200


def test_same_wechat_user_gets_one_account(client, wechat):
    for _ in range(2):
        assert login(client, wechat.issue_login_code("o-bob")).status_code == 200
    assert db.session.scalar(select(func.count(MpAccount.id))) == 1
    assert db.session.scalar(select(func.count(MpSession.id))) == 2


def test_unknown_code_40029_is_400(client, wechat):
    resp = login(client, "never-issued-code")
    assert resp.status_code == 400
    assert error_of(resp)["code"] == "invalid_login_code" and error_of(resp)["details"]["errcode"] == 40029


def test_reused_code_40163_is_400(client, wechat):
    code = wechat.issue_login_code()
    assert login(client, code).status_code == 200
    resp = login(client, code)
    assert resp.status_code == 400 and error_of(resp)["details"]["errcode"] == 40163


def test_wechat_rate_limit_45011_is_429_with_retry_after(client, wechat):
    wechat.fail_next(JSCODE, 45011, "api minute-quota reach limit")
    resp = login(client, wechat.issue_login_code())
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) >= 59
    assert error_of(resp)["code"] == "wechat_rate_limited"
    assert len(wechat.requests_to(JSCODE)) == 1  # a spent quota is not retried


def test_busy_once_is_retried_once_and_succeeds(client, wechat):
    wechat.fail_next(JSCODE, -1, "system error")
    assert login(client, wechat.issue_login_code()).status_code == 200
    assert len(wechat.requests_to(JSCODE)) == 2


def test_busy_always_is_503_after_bounded_retries(client, wechat):
    wechat.fail_next(JSCODE, -1, "system error", times=None)
    resp = login(client, wechat.issue_login_code())
    # Flask-Limiter raises Retry-After to the end of its own window on limited routes (never lowers it).
    assert resp.status_code == 503 and int(resp.headers["Retry-After"]) >= 5
    assert error_of(resp)["code"] == "wechat_unavailable"
    assert len(wechat.requests_to(JSCODE)) == 2


def test_timeout_is_503_after_bounded_retries(app, client, wechat):
    app.config["WECHAT_TIMEOUT"] = 0.5  # read when the gateway is first made, i.e. by this login
    wechat.delay_next(JSCODE, 3.0, times=None)
    resp = login(client, wechat.issue_login_code())
    assert resp.status_code == 503 and "Retry-After" in resp.headers
    assert len(wechat.requests_to(JSCODE)) == 2


def test_proxy_502_is_retried_and_a_code_used_meanwhile_is_503(client, wechat):
    # After a failed attempt WeChat may have consumed the code: the retry sees 40163, still a 503.
    wechat.http_status_next(JSCODE, 502)
    resp = login(client, wechat.issue_login_code())
    assert resp.status_code == 200  # 502 then a fresh answer: the code was not consumed by a proxy error
    code = wechat.issue_login_code()
    wechat.fail_next(JSCODE, -1, "system error")
    wechat.fail_next(JSCODE, 40163, "code been used")
    resp = login(client, code)
    assert resp.status_code == 503 and error_of(resp)["code"] == "wechat_unavailable"


def test_other_wechat_error_is_502(client, wechat):
    wechat.fail_next(JSCODE, 40226, "high risk user")
    resp = login(client, wechat.issue_login_code())
    assert resp.status_code == 502 and error_of(resp)["code"] == "wechat_error"


@pytest.mark.parametrize("body, status", [({"code": "has space"}, 400), ({"code": ""}, 422), ({}, 422)])
def test_malformed_code_never_reaches_wechat(client, wechat, body, status):
    resp = client.post("/api/mp/v1/login", json=body)
    assert resp.status_code == status and "error" in resp.get_json()
    assert wechat.requests == []


def test_login_rate_limited_per_address(app, client, wechat):
    app.config["MP_LOGIN_RATE_LIMIT"] = "3 per minute"
    for _ in range(3):
        assert login(client, wechat.issue_login_code()).status_code == 200
    resp = login(client, wechat.issue_login_code())
    assert resp.status_code == 429 and error_of(resp)["code"] == "rate_limited"
    assert "Retry-After" in resp.headers
    other = client.post("/api/mp/v1/login", json={"code": wechat.issue_login_code()},
                        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_logout_revokes_the_session(mp):
    assert mp.post("/logout").status_code == 204
    resp = mp.get("/me")
    assert resp.status_code == 401 and error_of(resp)["code"] == "invalid_session"


def test_session_expires(app, mp, clock):
    clock.advance(app.config["MP_SESSION_TTL_SECONDS"] + 1)
    resp = mp.get("/me")
    assert resp.status_code == 401 and error_of(resp)["code"] == "session_expired"


@pytest.mark.parametrize("token", ["mps_forged", "op_something", ""])
def test_unknown_token_is_401(client, token):
    resp = client.get("/api/mp/v1/me/code", headers=bearer(token))
    assert resp.status_code == 401 and resp.headers["WWW-Authenticate"] == "Bearer"


def test_logout_of_one_session_keeps_the_others(client, wechat):
    first = MpClient(client, wechat, "o-carol").login()
    second = MpClient(client, wechat, "o-carol").login()
    first.post("/logout")
    assert first.get("/me").status_code == 401 and second.get("/me").status_code == 200


def test_login_without_wechat_settings_is_not_configured_not_busy(app, client):
    app.config.update(WECHAT_APP_ID="", WECHAT_APP_SECRET="")
    resp = client.post("/api/mp/v1/login", json={"code": "anything"})
    assert resp.status_code == 503
    error = resp.get_json()["error"]
    assert error["code"] == "wechat_not_configured" and "尚未配置" in error["message"]
