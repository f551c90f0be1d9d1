"""What every step of an objection uses: the credit office's name, working-day deadlines, the timeline, the item,
finding an objection and checking its state."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from backend.credit import MarkedItem, item_of
from backend.objections.models import Objection, ObjectionStep
from backend.objections.vocab import STATE_ZH
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today, utcnow
from backend.platform.db import db
from backend.platform.errors import Conflict, NotFound


def credit_office() -> str:
    return current_app.config["CREDIT_OFFICE_NAME"]


def due_in(setting: str, start=None):
    """The deadline `setting` working days after `start` (today, China date)."""
    return add_working_days(start or china_today(), current_app.config[setting])


def step(obj: Objection, by: str, note: str | None = None) -> None:
    db.session.add(ObjectionStep(objection_id=obj.id, at=utcnow(), state=obj.state, by=by[:100],
                                 note=note[:1000] if note else None, due_on=obj.due_on))


def item_key(obj: Objection) -> tuple[str, int]:
    return (MarkedItem.RECORD, obj.record_id) if obj.record_id else (MarkedItem.LIST_ENTRY, obj.list_entry_id)


def the_item(obj: Objection):
    return item_of(*item_key(obj))


def by_number(number: str) -> Objection:
    """Raises NotFound (objection_not_found)."""
    obj = db.session.scalar(select(Objection).where(Objection.number == number))
    if obj is None:
        raise NotFound(f"没有编号为 {number} 的异议申请。", code="objection_not_found")
    return obj


def need_state(obj: Objection, *states: str) -> None:
    """Raises Conflict (objection_state) when the objection is not in one of `states`."""
    if obj.state not in states:
        raise Conflict(f"异议申请 {obj.number} 当前为“{STATE_ZH[obj.state]}”，不能办理这一步。", code="objection_state",
                       details={"state": obj.state})
