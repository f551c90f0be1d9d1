"""What a resident can get: every active 信用+ perk, and whether they qualify today (mini-program)."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.credit import GRADE_ZH, Subject
from backend.platform.clock import china_today
from backend.platform.db import db
from backend.scanning.checks import black_listed
from backend.scanning.models import Incentive, Partner, Redemption, Scenario
from backend.scanning.rules import Holder, Rule, ineligibility, period_key
from backend.scanning.vocab import QUOTA_ZH, RedemptionStatus, refusal_zh, remaining_zh


def _holder(subject_id: int, day) -> Holder:
    row = db.session.execute(select(Subject.id, Subject.handle, Subject.kind, Subject.display_name, Subject.grade,
                                    black_listed(day).label("blocked")).where(Subject.id == subject_id)).one()
    return Holder(row.id, row.handle, row.kind, row.display_name, row.grade, bool(row.blocked))


def perks_for(subject_id: int) -> list[dict]:
    """Every active incentive with where it is given, its rules in words, and this person's eligibility today."""
    day = china_today()
    holder = _holder(subject_id, day)
    rows = db.session.execute(
        select(Incentive, Partner.name.label("partner"), Scenario.name_zh.label("scenario_zh"))
        .join(Partner, Partner.id == Incentive.partner_id).join(Scenario, Scenario.code == Incentive.scenario)
        .where(Incentive.active.is_(True)).order_by(Incentive.scenario, Incentive.id)).all()
    used = {(inc, per): n for inc, per, n in db.session.execute(
        select(Redemption.incentive_id, Redemption.period_key, func.count())
        .where(Redemption.subject_id == subject_id, Redemption.status == RedemptionStatus.GRANTED)
        .group_by(Redemption.incentive_id, Redemption.period_key))}
    items = []
    for inc, partner, scenario_zh in rows:
        rule = Rule(inc.id, inc.code, inc.scenario, inc.partner_id, inc.title, inc.description, inc.eligible_grades,
                    inc.subject_kinds, inc.quota_count, inc.quota_period, inc.valid_from, inc.valid_to)
        left = rule.quota_count - used.get((rule.id, period_key(rule.quota_period, day)), 0)
        reason = ineligibility(rule, holder, day) or (None if left > 0 else "over_quota")
        items.append({
            "code": rule.code, "title": rule.title, "description": rule.description, "scenario": rule.scenario,
            "scenario_zh": scenario_zh, "partner": partner,
            "eligible_grades": [GRADE_ZH[g] for g in rule.eligible_grades],
            "quota_zh": QUOTA_ZH[rule.quota_period].format(n=rule.quota_count), "valid_from": rule.valid_from,
            "valid_to": rule.valid_to, "eligible": reason is None, "reason": reason,
            "reason_zh": refusal_zh(reason, period=rule.quota_period, unrated=holder.grade is None) if reason else None,
            "remaining": max(left, 0), "remaining_zh": remaining_zh(rule.quota_period, max(left, 0)),
        })
    return items
