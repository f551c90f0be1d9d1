"""An admin sets an operator's username and password, and a new TOTP secret shown once (set up in an
authenticator app); the operator then signs in to the console without the bearer token."""

from __future__ import annotations

import re

from sqlalchemy import select

from backend.console.models import ConsoleLogin
from backend.console.passwords import hash_password, new_totp_secret, provisioning_uri
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import utcnow
from backend.platform.crypto import encrypt
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
MIN_PASSWORD = 12


@use_case
def set_login(operator_id: int, username: str, password: str, *, actor: str) -> dict:
    """Set (or replace) an operator's password sign-in; returns the TOTP secret and its otpauth URI, shown once.

    Raises NotFound (no such operator), InvalidInput (username or password unfit) or Conflict (username taken)."""
    op = db.session.get(Operator, operator_id)
    if op is None or op.revoked_at is not None:
        raise NotFound(f"没有编号为 {operator_id} 的在用操作员。")
    if not USERNAME.match(username):
        raise InvalidInput("用户名应为 3 到 64 位字母、数字或 _ . -。", details={"field": "username"})
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 个字符。", details={"field": "password"})
    taken = db.session.execute(select(ConsoleLogin).where(ConsoleLogin.username == username)).scalar_one_or_none()
    if taken is not None and taken.operator_id != op.id:
        raise Conflict("该用户名已被其他操作员使用。", code="username_taken")
    secret = new_totp_secret()
    login = db.session.get(ConsoleLogin, op.id) or ConsoleLogin(operator_id=op.id, created_at=utcnow())
    login.username, login.password_hash = username, hash_password(password)
    login.totp_secret, login.totp_last_step = encrypt(secret), 0
    db.session.add(login)
    audit.record(actor, "console.login_set", "operator", op.id, details={"username": username})
    return {"operator": op, "username": username, "totp_secret": secret,
            "totp_uri": provisioning_uri(secret, username)}


def login_of(op: Operator) -> ConsoleLogin | None:
    return db.session.get(ConsoleLogin, op.id)
