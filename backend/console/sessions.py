"""Signing in to the console (an operator token once, or username + password + TOTP), the server-side session
with its idle timeout, and signing out here or everywhere.

The cookie carries a random secret; the table keeps its SHA-256, so a copy of the table opens no session. Every
sign-in, failed sign-in and sign-out is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app
from sqlalchemy import select, update

from backend.console.models import ConsoleLogin, ConsoleSession
from backend.console.passwords import check_password, totp_match
from backend.console.vocab import SignInMethod
from backend.platform import audit
from backend.platform.access import Operator, authenticate
from backend.platform.clock import now_ts, utcnow
from backend.platform.crypto import credential_hash, decrypt
from backend.platform.db import commit_then_raise, db, use_case
from backend.platform.errors import Unauthorized
from backend.platform.ratelimit import consume

SIGN_IN_FAILED = "登录失败：凭证、用户名、密码或动态口令不正确，或该操作员已停用。"


def _expired() -> Unauthorized:
    return Unauthorized("登录已过期或已退出，请重新登录。", code="session_expired")


def _open(op: Operator, method: str) -> tuple[ConsoleSession, str]:
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    row = ConsoleSession(secret_hash=credential_hash(secret), operator_id=op.id, csrf_token=secrets.token_urlsafe(32),
                         method=method, created_at=now, last_seen_at=now)
    db.session.add(row)
    db.session.flush()
    audit.record(op.actor, "console.sign_in", "console_session", row.id, details={"method": method})
    return row, secret


def _limit(key: str) -> None:
    consume("CONSOLE_SIGN_IN_RATE_LIMIT", "console-sign-in", key, "登录尝试过于频繁，请稍后再试。")


@use_case
def sign_in_with_token(token: str, *, client: str) -> tuple[ConsoleSession, str]:
    """Open a session for the operator holding `token`; raises Unauthorized (login_failed) or RateLimited."""
    _limit(f"ip:{client}")
    try:
        op = authenticate(token.strip())
    except Unauthorized:
        audit.record("anonymous", "console.sign_in_failed", "console_session", "-", details={"method": "token"})
        commit_then_raise(Unauthorized(SIGN_IN_FAILED, code="login_failed"))
    return _open(op, SignInMethod.TOKEN)


@use_case
def sign_in_with_password(username: str, password: str, code: str, *, client: str) -> tuple[ConsoleSession, str]:
    """Open a session after the password and a fresh TOTP code; raises Unauthorized (login_failed) or RateLimited.

    The same answer whichever part was wrong, so the page tells a guesser nothing."""
    _limit(f"ip:{client}")
    _limit(f"user:{username.lower()}")
    login = db.session.execute(select(ConsoleLogin).where(ConsoleLogin.username == username)).scalar_one_or_none()
    op = db.session.get(Operator, login.operator_id) if login else None
    step = None
    if login and op and op.revoked_at is None and check_password(password, login.password_hash):
        step = totp_match(decrypt(login.totp_secret).decode(), code, now_ts(), login.totp_last_step)
    if step is None:
        audit.record(op.actor if op else "anonymous", "console.sign_in_failed", "console_session", "-",
                     details={"method": "password"})
        commit_then_raise(Unauthorized(SIGN_IN_FAILED, code="login_failed"))
    login.totp_last_step = step
    return _open(op, SignInMethod.PASSWORD)


@use_case
def resume(secret: str | None) -> ConsoleSession:
    """The live session this cookie secret opens, its idle clock restarted; raises Unauthorized (session_expired)
    when it is unknown, signed out, idle longer than CONSOLE_IDLE_SECONDS, older than CONSOLE_MAX_SECONDS, or
    its operator was revoked."""
    if not secret:
        raise _expired()
    row = db.session.execute(select(ConsoleSession).where(ConsoleSession.secret_hash == credential_hash(secret))
                             ).scalar_one_or_none()
    if row is None or row.ended_at is not None:
        raise _expired()
    now = utcnow()
    idle = dt.timedelta(seconds=current_app.config["CONSOLE_IDLE_SECONDS"])
    longest = dt.timedelta(seconds=current_app.config["CONSOLE_MAX_SECONDS"])
    op = db.session.get(Operator, row.operator_id)
    if now - row.last_seen_at > idle or now - row.created_at > longest or op.revoked_at is not None:
        row.ended_at = now
        audit.record(op.actor, "console.session_expired", "console_session", row.id)
        commit_then_raise(_expired())
    row.last_seen_at = now
    return row


def operator_of(row: ConsoleSession) -> Operator:
    return db.session.get(Operator, row.operator_id)


@use_case
def sign_out(row: ConsoleSession) -> None:
    """End this browser's session."""
    row.ended_at = utcnow()
    audit.record(operator_of(row).actor, "console.sign_out", "console_session", row.id)


@use_case
def sign_out_everywhere(op: Operator) -> int:
    """End every console session of this operator (every browser); returns how many were open."""
    ended = db.session.execute(update(ConsoleSession).where(ConsoleSession.operator_id == op.id,
                                                            ConsoleSession.ended_at.is_(None))
                               .values(ended_at=utcnow())).rowcount
    audit.record(op.actor, "console.sign_out_everywhere", "operator", op.id, details={"sessions": ended})
    return ended


def open_sessions(op: Operator) -> list[ConsoleSession]:
    """The operator's sessions still open (idle ones included until they are next touched)."""
    return list(db.session.execute(select(ConsoleSession).where(ConsoleSession.operator_id == op.id,
                                                                ConsoleSession.ended_at.is_(None))
                                   .order_by(ConsoleSession.id.desc())).scalars())
