"""Subscribe-message pushes: `notify` queues one message per concerned account inside the caller's transaction;
a background job sends it after commit through the sender the app factory hands over (the mini-program's
WeChat gateway: this package may not import it).

Each message has an idempotency key (event, cause, account): the same cause never queues a second message,
and a job that finds its message already settled sends nothing. WeChat's refusals (43101 not subscribed,
40037 bad template, 45009 rate limited, 40003 bad openid, …) and failures are recorded on the message and never
retried by the job: an operator sees them; nothing loops.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

from backend.accounts import MpAccount
from backend.merchants import Merchant, MerchantOwner
from backend.notifications.models import PushMessage, PushSubscription
from backend.notifications.vocab import PushEvent, PushStatus, SubscriptionChoice
from backend.platform import audit, jobs
from backend.platform.clock import china_today, utcnow
from backend.platform.crypto import decrypt
from backend.platform.db import db, use_case

log = logging.getLogger(__name__)
SEND_JOB = "notifications.send"
# sender(openid, template_id, data, page) -> (errcode, errmsg): 0 when WeChat accepted the message; None as the
# errcode when WeChat could not be reached or answered garbage.
Sender = Callable[[str, str, dict, str | None], tuple[int | None, str]]


def templates() -> dict[str, dict]:
    """The configured templates by event (SUBSCRIBE_TEMPLATES): {event: {template_id, page, title, fields}}."""
    configured = current_app.config.get("SUBSCRIBE_TEMPLATES") or {}
    return {event: t for event, t in configured.items() if event in set(PushEvent) and t.get("template_id")}


def recipients(subject_id: int) -> list[int]:
    """Accounts a subject's news goes to: the resident bound to it, and the owners of its merchant."""
    own = db.session.scalars(select(MpAccount.id).where(MpAccount.subject_id == subject_id))
    owners = db.session.scalars(select(MerchantOwner.account_id)
                                .join(Merchant, Merchant.id == MerchantOwner.merchant_id)
                                .where(Merchant.subject_id == subject_id))
    return sorted({*own, *owners})


def template_data(template: dict, data: dict) -> dict:
    """WeChat's data shape: {key: {"value": …}}, each value cut to the 20 characters a `thing` field takes."""
    fields = template.get("fields") or {}
    return {key: {"value": str(data.get(name, ""))[:20] or "—"} for key, name in fields.items()}


def notify(subject_id: int, event: str, data: dict, *, cause: str) -> list[PushMessage]:
    """Queue the event's subscribe message for every account concerned with the subject, once per cause, in the
    caller's transaction; sent by a background job after commit. Nothing happens without a configured template."""
    template = templates().get(event)
    if template is None:
        return []
    queued = []
    for account_id in recipients(subject_id):
        key = f"{event}:{cause}:{account_id}"[:160]
        if db.session.scalar(select(PushMessage.id).where(PushMessage.event_key == key)) is not None:
            continue
        message = PushMessage(event_key=key, event=event, account_id=account_id, subject_id=subject_id,
                              template_id=template["template_id"], page=template.get("page"),
                              data=template_data(template, data), status=PushStatus.QUEUED)
        db.session.add(message)
        db.session.flush()
        jobs.submit(SEND_JOB, actor="notifications", params={"message_id": message.id})
        queued.append(message)
    return queued


def _declined(message: PushMessage) -> bool:
    choice = db.session.scalar(select(PushSubscription.choice).where(
        PushSubscription.account_id == message.account_id, PushSubscription.template_id == message.template_id))
    return choice in (SubscriptionChoice.REJECT, SubscriptionChoice.BAN)


@jobs.handler(SEND_JOB)
def send_message(job, progress) -> dict:
    """Send one queued message (a settled one is left alone: nothing goes twice); record what WeChat said."""
    message = db.session.execute(select(PushMessage).where(PushMessage.id == job.params["message_id"])
                                 .with_for_update()).scalar_one_or_none()
    if message is None or message.status != PushStatus.QUEUED:
        return {"sent": False, "status": getattr(message, "status", None)}
    message.attempts += 1
    if _declined(message):
        message.status = PushStatus.SKIPPED
        return {"sent": False, "status": message.status}
    account = db.session.get(MpAccount, message.account_id)
    sender: Sender = current_app.extensions["subscribe_sender"]
    errcode, errmsg = sender(decrypt(account.openid_enc).decode(), message.template_id, message.data, message.page)
    message.errcode, message.errmsg = errcode, (errmsg or "")[:200] or None
    if errcode == 0:
        message.status, message.sent_at = PushStatus.SENT, utcnow()
    else:
        message.status = PushStatus.REFUSED if errcode is not None else PushStatus.FAILED
        log.info("subscribe message %s not sent: errcode %s", message.id, errcode)
    audit.record("notifications", "push." + message.status, "push_message", message.id,
                 details={"event": message.event, "errcode": errcode})
    return {"sent": errcode == 0, "status": message.status, "errcode": errcode}


STALE_MINUTES = 15


@jobs.periodic("notifications.requeue", minutes=15)
@use_case
def requeue_stale() -> int:
    """Nothing lost: a message still queued and never tried a while after it was written (its job lost with a
    worker or a queue) gets a new job. A duplicate job is harmless: the message is locked and settled once."""
    cutoff = utcnow() - dt.timedelta(minutes=STALE_MINUTES)
    stale = list(db.session.scalars(select(PushMessage.id).where(
        PushMessage.status == PushStatus.QUEUED, PushMessage.attempts == 0, PushMessage.created_at < cutoff)
        .limit(500)))
    for message_id in stale:
        jobs.submit(SEND_JOB, actor="notifications", params={"message_id": message_id})
    return len(stale)


def on_record_filed(*, record, created: bool) -> None:
    """Credit listener: a record newly filed about a subject is pushed to it (an update is not news again)."""
    if created:
        data = {"title": record.title, "department": record.department, "date": record.decided_on.isoformat(),
                "summary": record.title}
        notify(record.subject_id, PushEvent.RECORD_FILED, data, cause=f"record:{record.id}")


def on_case_changed(*, subject_id: int, case: str, number: str, step: str, state_zh: str) -> None:
    """Credit listener: the subject's repair application, objection or declaration moved on."""
    event = PushEvent.REPAIR_CHANGED if case == "repair" else PushEvent.OBJECTION_CHANGED
    data = {"title": CASE_ZH.get(case, case), "number": number, "state": state_zh, "summary": state_zh,
            "date": china_today().isoformat()}
    notify(subject_id, event, data, cause=f"{case}:{number}:{step}")


CASE_ZH = {"repair": "信用修复申请", "objection": "异议申请", "declaration": "自主申报"}
CREDIT_LISTENERS = {"record_filed": on_record_filed, "case_changed": on_case_changed}
