"""Mini-program accounts and sessions: login after jscode2session, bearer authentication, logout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from backend.accounts.models import MpAccount, MpSession
from backend.credit import Subject
from backend.platform import dbio
from backend.platform.clock import utcnow
from backend.platform.crypto import credential_hash, encrypt, keyed_hash, new_credential
from backend.platform.db import db, use_case
from backend.platform.errors import Forbidden, Unauthorized

TOKEN_PREFIX = "mps"


@dataclass(frozen=True)
class MpPrincipal:
    """Who is calling: the session, its account and (once bound) the person's handle, grade and code
    generation. (Whether perks are refused is the scanner's to decide, with suspensions: scanning.checks.)

    Bound, it is a keys.CodeHolder: the code hot path signs from it without loading the subject.
    """

    session_id: int
    account_id: int
    subject_id: int | None
    handle: str | None
    grade: str | None  # None before binding, and for a bound person not rated yet
    code_generation: int = 0
    kind: str = "person"

    @property
    def actor(self) -> str:
        """How the audit log names this account."""
        return f"mp_account:{self.account_id}"


def require_bound(principal: MpPrincipal) -> None:
    """Raises Forbidden until the account is bound to a person (real-name binding)."""
    if principal.subject_id is None:
        raise Forbidden("请先完成实名绑定。", code="identity_required")


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: dt.datetime
    account: MpAccount


def _account_for_openid(openid: str) -> MpAccount:
    digest = keyed_hash("openid:" + openid)
    account = db.session.execute(select(MpAccount).where(MpAccount.openid_hash == digest)).scalar_one_or_none()
    if account is None:
        account = MpAccount(openid_hash=digest, openid_enc=encrypt(openid))
        db.session.add(account)
        try:
            db.session.flush()
        except IntegrityError:  # the same user logged in twice at once; the other insert won
            db.session.rollback()
            return _account_for_openid(openid)
    return account


@use_case
def login(openid: str, session_key: str) -> LoginResult:
    """Find or create the account for a WeChat openid and open a session; raises nothing of its own."""
    account = _account_for_openid(openid)
    now = utcnow()
    account.session_key_enc, account.last_login_at = encrypt(session_key), now
    token = new_credential(TOKEN_PREFIX)
    expires_at = now + dt.timedelta(seconds=current_app.config["MP_SESSION_TTL_SECONDS"])
    db.session.add(MpSession(account_id=account.id, token_hash=credential_hash(token), expires_at=expires_at))
    return LoginResult(token, expires_at, account)


# One Core query on the hot path (GET /me/code): no ORM identity map, no lazy loads.
_PRINCIPAL = (
    select(MpSession.id.label("session_id"), MpSession.expires_at, MpSession.revoked_at,
           MpAccount.id.label("account_id"), MpAccount.subject_id, Subject.handle, Subject.grade,
           Subject.code_generation)
    .join(MpAccount, MpAccount.id == MpSession.account_id)
    .outerjoin(Subject, Subject.id == MpAccount.subject_id)
    .where(MpSession.token_hash == bindparam("token_hash"))
)


def authenticate(token: str) -> MpPrincipal:
    """The principal holding this session token; raises Unauthorized (unknown, expired, revoked)."""
    if not token.startswith(TOKEN_PREFIX + "_"):
        raise Unauthorized("登录凭证无效，请重新登录小程序。", code="invalid_session")
    row = dbio.first(_PRINCIPAL, {"token_hash": credential_hash(token)})
    if row is None or row.revoked_at is not None:
        raise Unauthorized("登录已失效或已退出，请重新登录小程序。", code="invalid_session")
    if row.expires_at <= utcnow():
        raise Unauthorized("登录已过期，请重新登录小程序。", code="session_expired")
    return MpPrincipal(row.session_id, row.account_id, row.subject_id, row.handle, row.grade,
                       row.code_generation or 0)


@use_case
def logout(principal: MpPrincipal) -> None:
    """Revoke the caller's session at once."""
    db.session.execute(update(MpSession).where(MpSession.id == principal.session_id).values(revoked_at=utcnow()))

