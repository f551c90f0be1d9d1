"""The change feed partners, scanner vendors and third parties sync from (36号令: results must propagate).

`record_change` appends one row in the caller's transaction; the row id is the cursor, so a reader asks
for `after=<the last id it saw>` and gets the next items in order. Rows are never updated or deleted.
Organisations' changes are public; persons' are not (no personal data in the public feed). The pages
are signed by the entry points (scanning, merchants' public API), which own the key ring.
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from backend.credit.models import Change, CreditRecord, ListEntry, Subject
from backend.credit.vocab import SubjectKind
from backend.platform.clock import utcnow
from backend.platform.db import db

MAX_PAGE = 500
FEED_LOCK = 0x5357_4348  # pg_advisory_xact_lock key: one feed writer at a time, so ids commit in order


def record_change(kind: str, subject: Subject, *, record: CreditRecord | None = None,
                  entry: ListEntry | None = None, data: dict | None = None) -> Change:
    """Append a change in the caller's transaction (no commit).

    On PostgreSQL the transaction first takes a transaction-level advisory lock, held to its commit: ids are
    then handed out in commit order, so a reader that saw id N never later misses an id below N (a sequence
    alone would let a slower transaction commit a smaller id after a reader moved past it). Callers append
    after locking their subjects, so the lock order is the same everywhere."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FEED_LOCK})
    row = Change(kind=kind, at=utcnow(), subject_id=subject.id, subject_handle=subject.handle,
                 subject_kind=subject.kind, record_id=record.id if record else None,
                 list_entry_id=entry.id if entry else None, public=subject.kind != SubjectKind.PERSON,
                 data=data or {})
    db.session.add(row)
    db.session.flush()
    return row


def latest_cursor(*, public_only: bool = False) -> int:
    """The id of the newest change (0 when none): what a trust bundle or a page says it reflects."""
    query = select(func.max(Change.id))
    if public_only:
        query = query.where(Change.public.is_(True))
    return db.session.execute(query).scalar() or 0


def _item(c: Change, *, with_persons: bool) -> dict:
    """A person's item never carries data or record ids (personal data stays out of every feed); its subject
    handle only where the reader already learns handles (with_persons)."""
    return {"id": c.id, "kind": c.kind, "at": c.at.isoformat(), "subject_kind": c.subject_kind,
            "subject": c.subject_handle if c.public or with_persons else None,
            "record_id": c.record_id if c.public else None, "list_entry_id": c.list_entry_id if c.public else None,
            "data": c.data if c.public else {}}


def changes_after(after: int, limit: int, *, public_only: bool, with_persons: bool = False) -> dict:
    """Items with id > after, oldest first, at most `limit`; `next` is the cursor to ask with next time.

    public_only: organisations only (the public feed). Otherwise persons' changes are listed too, without data,
    naming the subject only when `with_persons` (format-1 scanners already hold persons' handles)."""
    limit = max(1, min(limit, MAX_PAGE))
    query = select(Change).where(Change.id > after)
    if public_only:
        query = query.where(Change.public.is_(True))
    rows = list(db.session.execute(query.order_by(Change.id).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return {"after": after, "next": rows[-1].id if rows else after, "more": more,
            "items": [_item(c, with_persons=with_persons) for c in rows],
            "latest": latest_cursor(public_only=public_only)}
