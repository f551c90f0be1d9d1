"""失信风险提示/警示约谈 and the 重大失信风险预防清单.

A talk: planned → notified → held | no_show → rectification_due → verified | escalated (watch list, a higher
sampling ratio in later draws, or a penalty filed). The rectification deadline counts working days from the
day the rectification starts (platform.calendar). The signed rectification commitment is kept as text and signer;
`commitment_id` stays empty until the credit-commitment feature links it.
"""

from __future__ import annotations

from backend.credit import Subject, add_list_entry, subject_by_handle
from backend.notifications import PushEvent, notify
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today, local_date, utcnow
from backend.platform.crypto import decrypt
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound
from backend.supervision.catalog import check_scope, department_of
from backend.supervision.models import PreventionEntry, Talk
from backend.supervision.vocab import (
    ESCALATION_ZH,
    TALK_ACTION_ZH,
    TALK_KIND_ZH,
    TALK_STATE_ZH,
    TALK_TRANSITIONS,
    Escalation,
    TalkAction,
    TalkState,
    WarningStatus,
)
from backend.supervision.warnings import get_warning

WATCH_BASIS = "《广东省社会信用条例》；失信风险提示约谈后逾期未整改"


@use_case
def plan_talk(data: dict, *, operator: Operator, actor: str) -> Talk:
    """Plan a talk about a warning (or a subject directly); raises NotFound, Forbidden, Conflict (warning_closed)."""
    warning = None
    if data.get("warning_id"):
        warning = get_warning(data["warning_id"], operator)
        if warning.status == WarningStatus.CLOSED:
            raise Conflict("该预警已关闭，不能据此安排约谈。", code="warning_closed")
        subject_id = warning.subject_id
    elif data.get("handle"):
        subject_id = subject_by_handle(data["handle"]).id
    else:
        raise InvalidInput("warning_id：请填写所依据的预警，或约谈对象的 handle。", details={"field": "warning_id"})
    department = department_of(operator, data.get("department") or (warning.department if warning else None))
    talk = Talk(warning_id=warning.id if warning else None, subject_id=subject_id, department=department,
                kind=data["kind"], state=TalkState.PLANNED, scheduled_at=data["scheduled_at"], place=data["place"],
                attendees=data.get("attendees") or [], content=data["content"], rectification=data.get("rectification"),
                rectification_days=data.get("rectification_days", 10), history=[])
    db.session.add(talk)
    db.session.flush()
    talk.number = f"YT{china_today().year}-{talk.id:05d}"
    _log(talk, "plan", actor)
    if warning is not None:
        warning.status = WarningStatus.TALK
    audit.record(actor, "supervision.talk.plan", "talk", talk.id,
                 details={"number": talk.number, "kind": talk.kind, "warning_id": talk.warning_id})
    return talk


def get_talk(talk_id: int, op: Operator) -> Talk:
    talk = db.session.get(Talk, talk_id)
    if talk is None:
        raise NotFound(f"没有编号为 {talk_id} 的约谈。")
    check_scope(op, talk.department)
    return talk


def _log(talk: Talk, action: str, actor: str) -> None:
    talk.history = [*talk.history, {"action": action, "state": talk.state, "at": utcnow().isoformat(), "by": actor}]


@use_case
def act(talk_id: int, action: str, data: dict, *, operator: Operator, actor: str) -> Talk:
    """Take one step of the talk's course; raises Conflict (talk_state) when the step does not follow, NotFound,
    Forbidden, InvalidInput (a step's required field missing)."""
    talk = get_talk(talk_id, operator)
    action = TalkAction(action)
    allowed, target = TALK_TRANSITIONS[action]
    if talk.state not in allowed:
        raise Conflict(f"约谈当前为“{TALK_STATE_ZH[TalkState(talk.state)]}”，不能{TALK_ACTION_ZH[action]}。",
                       code="talk_state", details={"state": talk.state, "action": action})
    now = utcnow()
    if action == TalkAction.NOTIFY:
        talk.notified_at = now
        notify(talk.subject_id, PushEvent.RISK_WARNING, {
            "title": TALK_KIND_ZH[talk.kind], "summary": f"{talk.place} {local_date(talk.scheduled_at).isoformat()}",
            "department": talk.department, "date": local_date(talk.scheduled_at).isoformat()},
            cause=f"talk:{talk.id}:notified")
    elif action == TalkAction.HOLD:
        talk.held_at, talk.outcome = data.get("held_at") or now, data.get("outcome")
        talk.commitment_text, talk.commitment_signer = data.get("commitment_text"), data.get("commitment_signer")
        talk.attendees = data.get("attendees") or talk.attendees
    elif action == TalkAction.NO_SHOW:
        talk.outcome = data.get("outcome") or "被约谈对象未到场"
    elif action == TalkAction.RECTIFY:
        talk.rectification = data.get("rectification") or talk.rectification
        if not talk.rectification:
            raise InvalidInput("rectification：启动整改须写明整改要求。", details={"field": "rectification"})
        talk.rectification_days = data.get("rectification_days") or talk.rectification_days
        talk.rectification_due_on = add_working_days(china_today(), talk.rectification_days)
    elif action == TalkAction.VERIFY:
        talk.verified_at, talk.outcome = now, data.get("outcome") or talk.outcome
    elif action == TalkAction.ESCALATE:
        _escalate(talk, data, operator=operator, actor=actor)
    talk.state = target
    _log(talk, action, actor)
    audit.record(actor, f"supervision.talk.{action}", "talk", talk.id, details={"state": talk.state})
    return talk


def _escalate(talk: Talk, data: dict, *, operator: Operator, actor: str) -> None:
    kind = data.get("escalation")
    if kind not in set(Escalation):
        raise InvalidInput("escalation：请选择升级方式：watch_list、higher_ratio 或 penalty。",
                           details={"field": "escalation"})
    talk.escalation = kind
    if kind == Escalation.WATCH_LIST:
        subject = db.session.get(Subject, talk.subject_id)
        # A list entry names its subject as a filing does: by USCC, or a person by resident id (kept encrypted).
        ref = {"uscc": subject.uscc} if subject.uscc else {"resident_id": decrypt(subject.resident_id_enc).decode()}
        entry = add_list_entry({
            **ref, "list_type": "watch", "reason": f"约谈 {talk.number} 后逾期未整改",
            "legal_basis": WATCH_BASIS, "decision_document": data.get("reference") or f"约谈{talk.number}",
            "department": talk.department, "starts_on": china_today(), "ends_on": None,
            "subject_name": subject.display_name}, operator=operator, actor=actor)
        talk.escalation_ref = f"list_entry:{entry.id}"
    elif kind == Escalation.PENALTY:
        if not data.get("reference"):
            raise InvalidInput("reference：升级为处罚时须填写处罚决定书文号。", details={"field": "reference"})
        talk.escalation_ref = data["reference"]
    else:
        talk.escalation_ref = ESCALATION_ZH[Escalation.HIGHER_RATIO]


@use_case
def add_prevention_entry(data: dict, *, operator: Operator, actor: str) -> PreventionEntry:
    """Put a subject on the 重大失信风险预防清单 with its basis and review date; raises NotFound, Forbidden."""
    department = department_of(operator, data.get("department"))
    subject = subject_by_handle(data["handle"])
    if data.get("warning_id"):
        get_warning(data["warning_id"], operator)  # raises NotFound, Forbidden
    entry = PreventionEntry(subject_id=subject.id, department=department, basis=data["basis"], reason=data["reason"],
                            review_on=data["review_on"], warning_id=data.get("warning_id"))
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "supervision.prevention.add", "risk_prevention_entry", entry.id,
                 details={"subject": subject.handle, "review_on": entry.review_on.isoformat()})
    return entry
