"""Carrying an objection's outcome out on the item and closing it: corrections applied (old and new kept), publication
stopped, taken off the list, or upheld; the mark cleared, the subject re-graded (in the caller's use case)."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit import CreditMark, apply_corrections, clear_mark, stop_publication, take_off_list
from backend.objections.events import outcome_changed
from backend.objections.models import Objection, ObjectionCorrection
from backend.objections.steps import step, the_item
from backend.objections.vocab import OUTCOME_ZH, ObjectionState, Outcome
from backend.platform import audit
from backend.platform.clock import utcnow
from backend.platform.db import db
from backend.platform.errors import InvalidInput


def changes_asked(obj: Objection, data: dict) -> dict[str, str | None]:
    given = data.get("corrections")
    if given:
        return {c["field"]: c.get("value") for c in given}
    rows = db.session.scalars(select(ObjectionCorrection).where(ObjectionCorrection.objection_id == obj.id))
    return {c.field: c.proposed_value for c in rows}


def apply_outcome(obj: Objection, data: dict, *, actor: str) -> None:
    """Carry the outcome out on the item; raises InvalidInput (invalid_outcome, invalid_correction)."""
    item, outcome = the_item(obj), data["outcome"]
    is_record = obj.record_id is not None
    if outcome in (Outcome.CORRECTED, Outcome.SUPPLEMENTED):
        changes = changes_asked(obj, data)
        if not changes:
            raise InvalidInput("更正或补充需要写明字段和更正后的值（corrections）。", code="invalid_outcome",
                               details={"field": "corrections"})
        done = apply_corrections(item, changes, ref=obj.number, actor=actor)
        asked = {c.field: c for c in db.session.scalars(
            select(ObjectionCorrection).where(ObjectionCorrection.objection_id == obj.id))}
        for change in done:
            row = asked.get(change["field"])
            if row is None:
                row = ObjectionCorrection(objection_id=obj.id, field=change["field"],
                                          current_value=change["old"], proposed_value=change["new"])
                db.session.add(row)
            row.applied, row.old_value, row.new_value, row.applied_at = True, change["old"], change["new"], utcnow()
    elif outcome == Outcome.PUBLICATION_STOPPED:
        if not is_record:
            raise InvalidInput("名单记录请选择“移出名单”（removed_from_list）。", code="invalid_outcome",
                               details={"field": "outcome"})
        stop_publication(item, f"异议处理（{obj.number}）：{data['reason']}", actor=actor)
    elif outcome == Outcome.REMOVED_FROM_LIST:
        if is_record:
            raise InvalidInput("信用记录请选择“停止公示”（publication_stopped）或更正。", code="invalid_outcome",
                               details={"field": "outcome"})
        take_off_list(item, f"异议处理（{obj.number}）：{data['reason']}", actor=actor)


def close(obj: Objection, data: dict, *, by: str, actor: str, review: bool = False) -> Objection:
    """Apply the outcome, clear the mark, close; the item is free for a new objection (in the caller's use case)."""
    apply_outcome(obj, data, actor=actor)
    if obj.mark_id is not None:
        clear_mark(db.session.get(CreditMark, obj.mark_id), f"异议处理完毕：{OUTCOME_ZH[data['outcome']]}", actor=actor)
    if review:
        obj.review_outcome, obj.review_outcome_reason = data["outcome"], data["reason"]
    else:
        obj.outcome, obj.outcome_reason = data["outcome"], data["reason"]
    obj.decided_by, obj.state, obj.due_on, obj.open_item = by, ObjectionState.CLOSED, None, None
    obj.closed_at = utcnow()
    step(obj, by, f"{OUTCOME_ZH[data['outcome']]}：{data['reason']}")
    audit.record(actor, "objection.review_decide" if review else "objection.decide", "objection", obj.number,
                 details={"outcome": data["outcome"], "reason": data["reason"]})
    outcome_changed("objection", obj, "closed")
    return obj
