"""Pure rules of the scan path: which quota period a day falls in, who may get which perk, and what a
scenario's scanners may see. No Flask, no database: values in, answers out (China dates throughout)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backend.credit.vocab import grade_label
from backend.scanning.vocab import QuotaPeriod, Refusal


@dataclass(frozen=True)
class Rule:
    """An active incentive as the scan path needs it."""

    id: int
    code: str
    scenario: str
    partner_id: int
    title: str
    description: str | None
    eligible_grades: str
    subject_kinds: str
    quota_count: int
    quota_period: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    offline_bit: int | None = None  # its bit in the scenario's nibble of format-2 codes


@dataclass(frozen=True)
class Holder:
    """The subject behind a valid code, as the scan path needs it."""

    id: int
    handle: str
    kind: str
    display_name: str
    grade: str | None  # None: not rated (未评价), never eligible
    blocked: bool
    # The neutral note of an item of the holder's file under objection, reconsideration or litigation (None: none).
    mark_note: str | None = None


def period_key(period: str, day: dt.date) -> str:
    """The quota period a China date falls in: 'once', '2026-06-01', '2026-W22', '2026-06'."""
    if period == QuotaPeriod.DAY:
        return day.isoformat()
    if period == QuotaPeriod.WEEK:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == QuotaPeriod.MONTH:
        return f"{day.year}-{day.month:02d}"
    return "once"


def ineligibility(rule: Rule, holder: Holder, day: dt.date) -> str | None:
    """Why this holder may not get this perk on `day` (None: eligible); the current grade decides."""
    if rule.valid_from and day < rule.valid_from:
        return Refusal.NOT_STARTED
    if rule.valid_to and day > rule.valid_to:
        return Refusal.ENDED
    if holder.blocked:
        return Refusal.BLACKLISTED
    if holder.kind not in rule.subject_kinds.split(","):
        return Refusal.SUBJECT_KIND
    if holder.grade is None or holder.grade not in rule.eligible_grades:
        return Refusal.GRADE
    return None


def offline_bits(grade: str | None, kind: str, blocked: bool, rules: list[Rule]) -> int:
    """The scenario's nibble for a format-2 code: the offline incentives this holder qualifies for now
    (validity windows are the scanner's to check, with its own clock)."""
    if blocked or grade is None:
        return 0
    bits = 0
    for rule in rules:
        if rule.offline_bit is not None and grade in rule.eligible_grades and kind in rule.subject_kinds.split(","):
            bits |= 1 << rule.offline_bit
    return bits


def grantable(holder: Holder, rules: list[Rule], day: dt.date,
              used: dict[int, int]) -> tuple[bool, list[dict], str | None]:
    """Whether the holder qualifies for any perk here, the perks with quota left now, and else why none."""
    reasons = [(r, ineligibility(r, holder, day)) for r in rules]
    eligible = [r for r, why in reasons if why is None]
    perks = [{"code": r.code, "title": r.title, "description": r.description,
              "quota_period": r.quota_period, "remaining": r.quota_count - used.get(r.id, 0)}
             for r in eligible]
    perks = [p for p in perks if p["remaining"] > 0]
    refusal = None if perks or not rules else (Refusal.OVER_QUOTA if eligible else reasons[0][1])
    return bool(eligible), perks, refusal


def disclose(disclosure: tuple[str, ...], holder: Holder, eligible: bool, perks: list[dict]) -> dict:
    """Only the fields this scenario's profile lists; an id number is never among them."""
    shown: dict = {}
    for field in disclosure:
        if field == "eligibility":
            shown["eligible"] = eligible
        elif field == "discount":
            shown["discount"] = [p["title"] for p in perks]
        elif field == "masked_name" and holder.kind == "person":
            shown["masked_name"] = holder.display_name
        elif field == "grade":
            shown["grade"] = grade_label(holder.grade)
    return shown
