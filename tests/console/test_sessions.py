"""Console sign-in and sessions: token and password + TOTP, cookies, CSRF on every form, idle timeout, sign-out here
and everywhere, revoked operators, the header naming who is signed in, and refusals audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from backend.console import logins
from backend.console.passwords import hotp, totp_step
from backend.models import AuditEntry, ConsoleSession
from backend.operators import services as operators
from backend.platform.extensions import db
from tests.console.helpers import ConsoleClient, csrf_of, signed_in, text_of
from tests.factories import operator_token
from tests.merchants.helpers import market_operator


def actions() -> list[str]:
    return [e.action for e in db.session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def test_sign_in_with_a_token_sets_a_strict_http_only_cookie_and_names_the_operator(client):
    c = ConsoleClient(client)
    resp = c.sign_in(operator_token("department", department="汕尾市市场监督管理局"), follow=False)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/console/")
    cookie = next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith("console_session="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console" in cookie
    home = c.get("/console/")
    text = text_of(home)
    assert home.status_code == 200 and "test department" in text and "部门（department）" in text
    assert "部门：汕尾市市场监督管理局" in text
    csp = home.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp
    assert "console.sign_in" in actions()


def test_secure_cookie_when_configured(app, client):
    app.config["CONSOLE_COOKIE_SECURE"] = True
    resp = ConsoleClient(client).sign_in(operator_token("admin"), follow=False)
    cookie = next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith("console_session="))
    assert "Secure" in cookie


def test_a_wrong_token_is_refused_with_a_chinese_page_and_audited(client):
    c = ConsoleClient(client)
    resp = c.sign_in("op_not-a-token", follow=False)
    assert resp.status_code == 401 and "登录失败" in text_of(resp)
    assert "console.sign_in_failed" in actions()


def test_sign_in_without_the_csrf_value_is_refused(client, app):
    client.get("/console/sign-in")
    resp = client.post("/console/sign-in", data={"method": "token", "token": operator_token("admin")})
    assert resp.status_code == 403 and "防伪令牌" in text_of(resp)
    fresh = app.test_client()  # never shown the sign-in page: no cookie to match, whatever the form says
    for value in ("", "-", "x"):
        resp = fresh.post("/console/sign-in", data={"csrf_token": value, "method": "token", "token": "op_x"})
        assert resp.status_code == 403


def test_pages_need_a_session(client):
    resp = client.get("/console/merchants")
    assert resp.status_code == 302 and "/console/sign-in" in resp.headers["Location"]
    assert "next=/console/merchants" in resp.headers["Location"].replace("%2F", "/")


def test_every_form_needs_the_csrf_token_and_refusals_are_audited(client):
    c = signed_in(client, "admin")
    resp = c.post("/console/signing-keys", csrf=False)
    assert resp.status_code == 403 and "防伪令牌" in text_of(resp)
    resp = c.post("/console/signing-keys", {"csrf_token": "forged"}, csrf=False)
    assert resp.status_code == 403
    denied = [e for e in db.session.execute(select(AuditEntry)).scalars() if e.action == "access.denied"]
    assert [d.details["code"] for d in denied] == ["csrf_failed", "csrf_failed"]
    assert all(d.actor.startswith("operator:") for d in denied)
    assert c.post("/console/signing-keys").status_code == 200  # with the token it works


def test_the_session_expires_after_the_idle_timeout(app, client, clock):
    app.config["CONSOLE_IDLE_SECONDS"] = 900
    c = signed_in(client, "admin")
    clock.advance(899)
    assert c.get("/console/").status_code == 200  # each page restarts the idle clock
    clock.advance(899)
    assert c.get("/console/").status_code == 200
    clock.advance(901)
    resp = c.get("/console/operators")
    assert resp.status_code == 302 and "expired=1" in resp.headers["Location"]
    assert "登录已过期" in text_of(client.get(resp.headers["Location"]))
    clock.advance(-10_000)  # even back in time the ended session stays ended
    assert c.get("/console/").status_code == 302
    assert "console.session_expired" in actions()


def test_sign_out_and_sign_out_everywhere(client, app):
    token = operator_token("admin")
    first, second = ConsoleClient(client), ConsoleClient(app.test_client())
    first.sign_in(token)
    second.sign_in(token)
    assert first.post("/console/sign-out").status_code == 303
    assert first.get("/console/").status_code == 302
    assert second.get("/console/").status_code == 200
    first.sign_in(token)
    assert first.post("/console/sign-out-everywhere").status_code == 303
    assert second.get("/console/").status_code == 302 and first.get("/console/").status_code == 302
    assert db.session.scalar(select(ConsoleSession).where(ConsoleSession.ended_at.is_(None))) is None


def test_a_revoked_operator_loses_its_sessions_at_once(client):
    c = signed_in(client, "admin")
    op_id = db.session.execute(select(ConsoleSession.operator_id)).scalar()
    operators.revoke_operator(op_id, actor="test")
    assert c.get("/console/").status_code == 302


def test_a_role_cannot_open_another_roles_page(client):
    c = ConsoleClient(client)
    c.sign_in(market_operator())
    resp = c.get("/console/operators")
    assert resp.status_code == 403 and "平台管理员" in text_of(resp)
    denied = [e for e in db.session.execute(select(AuditEntry)).scalars() if e.action == "access.denied"]
    assert denied[-1].details == {"method": "GET", "route": "/console/operators", "code": "wrong_role"}


def test_password_and_totp_sign_in(client, clock):
    admin = signed_in(client, "admin")
    token = operator_token("department", department="汕尾市税务局")
    op_id = max(o.id for o in operators.list_operators(1, 100).items)
    page = admin.get(f"/console/operators/{op_id}/login")
    assert page.status_code == 200
    resp = admin.post(f"/console/operators/{op_id}/login", {"username": "tax.clerk", "password": "short"})
    assert resp.status_code == 422 and "至少 12 个字符" in text_of(resp)
    resp = admin.post(f"/console/operators/{op_id}/login", {"username": "tax.clerk", "password": "correct horse battery"})
    assert resp.status_code == 200
    secret = text_of(resp).split("动态口令密钥")[1].split("：")[1].split()[0]
    assert len(secret) == 32
    assert token  # the token still works beside the password

    def attempt(password, code):
        browser = ConsoleClient(client.application.test_client())
        form = browser.get("/console/sign-in").get_data(as_text=True)
        return browser.client.post("/console/sign-in", data={
            "csrf_token": csrf_of(form), "method": "password", "username": "tax.clerk", "password": password,
            "totp": code})

    now = totp_step(clock())
    assert attempt("wrong password!!", hotp(secret, now)).status_code == 401
    assert attempt("correct horse battery", "000000" if hotp(secret, now) != "000000" else "111111").status_code == 401
    assert attempt("correct horse battery", hotp(secret, now)).status_code == 303
    assert attempt("correct horse battery", hotp(secret, now)).status_code == 401  # a code works once
    clock.advance(30)
    assert attempt("correct horse battery", hotp(secret, now + 1)).status_code == 303
    row = db.session.execute(select(ConsoleSession).order_by(ConsoleSession.id.desc())).scalars().first()
    assert row.method == "password"
    assert logins.login_of(db.session.get(type(operators.list_operators(1, 1).items[0]), op_id)).username == "tax.clerk"


def test_every_role_has_a_start_page_whose_links_work(client, app):
    from tests.scanning.helpers import scan_setup

    scan_setup()
    tokens = {"admin": operator_token("admin"), "department": operator_token("department"),
              "market": market_operator(), "window": operator_token("window", department="汕尾市政务服务中心"),
              "partner": operator_token("partner", partner_name="汕尾市公共交通有限公司")}
    for role, token in tokens.items():
        c = ConsoleClient(app.test_client())
        c.sign_in(token)
        home = c.get("/console/")
        assert home.status_code == 200, role
        for link in sorted(set(re.findall(r'<nav class="links">(.*?)</nav>', home.get_data(as_text=True))[0]
                               .split('href="')[1:])):
            path = link.split('"')[0]
            assert c.get(path).status_code == 200, (role, path)
