"""Who has looked at a subject's file (谁查询了我的信用信息): every department read, 一键查询, report and bank
fetch is kept here with who, when and why, and shown to the subject, newest first.

Kept at least five years (FILE_ACCESS_RETENTION_DAYS, never less than FIVE_YEARS whatever it is set to); a
daily job deletes only rows older than that. The subject sees the organisation and the role, not the
operator's name or id (those stay for the authority in the audit log).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select

from backend.credit.models import FileAccess
from backend.credit.vocab import ACCESS_ZH, AccessKind
from backend.platform import jobs
from backend.platform.access import ROLE_ZH, Operator
from backend.platform.clock import utcnow
from backend.platform.db import Page, db, paginate, use_case

FIVE_YEARS = dt.timedelta(days=5 * 366)


@dataclass(frozen=True)
class Viewer:
    """Who looks: an operator or a bank, as the subject is told."""

    kind: str
    id: int | None
    organisation: str
    role_zh: str


def operator_viewer(op: Operator) -> Viewer:
    role = ROLE_ZH[op.role].split("（")[0]
    return Viewer("operator", op.id, op.department or role, role)


def record_access(subject_id: int, kind: AccessKind, viewer: Viewer, purpose: str, ref: str | None = None) -> None:
    """Keep one look at the file in the caller's transaction (never commits)."""
    db.session.add(FileAccess(subject_id=subject_id, at=utcnow(), kind=kind, viewer_kind=viewer.kind,
                              viewer_id=viewer.id, organisation=viewer.organisation[:100], role_zh=viewer.role_zh[:40],
                              purpose=purpose[:300], ref=ref))


def accesses_of(subject_id: int, page: int, per_page: int) -> Page:
    """The subject's own list, newest first, as the subject may see it."""
    query = (select(FileAccess).where(FileAccess.subject_id == subject_id)
             .order_by(FileAccess.at.desc(), FileAccess.id.desc()))
    found = paginate(query, page, per_page)
    return Page([_shown(a) for a in found.items], found.total, found.page, found.per_page)


def _shown(a: FileAccess) -> dict:
    return {"at": a.at, "kind": a.kind, "kind_zh": ACCESS_ZH[AccessKind(a.kind)], "organisation": a.organisation,
            "role_zh": a.role_zh, "purpose": a.purpose, "ref": a.ref}


def retention() -> dt.timedelta:
    """How long looks are kept: the setting, but never under five years."""
    return max(dt.timedelta(days=current_app.config["FILE_ACCESS_RETENTION_DAYS"]), FIVE_YEARS)


@jobs.periodic("credit.purge_file_accesses", minutes=24 * 60)
@use_case
def purge_old_accesses() -> int:
    """Delete looks older than the retention (idempotent); returns how many went."""
    cutoff = utcnow() - retention()
    return db.session.execute(delete(FileAccess).where(FileAccess.at < cutoff)).rowcount or 0
