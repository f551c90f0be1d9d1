"""The merchants' vocabulary (no SQLAlchemy, no Flask here)."""

from __future__ import annotations

import enum


class InspectionResult(enum.StrEnum):
    PASS = "pass"  # 合格
    FAIL = "fail"  # 不合格


class CommitmentStatus(enum.StrEnum):
    ACTIVE = "active"
    BROKEN = "broken"  # shown as 未履行, with the date
    WITHDRAWN = "withdrawn"  # hidden from the public page
