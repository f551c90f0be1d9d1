"""失信风险提示/警示约谈 and the 重大失信风险预防清单.

A talk: planned → notified → held | no_show → rectification_due → verified | escalated (watch list, a higher
sampling ratio in later draws, or a penalty filed). The rectification deadline counts working days from the
day the rectification starts (platform.calendar).

The rectification commitment signed at the talk is filed as a credit commitment (credit.put_commitment; a §4
commitment of type 信用修复型 when the talk is about a penalty record, else 其他, credit-rules §9), accepted by
the talk's department and shown only within the administration (特定范围内公开). Verifying the rectification
assesses it 全部履行; escalating a rectification not done assesses it 全部未履行 (or 部分履行) through credit's
breach path — the subject goes on the watch list with the commitment as basis and supervision hears of the
breach (credit's commitment_broken event) like any other.
"""

from __future__ import annotations

from backend.credit import CreditRecord, Subject, add_list_entry, assess, put_commitment, subject_by_handle
from backend.credit.vocab import CommitmentStatus, CommitmentType, Disclosure, Fulfilment, RecordCategory
from backend.notifications import PushEvent, notify
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today, local_date, utcnow
from backend.platform.crypto import decrypt
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound
from backend.supervision.catalog import check_scope, department_of
from backend.supervision.models import PreventionEntry, RiskWarning, Talk
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
        talk.attendees = data.get("attendees") or talk.attendees
        if data.get("commitment_text"):
            _sign_commitment(talk, data["commitment_text"], data.get("commitment_signer"), actor)
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
        if (kept := _open_commitment(talk)) is not None:
            assess(kept, fulfilment=Fulfilment.FULL, on=china_today(), department=talk.department)
            audit.record(actor, "commitment.kept", "credit_commitment", kept.code,
                         details={"fulfilment": kept.fulfilment, "talk": talk.number})
    elif action == TalkAction.ESCALATE:
        _escalate(talk, data, operator=operator, actor=actor)
    talk.state = target
    _log(talk, action, actor)
    audit.record(actor, f"supervision.talk.{action}", "talk", talk.id, details={"state": talk.state})
    return talk


def _penalty_of(talk: Talk) -> CreditRecord | None:
    """The penalty record the talk's warning is about (its cause names the record), if any."""
    warning = db.session.get(RiskWarning, talk.warning_id) if talk.warning_id else None
    parts = warning.cause_key.split(":") if warning else []
    if len(parts) >= 3 and parts[1] == "record" and parts[2].isdigit():
        record = db.session.get(CreditRecord, int(parts[2]))
        if record is not None and record.category == RecordCategory.ADMIN_PENALTY:
            return record
    return None


def _sign_commitment(talk: Talk, text: str, signer: str | None, actor: str) -> None:
    subject, record = db.session.get(Subject, talk.subject_id), _penalty_of(talk)
    row = put_commitment(subject, {
        "commitment_type": CommitmentType.REPAIR if record else CommitmentType.OTHER,
        "matter": f"{TALK_KIND_ZH[talk.kind]}{talk.number}整改承诺", "content": text,
        "committed_on": local_date(talk.held_at), "valid_until": None, "accepting_unit": talk.department,
        "disclosure": Disclosure.RESTRICTED, "liability": None}, recorded_by=actor, record=record)
    talk.commitment_id, talk.commitment, talk.commitment_signer = row.id, row, signer
    audit.record(actor, "commitment.create", "credit_commitment", row.code,
                 details={"subject": subject.handle, "type": row.commitment_type, "talk": talk.number})


def _open_commitment(talk: Talk):
    commitment = talk.commitment
    return commitment if commitment is not None and commitment.status == CommitmentStatus.ACTIVE else None


def _escalate(talk: Talk, data: dict, *, operator: Operator, actor: str) -> None:
    kind = data.get("escalation")
    if kind not in set(Escalation):
        raise InvalidInput("escalation：请选择升级方式：watch_list、higher_ratio 或 penalty。",
                           details={"field": "escalation"})
    talk.escalation = kind
    breached = None
    if talk.state == TalkState.RECTIFICATION_DUE and (breached := _open_commitment(talk)) is not None:
        assess(breached, fulfilment=data.get("fulfilment") or Fulfilment.NONE, on=china_today(),
               department=talk.department,
               unfulfilled=(data.get("outcome") or f"逾期未完成整改：{talk.rectification}")[:2000],
               liability_pursued=ESCALATION_ZH[Escalation(kind)])
        audit.record(actor, f"commitment.{breached.status}", "credit_commitment", breached.code,
                     details={"fulfilment": breached.fulfilment, "talk": talk.number})
    if kind == Escalation.WATCH_LIST and breached is not None:
        talk.escalation_ref = f"list_entry:{breached.watch_entry_id}"  # the breach listed the subject already
    elif kind == Escalation.WATCH_LIST:
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
