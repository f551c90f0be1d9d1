"""The merchants' vocabulary (no SQLAlchemy, no Flask here)."""

from __future__ import annotations

import enum


class InspectionResult(enum.StrEnum):
    PASS = "pass"  # 合格
    FAIL = "fail"  # 不合格


class LinkStatus(enum.StrEnum):
    """A market's request to register an existing credit subject as its merchant."""

    PENDING = "pending"  # 待审核
    APPROVED = "approved"  # 已批准: the merchant exists
    REFUSED = "refused"  # 已驳回, with the reason


LINK_STATUS_ZH = {LinkStatus.PENDING: "待审核", LinkStatus.APPROVED: "已批准", LinkStatus.REFUSED: "已驳回"}
