"""Push events and message states (no SQLAlchemy, no Flask)."""

from __future__ import annotations

import enum


class PushEvent(enum.StrEnum):
    """What a subject may be told about; each maps to a configured subscribe-message template."""

    RISK_WARNING = "risk_warning"      # a warning or a talk concerns them
    RECORD_FILED = "record_filed"      # a credit record was filed about them
    REPAIR_CHANGED = "repair_changed"  # (repair feature) an application they made changed state
    OBJECTION_CHANGED = "objection_changed"
    REPORT_READY = "report_ready"


EVENT_ZH = {PushEvent.RISK_WARNING: "信用风险提示", PushEvent.RECORD_FILED: "信用记录变动提醒",
            PushEvent.REPAIR_CHANGED: "信用修复进度提醒", PushEvent.OBJECTION_CHANGED: "异议处理进度提醒",
            PushEvent.REPORT_READY: "信用报告生成提醒"}


class PushStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    REFUSED = "refused"  # WeChat said no (43101 not subscribed, 40037 template, 45009 rate, 40003 openid …)
    FAILED = "failed"    # WeChat unreachable or garbled: kept for an operator, never retried in a loop
    SKIPPED = "skipped"  # the user declined this template in the mini-program


PUSH_STATUS_ZH = {PushStatus.QUEUED: "待发送", PushStatus.SENT: "已发送", PushStatus.REFUSED: "微信拒绝",
                  PushStatus.FAILED: "发送失败", PushStatus.SKIPPED: "用户未订阅"}


class SubscriptionChoice(enum.StrEnum):
    """What wx.requestSubscribeMessage answered for a template."""

    ACCEPT = "accept"
    REJECT = "reject"
    BAN = "ban"
    FILTER = "filter"
