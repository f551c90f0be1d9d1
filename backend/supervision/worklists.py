"""Per-department worklists and overdue lists (also as CSV): open warnings, talks under way, rectifications
past their working-day deadline, talks not recorded after their time, prevention entries due for review."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from backend.credit import Subject
from backend.platform.clock import china_today, utcnow
from backend.platform.db import db
from backend.supervision.models import PreventionEntry, RiskWarning, Talk
from backend.supervision.vocab import TALK_KIND_ZH, TALK_STATE_ZH, WARNING_RULE_ZH, TalkState, WarningStatus

OPEN_TALKS = (TalkState.PLANNED, TalkState.NOTIFIED, TalkState.HELD, TalkState.NO_SHOW, TalkState.RECTIFICATION_DUE)
CSV_COLUMNS = ("类型", "编号", "主体标识", "主体名称", "事由", "状态", "期限", "部门")


def _scoped(query, model, department: str | None):
    return query.where(model.department == department) if department else query


def worklist(department: str | None) -> dict:
    warnings = db.session.scalars(_scoped(select(RiskWarning).where(RiskWarning.status == WarningStatus.OPEN),
                                          RiskWarning, department).order_by(RiskWarning.id))
    talks = db.session.scalars(_scoped(select(Talk).where(Talk.state.in_(OPEN_TALKS)), Talk, department)
                               .order_by(Talk.scheduled_at))
    prevention = db.session.scalars(_scoped(select(PreventionEntry).where(PreventionEntry.removed_at.is_(None)),
                                            PreventionEntry, department).order_by(PreventionEntry.review_on))
    return {"warnings": list(warnings), "talks": list(talks), "prevention": list(prevention)}


def overdue_rows(department: str | None) -> list[dict]:
    """Everything past its time, oldest deadline first."""
    today, now, rows = china_today(), utcnow(), []
    late_rectification = _scoped(select(Talk).where(Talk.state == TalkState.RECTIFICATION_DUE,
                                                    Talk.rectification_due_on < today), Talk, department)
    for t in db.session.scalars(late_rectification):
        rows.append(_row("整改逾期", t.number, t.subject_id, TALK_KIND_ZH[t.kind], TALK_STATE_ZH[TalkState(t.state)],
                         t.rectification_due_on.isoformat(), t.department))
    unrecorded = _scoped(select(Talk).where(Talk.state.in_((TalkState.PLANNED, TalkState.NOTIFIED)),
                                            Talk.scheduled_at < now), Talk, department)
    for t in db.session.scalars(unrecorded):
        rows.append(_row("约谈未记录", t.number, t.subject_id, TALK_KIND_ZH[t.kind], TALK_STATE_ZH[TalkState(t.state)],
                         t.scheduled_at.date().isoformat(), t.department))
    review = _scoped(select(PreventionEntry).where(PreventionEntry.removed_at.is_(None),
                                                   PreventionEntry.review_on < today), PreventionEntry, department)
    for e in db.session.scalars(review):
        rows.append(_row("预防清单待复核", f"FX-{e.id}", e.subject_id, e.reason, "待复核", e.review_on.isoformat(),
                         e.department))
    stale = _scoped(select(RiskWarning).where(RiskWarning.status == WarningStatus.OPEN), RiskWarning, department)
    for w in db.session.scalars(stale):
        if (today - w.created_at.date()).days > 30:
            rows.append(_row("预警未处置", f"YJ-{w.id}", w.subject_id, WARNING_RULE_ZH[w.rule], "待处置",
                             w.created_at.date().isoformat(), w.department or ""))
    labels = {s.id: (s.handle, None if s.kind == "person" else s.display_name)
              for s in db.session.scalars(select(Subject).where(Subject.id.in_({r["subject_id"] for r in rows})))}
    for r in rows:
        r["handle"], r["name"] = labels.get(r["subject_id"], (None, None))
    return sorted(rows, key=lambda r: r["due"])


def _row(kind, number, subject_id, reason, state, due, department) -> dict:
    return {"kind": kind, "number": number, "subject_id": subject_id, "reason": reason, "state": state, "due": due,
            "department": department}


def overdue_csv(department: str | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in overdue_rows(department):
        writer.writerow([r["kind"], r["number"], r["handle"], r["name"] or "", r["reason"], r["state"], r["due"],
                         r["department"]])
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 Chinese correctly
