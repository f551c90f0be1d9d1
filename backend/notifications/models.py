"""Subscribe-message choices users reported and every push with its outcome."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.notifications.vocab import PushStatus, SubscriptionChoice
from backend.platform.db import Base, CreatedAt, one_of


class PushSubscription(CreatedAt, Base):
    """The latest choice an account made for a template (wx.requestSubscribeMessage), as the client reported it."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (UniqueConstraint("account_id", "template_id"), one_of("choice", SubscriptionChoice))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("mp_accounts.id", ondelete="CASCADE"))
    template_id: Mapped[str] = mapped_column(String(64))
    choice: Mapped[str] = mapped_column(String(8))
    accepted_count: Mapped[int] = mapped_column(default=0)  # each accept allows one message (one-time subscription)
    updated_at: Mapped[dt.datetime]


class PushMessage(CreatedAt, Base):
    """One subscribe message to one account; `event_key` (event, cause, account) makes it go at most once."""

    __tablename__ = "push_messages"
    __table_args__ = (one_of("status", PushStatus), Index("ix_push_messages_subject", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(160), unique=True)
    event: Mapped[str] = mapped_column(String(24))
    account_id: Mapped[int] = mapped_column(ForeignKey("mp_accounts.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    template_id: Mapped[str] = mapped_column(String(64))
    page: Mapped[str | None] = mapped_column(String(256))
    data: Mapped[dict]  # the template's data as sent: {"thing1": {"value": …}, …}
    status: Mapped[str] = mapped_column(String(8), default=PushStatus.QUEUED)
    errcode: Mapped[int | None]
    errmsg: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[dt.datetime | None]
