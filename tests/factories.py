"""Builders for test data: real rows through the real services."""

from __future__ import annotations

import itertools

from stdnum.cn import ric, uscc

from backend.credit.subjects import get_or_create_organisation, get_or_create_person
from backend.operators import services as operators
from backend.platform.extensions import db

_seq = itertools.count(1)


def resident_id(n: int | None = None, region: str = "441502", birth: str = "19900101") -> str:
    """A valid 18-character resident id (GB 11643 check digit)."""
    base = f"{region}{birth}{(n if n is not None else next(_seq)) % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")


def uscc_code(n: int | None = None) -> str:
    """A valid USCC (GB 32100 check character) for an individual business in 城区."""
    base = f"92441502MA4T{(n if n is not None else next(_seq)) % 100000:05d}"
    return base + uscc.calc_check_digit(base)


def person(name: str = "张小三", grade: str = "A", rid: str | None = None):
    subject = get_or_create_person(rid or resident_id(), name)
    subject.grade = grade
    db.session.commit()
    return subject


def merchant_subject(name: str = "测试海鲜档", grade: str = "B"):
    subject = get_or_create_organisation(uscc_code(), name)
    subject.grade = grade
    db.session.commit()
    return subject


def operator_token(role: str = "admin", **scope) -> str:
    if role == "department":
        scope.setdefault("department", "汕尾市市场监督管理局")
    _, token = operators.create_operator(f"test {role}", role, actor="test", **scope)
    return token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
