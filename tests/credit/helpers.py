"""Helpers for credit-file tests: operator headers and record bodies."""

from __future__ import annotations

import datetime as dt

from backend.credit.joint import sync_catalogue
from backend.platform.clock import china_today as today
from tests.factories import bearer, operator_token, resident_id, uscc_code

SAMR = "汕尾市市场监督管理局"
TAX = "国家税务总局汕尾市税务局"


def dept(department: str = SAMR) -> dict:
    return bearer(operator_token("department", department=department))


def admin() -> dict:
    return bearer(operator_token("admin"))


def days_ago(n: int) -> str:
    return (today() - dt.timedelta(days=n)).isoformat()


_doc = iter(range(1, 10**6))


def penalty(subject: dict, severity: str = "general", **over) -> dict:
    """An administrative penalty body for a subject given as {"uscc": …} or {"resident_id": …}."""
    body = {"category": "admin_penalty", "severity": severity, "title": "销售不合格食用农产品",
            "document_no": f"汕市监罚〔2026〕{next(_doc)}号", "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
            "decided_on": days_ago(30), **subject, **over}
    if "uscc" in subject:
        body.setdefault("subject_name", "阿海鲜活水产")
    return body


def record(subject: dict, category: str, **over) -> dict:
    body = {"category": category, "title": category, "document_no": f"DOC-{next(_doc)}",
            "legal_basis": "《广东省社会信用条例》", "decided_on": days_ago(30), **subject, **over}
    if "uscc" in subject:
        body.setdefault("subject_name", "测试商户")
    return body


def merchant_ref(n: int | None = None) -> dict:
    return {"uscc": uscc_code(n)}


def person_ref(n: int | None = None) -> dict:
    return {"resident_id": resident_id(n)}


def grade_of(client, headers, ref: dict) -> dict:
    resp = client.get("/api/dept/v1/subjects/grade", query_string={**ref, "purpose": "测试核查"}, headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


__all__ = ["admin", "days_ago", "dept", "grade_of", "merchant_ref", "penalty", "person_ref", "record",
           "sync_catalogue"]
