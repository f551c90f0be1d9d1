"""The scanning vocabulary: scenarios, quota periods, scan outcomes, refusal reasons, redemption states,
and what each means in Chinese (no SQLAlchemy, no Flask here)."""

from __future__ import annotations

import enum

import qr


class ScenarioCode(enum.StrEnum):
    """Where codes are scanned (场景)."""

    TRANSIT = "transit"
    LODGING = "lodging"
    MEDICAL = "medical"
    TOURISM = "tourism"
    MARKET = "market"


class QuotaPeriod(enum.StrEnum):
    ONCE = "once"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


# What a scan concluded about a code; the pure qr library defines the set (offline verifiers share it).
Outcome = enum.StrEnum("Outcome", {o.upper(): o for o in qr.OUTCOMES})
OUTCOME_ZH = {
    Outcome.VALID: "验证通过", Outcome.EXPIRED: "二维码已过期", Outcome.BAD_SIGNATURE: "二维码签名无效",
    Outcome.UNKNOWN_KEY: "二维码密钥未知", Outcome.MALFORMED: "不是有效的信用码", Outcome.REVOKED: "二维码已作废",
    Outcome.CANNOT_VERIFY: "暂时无法验证",
}


class Refusal(enum.StrEnum):
    """Why a perk was not granted to a holder of a valid code."""

    GRADE = "grade"
    SUBJECT_KIND = "subject_kind"
    BLACKLISTED = "blacklisted"
    NOT_STARTED = "not_started"
    ENDED = "ended"
    OVER_QUOTA = "over_quota"
    LIVE_CODE = "live_code"  # a printed card, where the scenario's perks need a live phone code


REASON_ZH = {
    Refusal.GRADE: "信用等级不符合条件", Refusal.SUBJECT_KIND: "该主体类型不适用",
    Refusal.BLACKLISTED: "已列入失信联合惩戒名单", Refusal.NOT_STARTED: "活动尚未开始", Refusal.ENDED: "活动已结束",
    Refusal.OVER_QUOTA: "本期次数已用完", Refusal.LIVE_CODE: "本场景的优惠需出示手机实时信用码，市民信用卡不适用",
}


# Quotas in words, by period: 今日剩余 2 次, 本月次数已用完, 每周 1 次.
PERIOD_ZH = {QuotaPeriod.ONCE: "", QuotaPeriod.DAY: "今日", QuotaPeriod.WEEK: "本周", QuotaPeriod.MONTH: "本月"}
QUOTA_ZH = {QuotaPeriod.ONCE: "共 {n} 次", QuotaPeriod.DAY: "每日 {n} 次", QuotaPeriod.WEEK: "每周 {n} 次",
            QuotaPeriod.MONTH: "每月 {n} 次"}
UNRATED_REFUSAL_ZH = "尚未评价，暂不能享受"


def remaining_zh(period: str, n: int) -> str:
    return f"{PERIOD_ZH.get(period, '本期')}剩余 {n} 次"


def used_up_zh(period: str | None) -> str:
    return f"{PERIOD_ZH.get(period, '本期') if period else '本期'}次数已用完"


def refusal_zh(reason: str, *, period: str | None = None, unrated: bool = False) -> str:
    """Why a perk is not granted, in plain Chinese (over quota worded by its period; an unrated grade as such)."""
    if reason == Refusal.OVER_QUOTA:
        return used_up_zh(period)
    if reason == Refusal.GRADE and unrated:
        return UNRATED_REFUSAL_ZH
    return REASON_ZH[reason]


class RedemptionStatus(enum.StrEnum):
    GRANTED = "granted"
    FLAGGED = "flagged"  # granted offline beyond what the rules allow: kept for review, holds no quota slot
