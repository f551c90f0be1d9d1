"""The admin's overview: how much there is and what happened today, counted from the tables (the request and
latency figures are Prometheus's, at /metrics)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from backend.console.models import ConsoleSession
from backend.credit import CreditRecord, ListEntry, Subject
from backend.merchants import Merchant
from backend.platform.access import Operator
from backend.platform.audit import AuditEntry
from backend.platform.clock import CHINA, china_today
from backend.platform.db import db
from backend.platform.jobs import Job
from backend.scanning import Redemption, Scan, ScannerDevice


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def figures() -> list[tuple[str, int]]:
    """(label, number) pairs for the overview page."""
    start = dt.datetime.combine(china_today(), dt.time(), CHINA).astimezone(dt.UTC)
    return [
        ("信用主体", _count(Subject)), ("有效信用记录", _count(CreditRecord, CreditRecord.status == "active")),
        ("名单记录（未移出）", _count(ListEntry, ListEntry.removed_at.is_(None))), ("商户", _count(Merchant)),
        ("在用扫码设备", _count(ScannerDevice, ScannerDevice.revoked_at.is_(None))),
        ("今日扫码", _count(Scan, Scan.scanned_at >= start)),
        ("今日发放优惠", _count(Redemption, Redemption.granted_at >= start, Redemption.status == "granted")),
        ("失败的后台任务", _count(Job, Job.status == "failed")),
        ("在用操作员", _count(Operator, Operator.revoked_at.is_(None))),
        ("登录中的浏览器", _count(ConsoleSession, ConsoleSession.ended_at.is_(None))),
        ("审计日志条目", _count(AuditEntry)),
    ]
