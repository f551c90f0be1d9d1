"""The one place every public output (portal pages, their JSON, the feed, reports) asks whether a record or list
entry is shown now, its repair status, its objection mark, the subject's public commitments and its verified
declarations.

A record is shown while credit says it is published (`CreditRecord.published_on`: active, inside its
publication window, not repaired, expired or withdrawn — issue 13) and, when it came through 双公示, its
publication there is published and its end date (CF_GSJZQ) has not passed. Marks are credit's (`marks`,
issue 14); commitments are credit commitments 可向社会公开 (issue 13); verified declarations are the records
objections files on verification (issue 14).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select

from backend.credit import (
    POSITIVE_DECLARATION_KINDS,
    CreditRecord,
    ListEntry,
    MarkedItem,
    Subject,
    commitments_of,
    marks_of,
    notes_for,
)
from backend.credit.vocab import COMMITMENT_TYPE_ZH, PUBLICATION_ZH, PublicationState, RecordCategory
from backend.disclosure.models import Disclosure
from backend.disclosure.vocab import PublicationState as DisclosureState
from backend.platform.db import db


def record_shown_clause(today: dt.date):
    """SQL condition on CreditRecord (outer-joined to Disclosure): shown publicly on `today`."""
    return and_(CreditRecord.published_on(today),
                or_(Disclosure.id.is_(None), Disclosure.state == DisclosureState.PUBLISHED),
                or_(Disclosure.publish_until.is_(None), Disclosure.publish_until >= today))


def shown_records(subject_id: int, categories: tuple[str, ...], today: dt.date) -> list:
    """(CreditRecord, Disclosure | None) pairs of the subject shown publicly today, newest first."""
    query = (select(CreditRecord, Disclosure).outerjoin(Disclosure, Disclosure.credit_record_id == CreditRecord.id)
             .where(CreditRecord.subject_id == subject_id, CreditRecord.category.in_(categories),
                    record_shown_clause(today))
             .order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc()))
    return list(db.session.execute(query).all())


def list_entry_shown_clause(today: dt.date):
    """SQL condition on ListEntry: in force and shown publicly on `today`."""
    return ListEntry.active_on(today)


def repair_status(record: CreditRecord | ListEntry) -> dict | None:
    """{"state", "label"} of the record's credit repair (申请办理中 or 已修复); None when no repair concerns it.
    A list entry has no publication window of its own (its repair ends it): None."""
    repairing = (PublicationState.REPAIR_PENDING, PublicationState.REPAIRED)
    if isinstance(record, CreditRecord) and record.publication_state in repairing:
        return {"state": record.publication_state, "label": PUBLICATION_ZH[PublicationState(record.publication_state)]}
    return None


def objection_mark(record: CreditRecord | ListEntry) -> str | None:
    """The neutral note shown while an objection, reconsideration or litigation concerns the item; None otherwise."""
    kind = MarkedItem.RECORD if isinstance(record, CreditRecord) else MarkedItem.LIST_ENTRY
    notes = notes_for(marks_of(record.subject_id), kind, record.id)
    return "；".join(dict.fromkeys(notes)) or None


def public_commitments(subject_id: int) -> list[dict]:
    """The subject's credit commitments the public may see (可向社会公开, not withdrawn), newest first."""
    return [{"title": c.matter, "content": c.content, "signed_on": c.committed_on.isoformat(), "status": c.status,
             "status_zh": {"active": "履行中", "kept": "已履行", "broken": "未履行"}.get(c.status, c.status),
             "type_zh": COMMITMENT_TYPE_ZH[c.commitment_type], "code": c.code,
             "status_changed_on": c.assessed_on.isoformat() if c.assessed_on else None}
            for c in commitments_of(subject_id, public_only=True)]


def verified_declarations(subject_id: int, today: dt.date) -> list[dict]:
    """自主申报 items that were verified (objections files them as declaration records), newest first."""
    rows = shown_records(subject_id, (RecordCategory.DECLARATION,), today)
    if db.session.get(Subject, subject_id).hides_positive:  # awards and public welfare: the subject said no
        rows = [(r, d) for r, d in rows if r.result not in POSITIVE_DECLARATION_KINDS]
    return [{"title": r.title, "content": r.content, "decided_on": r.decided_on.isoformat(),
             "department": r.department} for r, _ in rows]
