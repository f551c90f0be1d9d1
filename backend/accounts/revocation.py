"""A resident voids their personal codes (lost or stolen phone) and ends the account's other sessions."""

from __future__ import annotations

from sqlalchemy import update

from backend.accounts.models import MpSession
from backend.accounts.sessions import MpPrincipal
from backend.credit import Subject
from backend.platform import audit
from backend.platform.clock import utcnow
from backend.platform.db import db, use_case


@use_case
def revoke_my_codes(principal: MpPrincipal) -> dict:
    """Void every code issued before now and log out the account's other sessions (a bound principal)."""
    subject = db.session.get(Subject, principal.subject_id)
    # Format 2: every code carries (sealed) the generation it was issued in; the next one is exact,
    # however close in time. Format 1 codes only know their issue second, so those void up to this
    # instant, the same second included: a code fetched right after may need fetching again.
    subject.code_generation += 1
    subject.codes_valid_after = utcnow()
    # The lost phone still holds a session that could fetch fresh codes: end all but this one.
    ended = db.session.execute(
        update(MpSession).where(MpSession.account_id == principal.account_id, MpSession.id != principal.session_id,
                                MpSession.revoked_at.is_(None), MpSession.expires_at > utcnow())
        .values(revoked_at=utcnow())
    ).rowcount
    audit.record(principal.actor, "code.revoke_all", "subject", subject.handle, details={"sessions_ended": ended})
    return {"codes_valid_after": subject.codes_valid_after, "sessions_revoked": ended}
