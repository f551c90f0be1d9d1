"""Applying for credit repair: a resident (mini-program), a merchant's bound owner, or an organisation at a
service window applies to repair one record once its minimum period has passed, with proof and a signed
信用修复型 commitment; a returned application is completed with what was missing. Repair is free.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import or_, select

from backend.credit import (
    CreditRecord,
    PublicationState,
    Subject,
    case_changed,
    min_period_passed,
    put_commitment,
)
from backend.merchants import owned_merchant
from backend.platform import audit, uploads
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today, utcnow
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound
from backend.repair.models import RepairApplication
from backend.repair.vocab import STEP_ZH, Channel, RepairState

OWNER_KIND = "repair_application"  # uploads' owner_kind
COMMITMENT_TEXT = ("本主体已纠正失信行为、履行完毕法定责任义务，承诺今后诚信守法经营、不再发生同类失信行为；"
                   "如违背承诺，自愿接受恢复公示至最长公示期限、列入重点关注名单等约束，并承担相应法律责任。")
COMMITMENT_LIABILITY = "违背信用修复承诺的，恢复公示该失信信息至最长公示期满，列入重点关注名单，并依法承担相应责任。"


def step(app: RepairApplication, name: str, by: str, note: str | None = None) -> None:
    """Add a step to the history and tell listeners (the applicant's WeChat push) in the same transaction."""
    app.history = [*(app.history or []), {"step": name, "at": utcnow().isoformat(), "by": by, "note": note}]
    app.updated_at = utcnow()
    if name not in set(RepairState):  # "accepted", "completed": the state step that follows is what is told
        return
    if app.id is None:
        db.session.flush()
    case_changed(app.subject_id, "repair", app.ref or f"#{app.id}", f"{name}:{len(app.history)}",
                 STEP_ZH.get(name, name))


def _record_for(subject: Subject, record_id: int) -> CreditRecord:
    """The subject's record, locked; raises NotFound, Conflict, InvalidInput (too early, with the date)."""
    record = db.session.execute(select(CreditRecord).where(CreditRecord.id == record_id)
                                .with_for_update()).scalar_one_or_none()
    if record is None or record.subject_id != subject.id:
        raise NotFound(f"您的信用档案中没有编号为 {record_id} 的信用记录。", code="record_not_found",
                       details={"field": "record_id"})
    if record.severity_class is None:
        raise Conflict("该记录不是失信信息，无需信用修复。", code="not_repairable")
    if not record.repairable:
        raise Conflict("依照法律、行政法规的规定，该信息不适用信用修复。", code="not_repairable")
    if record.publication_state == PublicationState.REPAIR_PENDING:
        raise Conflict("该记录已有正在办理的信用修复申请。", code="repair_pending")
    if not record.published_on(china_today()):
        raise Conflict("该记录已不再公示（已修复、期满或撤销），无需申请信用修复。", code="not_published")
    if not min_period_passed(record, china_today()):
        possible = record.min_publish_until + dt.timedelta(days=1)
        raise InvalidInput(f"该记录的最短公示期至{record.min_publish_until:%Y年%m月%d日}届满，"
                           f"{possible:%Y年%m月%d日}起可申请信用修复。", code="repair_too_early",
                           details={"field": "record_id", "possible_from": possible.isoformat()})
    return record


def _store_files(files: list[tuple[bytes, str | None]], actor: str) -> list[uploads.Upload]:
    return [uploads.store(data, name, owner_kind=OWNER_KIND, owner_ref=None, actor=actor) for data, name in files]


def submit(subject: Subject, form: dict, files: list[tuple[bytes, str | None]], *, channel: str, actor: str,
           account_id: int | None = None, operator_id: int | None = None) -> RepairApplication:
    """Apply (no commit: the channel's use case commits); raises InvalidInput, NotFound, Conflict."""
    if not form.get("sign_commitment"):
        raise InvalidInput("sign_commitment：申请信用修复须作出信用修复承诺（勾选同意承诺内容）。",
                           code="commitment_required", details={"field": "sign_commitment"})
    record = _record_for(subject, form["record_id"])
    proofs = _store_files(files, actor)
    today = china_today()
    commitment = put_commitment(subject, {
        "commitment_type": "repair", "matter": f"信用修复承诺（{record.department} {record.document_no}）"[:200],
        "content": form.get("commitment_content") or COMMITMENT_TEXT, "liability": COMMITMENT_LIABILITY,
        "committed_on": today, "accepting_unit": record.department, "disclosure": "public"},
        recorded_by=actor, signed_online=channel != Channel.WINDOW, record=record)
    app = RepairApplication(record_id=record.id, subject_id=subject.id, department=record.department,
                            channel=channel, applicant_account_id=account_id, applicant_operator_id=operator_id,
                            statement=form["statement"], commitment_id=commitment.id, state=RepairState.SUBMITTED,
                            submitted_at=utcnow(),
                            accept_due=add_working_days(today, current_app.config["REPAIR_ACCEPT_DAYS"]))
    db.session.add(app)
    db.session.flush()
    app.ref = f"XF{today:%Y%m%d}{app.id:06d}"
    uploads.attach(proofs, app.ref)
    record.publication_state = PublicationState.REPAIR_PENDING
    step(app, RepairState.SUBMITTED, actor, f"附证明材料 {len(proofs)} 份")
    audit.record(actor, "repair.submit", "repair_application", app.ref,
                 details={"record": record.id, "channel": channel, "proofs": len(proofs),
                          "commitment": commitment.code})
    return app


@use_case
def submit_as_resident(subject_id: int, account_id: int, form: dict, files, *, actor: str) -> RepairApplication:
    """A resident applies for one of their own records (mini-program)."""
    return submit(db.session.get(Subject, subject_id), form, files, channel=Channel.RESIDENT, actor=actor,
                  account_id=account_id)


@use_case
def submit_as_owner(account_id: int, handle: str, form: dict, files, *, actor: str) -> RepairApplication:
    """A merchant's bound owner applies for one of the merchant's records; raises NotFound (not theirs)."""
    _, subject = owned_merchant(account_id, handle)
    return submit(subject, form, files, channel=Channel.MERCHANT_OWNER, actor=actor, account_id=account_id)


@use_case
def submit_at_window(subject: Subject, operator_id: int, form: dict, files, *, actor: str) -> RepairApplication:
    """A service-window operator files an organisation's application (offline 信用修复 window; persons, who have no
    USCC, apply themselves in the mini-program)."""
    return submit(subject, form, files, channel=Channel.WINDOW, actor=actor, operator_id=operator_id)


def applicant_filter(account_id: int, subject_id: int | None):
    return or_(RepairApplication.applicant_account_id == account_id,
               RepairApplication.subject_id == subject_id if subject_id else False)


def mine(account_id: int, subject_id: int | None, ref: str) -> RepairApplication:
    """An application the account made or that concerns its person; raises NotFound."""
    app = db.session.execute(select(RepairApplication).where(
        RepairApplication.ref == ref, applicant_filter(account_id, subject_id))).scalar_one_or_none()
    if app is None:
        raise NotFound(f"没有编号为 {ref} 的信用修复申请。", code="repair_not_found")
    return app


def at_window(ref: str) -> RepairApplication:
    """An application filed at a service window (any window may complete it); raises NotFound."""
    app = db.session.execute(select(RepairApplication).where(
        RepairApplication.ref == ref, RepairApplication.channel == Channel.WINDOW)).scalar_one_or_none()
    if app is None:
        raise NotFound(f"没有在服务窗口提交、编号为 {ref} 的信用修复申请。", code="repair_not_found")
    return app


def my_applications(account_id: int, subject_id: int | None) -> list[RepairApplication]:
    return list(db.session.execute(select(RepairApplication).where(applicant_filter(account_id, subject_id))
                                   .order_by(RepairApplication.id.desc())).scalars())


@use_case
def complete(app: RepairApplication, note: str | None, files, *, actor: str) -> RepairApplication:
    """The applicant supplies what a return listed; the application is submitted again (acceptance timer anew).
    Raises Conflict (not returned)."""
    if app.state != RepairState.RETURNED:
        raise Conflict("只有被退回补正的申请才能补正材料。", code="repair_not_returned")
    proofs = _store_files(files, actor)
    if not proofs and not (note or "").strip():
        raise InvalidInput("请补充退回通知中列明的材料或说明。", code="completion_empty", details={"field": "files"})
    uploads.attach(proofs, app.ref)
    app.notes = "\n".join(x for x in (app.notes, note) if x) or None
    app.state, app.submitted_at = RepairState.SUBMITTED, utcnow()
    app.accept_due = add_working_days(china_today(), current_app.config["REPAIR_ACCEPT_DAYS"])
    step(app, "completed", actor, f"补充材料 {len(proofs)} 份")
    audit.record(actor, "repair.complete", "repair_application", app.ref, details={"proofs": len(proofs)})
    return app
