"""Pure, deterministic scoring of one subject's file under a model, with a readable breakdown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from backend.credit.grading.model import GradingModel
from backend.credit.vocab import GRADE_ZH, GRADES, SEVERITY_ZH, grade_label


class RecordFact(NamedTuple):
    id: int
    category: str
    severity: str | None
    result: str | None
    decided_on: dt.date
    tolerant: bool
    emergency: bool
    title: str
    department: str
    document_no: str
    suspended: bool = False  # marked (异议/复议/诉讼) and suspended by its department: shown, not scored


class ListFact(NamedTuple):
    list_type: str
    starts_on: dt.date
    ends_on: dt.date | None
    decision_document: str
    suspended: bool = False  # marked and suspended by its department: not applied while decided


@dataclass(frozen=True)
class Evaluation:
    score: float | None  # None with grade None: nothing to grade (未评价)
    grade: str | None
    breakdown: dict


def _raw_points(model: GradingModel, r: RecordFact) -> tuple[float, str]:
    rule = model.categories[r.category]
    if rule.by_severity is not None:
        sev = r.severity or "general"
        return rule.by_severity[sev], f"{rule.title}（{SEVERITY_ZH[sev]}）"
    if rule.by_result is not None:
        if r.result not in rule.by_result:
            return 0.0, f"{rule.title}（结果未知，不计分）"
        return rule.by_result[r.result], f"{rule.title}（{r.result}）"
    return rule.points, rule.title


def _score_record(model: GradingModel, r: RecordFact, as_of: dt.date, first_offence: bool) -> dict:
    rule = model.categories[r.category]
    weight = float(model.indicators[rule.indicator]["weight"])
    points, label = _raw_points(model, r)
    factor = model.decay_factor(max((as_of - r.decided_on).days, 0))
    tol = model.tolerance
    if r.emergency:
        contribution, why = 0.0, f"{label}：因突发事件应急处置产生，仅展示不计分"
    elif r.suspended:
        contribution, why = 0.0, f"{label}：正在核实（异议、复议或诉讼），部门决定核实期间暂停计分"
    elif (r.tolerant and first_offence and r.category in tol.get("categories", ())
          and r.severity == tol.get("severity")):
        contribution, why = 0.0, f"{label}：首次轻微违法且无危害后果，包容审慎不扣分"
    elif factor == 0.0:
        contribution, why = 0.0, f"{label}：已超过计分期限，不计分"
    else:
        contribution = round(points * factor * weight, 2)
        why = f"{label} {points:+g} 分 × 时间衰减 {factor:g} × 权重 {weight:g}"
    return {"record_id": r.id, "category": r.category, "title": r.title, "department": r.department,
            "document_no": r.document_no, "decided_on": r.decided_on.isoformat(), "indicator": rule.indicator,
            "points": contribution, "rule": why}


def _list_active(e: ListFact, as_of: dt.date) -> bool:
    return e.starts_on <= as_of and (e.ends_on is None or e.ends_on >= as_of)


def _apply_lists(model: GradingModel, grade: str, lists: list[ListFact], as_of: dt.date) -> tuple[str, list]:
    active = {e.list_type: e for e in lists if _list_active(e, as_of) and not e.suspended}
    effects = [{"list_type": e.list_type, "decision_document": e.decision_document,
                "rule": "正在核实（异议、复议或诉讼），部门决定核实期间暂停适用"}
               for e in lists if _list_active(e, as_of) and e.suspended]
    red, watch, black = (model.lists.get(k, {}) for k in ("red", "watch", "black"))
    if "red" in active and red.get("lift"):
        lifted = GRADES[max(GRADES.index(grade) - int(red["lift"]), 0)]
        change = f"{GRADE_ZH[grade]}→{GRADE_ZH[lifted]}"
        effects.append({"list_type": "red", "decision_document": active["red"].decision_document,
                        "rule": f"列入{red.get('title', '红名单')}：等级上调{red['lift']}级（{change}）"})
        grade = lifted
    if "watch" in active and watch.get("cap") and GRADES.index(grade) < GRADES.index(watch["cap"]):
        effects.append({"list_type": "watch", "decision_document": active["watch"].decision_document,
                        "rule": f"列入{watch.get('title', '重点关注名单')}：等级最高为{GRADE_ZH[watch['cap']]}"})
        grade = watch["cap"]
    if "black" in active and black.get("force"):
        effects.append({"list_type": "black", "decision_document": active["black"].decision_document,
                        "rule": f"列入{black.get('title', '失信联合惩戒对象名单')}：等级为{GRADE_ZH[black['force']]}"})
        grade = black["force"]
    return grade, effects


def unrated(model: GradingModel, as_of: dt.date) -> Evaluation:
    """No active record and no list entry: no grade, no score (shown as 未评价), nothing invented."""
    breakdown = {"model_version": model.version, "as_of": as_of.isoformat(), "rated": False,
                 "base_score": model.base_score, "records": [], "adjustments": [], "score": None,
                 "score_grade": None, "lists": [], "grade": None, "grade_zh": grade_label(None),
                 "thresholds": model.thresholds}
    return Evaluation(None, None, breakdown)


def evaluate(model: GradingModel, records: list[RecordFact], lists: list[ListFact], as_of: dt.date) -> Evaluation:
    """Score active records and apply list overrides; base + Σ record points + Σ adjustments = score.

    A subject is graded once its file holds something to grade: an active record or a list entry in force.
    """
    if not records and not any(_list_active(e, as_of) for e in lists):
        return unrated(model, as_of)
    tolerated_kinds = set(model.tolerance.get("categories", ()))
    seen_offence = False
    lines, sums = [], {name: 0.0 for name in model.indicators}
    for r in sorted(records, key=lambda r: (r.decided_on, r.id)):
        line = _score_record(model, r, as_of, first_offence=not seen_offence)
        if r.category in tolerated_kinds and not r.emergency and not r.suspended:
            seen_offence = True
        sums[line["indicator"]] += line["points"]
        lines.append(line)
    adjustments, score = [], model.base_score
    for name, total in sums.items():
        ind = model.indicators[name]
        clamped = min(max(total, float(ind["min"])), float(ind["max"]))
        if clamped != total:
            adjustments.append({"points": round(clamped - total, 2),
                                "rule": f"{ind['title']}合计 {total:+g} 分，限定在 {ind['min']}～{ind['max']} 分"})
        score += clamped
    if not model.min_score <= score <= model.max_score:
        bounded = min(max(score, model.min_score), model.max_score)
        adjustments.append({"points": round(bounded - score, 2),
                            "rule": f"总分限定在 {model.min_score:g}～{model.max_score:g} 分"})
        score = bounded
    score = round(score, 2)
    score_grade = model.grade_for(score)
    grade, list_effects = _apply_lists(model, score_grade, lists, as_of)
    breakdown = {"model_version": model.version, "as_of": as_of.isoformat(), "rated": True,
                 "base_score": model.base_score,
                 "records": lines, "adjustments": adjustments, "score": score, "score_grade": score_grade,
                 "lists": list_effects, "grade": grade, "grade_zh": GRADE_ZH[grade],
                 "thresholds": model.thresholds}
    return Evaluation(score, grade, breakdown)
