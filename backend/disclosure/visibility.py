"""The seams the publication windows (issue 13) and objections (issue 14) plug into. Every public output asks
here, and only here, whether a record or list entry is shown now, its repair status, its objection mark, the
subject's public commitments and its verified declarations.

Today (main): a record is shown while it is active (not removed), its 双公示 publication (if it came through
双公示) is published, and its publication end date (CF_GSJZQ) has not passed; a list entry while
`ListEntry.active_on(today)`; no repair status and no objection mark exist yet; public commitments are the
merchants' commitments not withdrawn; verified declarations are active `declaration` records (departments file
them only after checking). At merge, replace the bodies, keep the signatures.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select

from backend.credit import CreditRecord, ListEntry
from backend.credit.vocab import RecordCategory, RecordStatus
from backend.disclosure.models import Disclosure
from backend.disclosure.vocab import PublicationState
from backend.merchants import Commitment
from backend.merchants.vocab import CommitmentStatus
from backend.platform.db import db


def record_shown_clause(today: dt.date):
    """SQL condition on CreditRecord (outer-joined to Disclosure): shown publicly on `today`."""
    return and_(CreditRecord.status == RecordStatus.ACTIVE,
                or_(Disclosure.id.is_(None), Disclosure.state == PublicationState.PUBLISHED),
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


def repair_status(record: CreditRecord) -> dict | None:
    """{"state", "label"} of the record's credit repair; None: no repair (main has none)."""
    return None


def objection_mark(record: CreditRecord | ListEntry) -> str | None:
    """The neutral mark shown while an objection is handled (信息主体已提出异议，正在核实); None on main."""
    return None


def public_commitments(subject_id: int) -> list[dict]:
    """The subject's commitments the public may see, newest first."""
    rows = db.session.execute(select(Commitment).where(Commitment.subject_id == subject_id,
                                                       Commitment.status != CommitmentStatus.WITHDRAWN)
                              .order_by(Commitment.signed_on.desc(), Commitment.id.desc())).scalars()
    return [{"title": c.title, "content": c.content, "signed_on": c.signed_on.isoformat(), "status": c.status,
             "status_zh": {"active": "履行中", "broken": "未履行"}.get(c.status, c.status),
             "status_changed_on": c.status_changed_on.isoformat() if c.status_changed_on else None} for c in rows]


def verified_declarations(subject_id: int, today: dt.date) -> list[dict]:
    """自主申报 items that were verified, newest first."""
    rows = shown_records(subject_id, (RecordCategory.DECLARATION,), today)
    return [{"title": r.title, "content": r.content, "decided_on": r.decided_on.isoformat(),
             "department": r.department} for r, _ in rows]
