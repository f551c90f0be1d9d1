"""Filing 双公示 decisions one at a time and in batches (all rows or none), publishing held ones, and
withdrawing changed or revoked ones — with the 7- and 3-working-day deadlines from the calendar.

A penalty is also a credit record (admin_penalty, filed through credit.put_record so grading, lists and
publication windows apply); a licence is positive file data (admin_licence)."""

from __future__ import annotations

import datetime as dt
import json

from flask import current_app
from sqlalchemy import select

from backend.credit import Subject, SubjectKind, get_or_create_organisation, get_or_create_person, put_record
from backend.credit import remove_record as remove_credit_record
from backend.disclosure.deidentify import person_names, public_items, public_name, scrub
from backend.disclosure.items import clean_items, default_severity, penalty_categories
from backend.disclosure.models import Disclosure, DisclosureEvent
from backend.disclosure.vocab import (
    KIND_ZH,
    PRIVATE_FIELDS,
    DecisionKind,
    EventKind,
    PartyCategory,
    PublicationState,
)
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today, utcnow
from backend.platform.crypto import decrypt, encrypt
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound

SEVERITIES = ("minor", "general", "serious")


def department_of(operator: Operator | None, requested: str | None) -> str:
    """The department filing: an operator's own; an admin or the CLI must name one. Raises InvalidInput, Forbidden."""
    if operator is None or operator.role == "admin":
        if not requested:
            raise InvalidInput("department：平台管理员报送双公示信息时必须填写报送部门。", code="department_required",
                               details={"field": "department"})
        return requested
    if requested and requested != operator.department:
        raise Forbidden(f"{operator.department}的操作员不能代{requested}报送。", code="outside_department",
                        details={"field": "department"})
    return operator.department


def check(kind: str, raw: dict, today: dt.date) -> tuple[dict, list[tuple[str, str]]]:
    """Clean items and problems, including the platform's extras (severity)."""
    raw = dict(raw)
    severity = raw.pop("severity", None)
    raw.pop("publish", None)
    raw.pop("department", None)
    items, problems = clean_items(kind, raw, today)
    if severity is not None and (kind != DecisionKind.PENALTY or severity not in SEVERITIES):
        problems.append(("severity", "severity 只用于行政处罚，应为 minor（轻微）、general（一般）或 serious（严重）"))
    items["_severity"] = severity
    return items, problems


def raise_problems(problems: list[tuple[str, str]]) -> None:
    """Raises InvalidInput naming every bad item."""
    if problems:
        field, why = problems[0]
        raise InvalidInput(f"{field}：{why}（共 {len(problems)} 处问题，见 details）。", code="invalid_decision",
                           details={"errors": [{"field": f, "message": m} for f, m in problems]})


def _subject(items: dict) -> Subject:
    if items["XDR_LB"] == PartyCategory.PERSON:
        return get_or_create_person(items["XDR_ZJHM"], items["XDR_MC"])
    code = items["XDR_SHXYM"]
    kind = SubjectKind.MERCHANT if code[0] == "9" or items["XDR_LB"] == PartyCategory.INDIVIDUAL \
        else SubjectKind.ORGANISATION
    return get_or_create_organisation(code, items["XDR_MC"], kind=kind)


def _record_data(kind: str, items: dict) -> dict:
    return {"tolerant_first_offence": False, "emergency": False, "result": None, **_record_fields(kind, items)}


def _record_fields(kind: str, items: dict) -> dict:
    if kind == DecisionKind.PENALTY:
        return {"category": "admin_penalty", "title": items["WFXW"][:300], "content": items["NR"],
                "severity": items["_severity"] or default_severity(penalty_categories(items["CFLB"])),
                "document_no": items["WSH"], "legal_basis": items["YJ"][:500], "decided_on": items["JDRQ"],
                "expires_on": items.get("GSJZQ")}
    return {"category": "admin_licence", "title": (items.get("XKZS") or items["XKWS"])[:300], "content": items["NR"],
            "document_no": items["WSH"], "legal_basis": f"行政许可决定：{items['XKWS']}"[:500],
            "decided_on": items["JDRQ"], "expires_on": items.get("YXQZI")}


def _stored(items: dict) -> tuple[dict, str | None]:
    """(items as JSON without the private ones, the private ones encrypted)."""
    plain = {k: (v.isoformat() if isinstance(v, dt.date) else str(v) if k in ("NR_FK", "NR_WFFF") else v)
             for k, v in items.items() if not k.startswith("_") and v is not None}
    private = {k: plain.pop(k) for k in PRIVATE_FIELDS if k in plain}
    return plain, (encrypt(json.dumps(private, ensure_ascii=False)) if private else None)


def private_items(d: Disclosure) -> dict:
    """The encrypted identity items (for the filing department only)."""
    return json.loads(decrypt(d.private_enc)) if d.private_enc else {}


def event_summary(d: Disclosure, subject: Subject) -> dict:
    """What the feed says about a decision: de-identified, written once."""
    shown = public_items(d.party_category, d.items)
    return {"kind": d.kind, "kind_zh": KIND_ZH[DecisionKind(d.kind)], "department": d.department,
            "document_no": d.document_no, "decided_on": d.decided_on.isoformat(),
            "subject_name": public_name(subject),
            "subject_handle": None if subject.kind == "person" else subject.handle,
            "party_category": d.party_category, "items": shown}


def add_event(kind: EventKind, d: Disclosure, subject: Subject, extra: dict | None = None) -> None:
    db.session.add(DisclosureEvent(at=utcnow(), kind=kind, disclosure_id=d.id, credit_record_id=d.credit_record_id,
                                   subject_id=subject.id, summary={**event_summary(d, subject), **(extra or {})}))


def put_decision(kind: str, department: str, items: dict, *, publish: bool) -> tuple[Disclosure, bool]:
    """File or correct one checked decision in the caller's transaction; raises Conflict (withdrawn)."""
    subject = _subject(items)
    db.session.flush()
    d = db.session.execute(select(Disclosure).where(Disclosure.department == department, Disclosure.kind == kind,
                                                    Disclosure.document_no == items["WSH"])).scalar_one_or_none()
    if d is not None and d.state == PublicationState.WITHDRAWN:
        raise Conflict(f"{items['WSH']} 已撤回公示，不能再次报送；变更后的决定请以新的决定书文号报送。",
                       code="decision_withdrawn", details={"field": "WSH"})
    record, _ = put_record(subject, department, _record_data(kind, items),
                           reason=f"{department} 双公示 {KIND_ZH[DecisionKind(kind)]} {items['WSH']}")
    plain, private = _stored(items)
    created = d is None
    if created:
        d = Disclosure(kind=kind, department=department, document_no=items["WSH"], state=PublicationState.REGISTERED,
                       publish_due=add_working_days(items["JDRQ"], current_app.config["DISCLOSURE_PUBLISH_DAYS"]))
        db.session.add(d)
    else:
        d.updated_at = utcnow()
        d.publish_due = add_working_days(items["JDRQ"], current_app.config["DISCLOSURE_PUBLISH_DAYS"])
    unchanged = not created and d.items == plain and d.subject_id == subject.id and (
        (private_items(d) if d.private_enc else {}) == (json.loads(decrypt(private)) if private else {}))
    d.subject_id, d.party_category, d.items, d.private_enc = subject.id, items["XDR_LB"], plain, private
    d.fine_wan, d.decided_on, d.credit_record_id = items.get("NR_FK"), items["JDRQ"], record.id
    d.publish_until = items.get("GSJZQ") if kind == DecisionKind.PENALTY else items.get("YXQZI")
    db.session.flush()
    if d.state == PublicationState.PUBLISHED:
        if not unchanged:  # a retried filing is no correction
            add_event(EventKind.CORRECTION, d, subject)
    elif publish:
        _publish(d, subject)
    return d, created


def _publish(d: Disclosure, subject: Subject) -> None:
    d.state, d.published_at, d.published_on = PublicationState.PUBLISHED, utcnow(), china_today()
    add_event(EventKind.PUBLICATION, d, subject)


def shown(d: Disclosure) -> dict:
    """A decision as the filing department sees it (deadlines, lateness), identity items not included."""
    late = d.published_on is not None and d.published_on > d.publish_due
    return {"id": d.id, "kind": d.kind, "department": d.department, "document_no": d.document_no,
            "state": d.state, "decided_on": d.decided_on, "publish_due": d.publish_due, "published_at": d.published_at,
            "published_late": late, "credit_record_id": d.credit_record_id, "items": d.items,
            "withdraw_due": d.withdraw_due, "withdrawn_at": d.withdrawn_at,
            "withdrawn_late": d.withdrawn_on is not None and d.withdrawn_on > d.withdraw_due,
            "withdrawal_cause": d.withdrawal_cause, "withdrawal_reason": d.withdrawal_reason,
            "withdrawal_document": d.withdrawal_document}


@use_case
def file_decision(kind: str, body: dict, *, operator: Operator | None, actor: str) -> tuple[dict, bool]:
    """File one decision (the same department, kind and number again corrects it); raises InvalidInput,
    Forbidden, Conflict."""
    department = department_of(operator, body.get("department"))
    items, problems = check(kind, body, china_today())
    raise_problems(problems)
    d, created = put_decision(kind, department, items, publish=body.get("publish", True))
    audit.record(actor, "disclosure.file" if created else "disclosure.correct", "disclosure", d.id,
                 details={"kind": kind, "department": department, "document_no": d.document_no})
    return shown(d), created


@use_case
def file_decisions(kind: str, rows: list[tuple[int, dict]], *, operator: Operator | None, actor: str,
                   source: str = "json", encoding: str | None = None) -> dict:
    """File every row or none; raises InvalidInput listing every bad row (details.errors: row, field, message)."""
    today, errors, checked, seen = china_today(), [], [], {}
    for row_no, raw in rows:
        try:
            department = department_of(operator, raw.get("department"))
        except (InvalidInput, Forbidden) as e:
            errors.append({"row": row_no, "field": "department", "message": e.message})
            continue
        items, problems = check(kind, raw, today)
        errors += [{"row": row_no, "field": f, "message": m} for f, m in problems]
        key = (department, items.get("WSH"))
        if items.get("WSH") and key in seen:
            errors.append({"row": row_no, "field": "WSH", "message": f"与第 {seen[key]} 行的决定书文号相同"})
        seen.setdefault(key, row_no)
        checked.append((row_no, department, items, raw.get("publish", True) not in (False, "否", "false", "0")))
    if errors:
        raise InvalidInput(f"{len({e['row'] for e in errors})} 行有误，未保存任何决定（每行的问题见 details）。",
                           code="invalid_decision", details={"errors": errors})
    created = 0
    for row_no, department, items, publish in checked:
        try:
            _, new = put_decision(kind, department, items, publish=publish)
        except (InvalidInput, Conflict) as e:
            raise type(e)(f"第 {row_no} 行：{e.message}", code=e.code,
                          details={"errors": [{"row": row_no, "field": "WSH", "message": e.message}]}) from None
        created += new
    audit.record(actor, "disclosure.import", "disclosures", kind,
                 details={"source": source, "encoding": encoding, "rows": len(checked), "created": created})
    return {"rows": len(checked), "created": created, "updated": len(checked) - created, "encoding": encoding}


def own(disclosure_id: int, operator: Operator) -> Disclosure:
    """The decision if this operator's department filed it (an admin: any); raises NotFound."""
    d = db.session.get(Disclosure, disclosure_id)
    if d is None or (operator.role != "admin" and d.department != operator.department):
        raise NotFound(f"没有编号为 {disclosure_id} 的本部门双公示决定。", code="decision_not_found")
    return d


@use_case
def publish_decision(disclosure_id: int, *, operator: Operator, actor: str) -> dict:
    """Publish a held decision now; raises NotFound, Conflict (withdrawn)."""
    d = own(disclosure_id, operator)
    if d.state == PublicationState.WITHDRAWN:
        raise Conflict("该决定已撤回公示。", code="decision_withdrawn")
    if d.state == PublicationState.REGISTERED:
        _publish(d, db.session.get(Subject, d.subject_id))
        audit.record(actor, "disclosure.publish", "disclosure", d.id)
    return shown(d)


@use_case
def withdraw_decision(disclosure_id: int, body: dict, *, operator: Operator, actor: str) -> dict:
    """Withdraw the publication of a changed or revoked decision (its credit record is removed and the subject
    re-graded); raises NotFound, InvalidInput, Conflict (already withdrawn)."""
    d = own(disclosure_id, operator)
    if d.state == PublicationState.WITHDRAWN:
        raise Conflict("该决定已撤回公示。", code="decision_withdrawn")
    today = china_today()
    if not d.decided_on <= body["changed_on"] <= today:
        raise InvalidInput("changed_on：变更或撤销日期应在原决定日期和今天之间。", details={"field": "changed_on"})
    d.state, d.withdrawal_cause, d.changed_on = PublicationState.WITHDRAWN, body["cause"], body["changed_on"]
    d.withdraw_due = add_working_days(body["changed_on"], current_app.config["DISCLOSURE_WITHDRAW_DAYS"])
    d.withdrawn_at, d.withdrawn_on = utcnow(), today
    d.withdrawal_reason, d.withdrawal_document = body["reason"], body["document"]
    if d.credit_record_id is not None:
        remove_credit_record(d.credit_record_id, f"双公示撤回：{body['reason']}（{body['document']}）"[:500],
                             operator=operator, actor=actor)
    add_event(EventKind.WITHDRAWAL, d, db.session.get(Subject, d.subject_id),
              {"cause": body["cause"], "reason": scrub(body["reason"], person_names(d.party_category, d.items)),
               "document": body["document"]})
    audit.record(actor, "disclosure.withdraw", "disclosure", d.id,
                 details={"cause": body["cause"], "document": body["document"]})
    return shown(d)


def my_file(subject_id: int) -> dict:
    """The subject's own 双公示 items (every state), newest first, for the mini-program."""
    rows = db.session.execute(select(Disclosure).where(Disclosure.subject_id == subject_id)
                              .order_by(Disclosure.decided_on.desc(), Disclosure.id.desc())).scalars()
    return {"items": [{**shown(d), "kind_zh": KIND_ZH[DecisionKind(d.kind)]} for d in rows]}
