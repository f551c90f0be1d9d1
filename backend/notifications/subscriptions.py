"""What the mini-program asks users to subscribe to, and the choices it reports back."""

from __future__ import annotations

from sqlalchemy import select

from backend.notifications.models import PushMessage, PushSubscription
from backend.notifications.push import templates
from backend.notifications.vocab import EVENT_ZH, PushEvent, SubscriptionChoice
from backend.platform import audit
from backend.platform.clock import utcnow
from backend.platform.db import db, use_case


def template_list() -> list[dict]:
    """The templates to pass to wx.requestSubscribeMessage, by event."""
    return [{"event": event, "event_zh": EVENT_ZH[PushEvent(event)], "template_id": t["template_id"],
             "title": t.get("title") or EVENT_ZH[PushEvent(event)]} for event, t in sorted(templates().items())]


@use_case
def record_choices(account_id: int, choices: dict[str, str], *, actor: str) -> list[PushSubscription]:
    """Keep the latest choice per template (only configured templates; others are ignored)."""
    known = {t["template_id"] for t in templates().values()}
    kept = []
    for template_id, choice in sorted(choices.items()):
        if template_id not in known:
            continue
        row = db.session.scalar(select(PushSubscription).where(PushSubscription.account_id == account_id,
                                                               PushSubscription.template_id == template_id))
        if row is None:
            row = PushSubscription(account_id=account_id, template_id=template_id, choice=choice, updated_at=utcnow())
            db.session.add(row)
        row.choice, row.updated_at = choice, utcnow()
        if choice == SubscriptionChoice.ACCEPT:
            row.accepted_count = (row.accepted_count or 0) + 1
        kept.append(row)
    audit.record(actor, "push.subscriptions", "mp_account", account_id,
                 details={"choices": {r.template_id: r.choice for r in kept}})
    return kept


def messages_of(account_id: int, limit: int = 50) -> list[PushMessage]:
    return list(db.session.scalars(select(PushMessage).where(PushMessage.account_id == account_id)
                                   .order_by(PushMessage.id.desc()).limit(limit)))
