"""Ending publication at max_publish_until: `flask expire-publications` and an hourly periodic job.

Idempotent and resumable: the work is "every record still shown whose window closed before today", so a
run that stops half-way leaves the rest for the next run and a second run finds nothing. Each batch is
one transaction: the records' state, the subjects' re-grading (recompute_many) and the feed items commit
together. Two runs at once (PostgreSQL) take different rows: the batch is selected FOR UPDATE SKIP LOCKED
and re-checked in the UPDATE, so no record is ended twice and no feed item is doubled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import current_app
from sqlalchemy import func, insert, select, text, update

from backend.credit.changes import FEED_LOCK
from backend.credit.grades import recompute_many
from backend.credit.models import Change, CreditRecord, Subject
from backend.credit.vocab import SHOWN_STATES, ChangeKind, PublicationState, SubjectKind
from backend.platform import audit, jobs
from backend.platform.clock import china_today, utcnow
from backend.platform.db import db, use_case

SHOWN = [s.value for s in SHOWN_STATES]


def _due(day: dt.date):
    r = CreditRecord
    return (r.status == "active", r.publication_state.in_(SHOWN), r.max_publish_until < day)


def due_count(day: dt.date) -> int:
    return db.session.execute(select(func.count()).select_from(CreditRecord).where(*_due(day))).scalar()


@use_case
def expire_batch(day: dt.date, limit: int) -> int:
    """End publication of up to `limit` due records, re-grade their subjects and record the changes; returns
    how many were ended (0: nothing left)."""
    r, s = CreditRecord, Subject
    rows = db.session.execute(
        select(r.id, r.subject_id, r.department, r.document_no, r.max_publish_until, s.handle, s.kind)
        .join(s, s.id == r.subject_id).where(*_due(day)).limit(limit)  # no ORDER BY: the due index serves it
        .with_for_update(of=r, skip_locked=True)).all()
    if not rows:
        return 0
    now = utcnow()
    ended = db.session.execute(update(r.__table__).where(
        r.__table__.c.id.in_([row.id for row in rows]), r.__table__.c.publication_state.in_(SHOWN))
        .values(publication_state=PublicationState.EXPIRED, publication_ended_at=now)
        .returning(r.__table__.c.id)).scalars().all()
    ended = set(ended)
    rows = sorted((row for row in rows if row.id in ended), key=lambda row: row.id)
    recompute_many({row.subject_id for row in rows}, reason="公示期满，停止公示")
    if db.session.get_bind().dialect.name == "postgresql":  # feed ids in commit order (credit.changes)
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FEED_LOCK})
    db.session.execute(insert(Change.__table__), [{
        "kind": ChangeKind.PUBLICATION_ENDED, "at": now, "subject_id": row.subject_id, "subject_handle": row.handle,
        "subject_kind": row.kind, "record_id": row.id, "list_entry_id": None,
        "public": row.kind != SubjectKind.PERSON,
        "data": {"department": row.department, "document_no": row.document_no, "publication_state": "expired",
                 "max_publish_until": row.max_publish_until.isoformat()}} for row in rows])
    audit.record("system:expire-publications", "publication.expire", "credit_records", f"{rows[0].id}-{rows[-1].id}",
                 details={"records": len(rows), "as_of": day.isoformat()})
    return len(rows)


def expire_publications(*, day: dt.date | None = None, batch: int | None = None,
                        progress: Callable[[str, int, int], None] | None = None,
                        max_batches: int | None = None) -> int:
    """Run batches until nothing is due (or max_batches); returns records ended. progress("expire", done, total)."""
    day, batch = day or china_today(), batch or current_app.config["EXPIRY_BATCH"]
    total, done, batches = due_count(day), 0, 0
    while max_batches is None or batches < max_batches:
        n = expire_batch(day, batch)
        if n == 0:
            break
        done, batches = done + n, batches + 1
        if progress is not None:
            progress("expire", done, max(total, done))
    return done


@jobs.periodic("credit.expire-publications", minutes=60)  # idempotent: every worker may run it
def expire_periodically() -> int:
    return expire_publications()
