"""How an application is shown to its applicant and to departments (the same view; proofs only by reference)."""

from __future__ import annotations

from backend.credit import CreditCommitment, CreditRecord
from backend.platform import uploads
from backend.platform.clock import china_today
from backend.platform.db import db
from backend.repair.applications import OWNER_KIND
from backend.repair.models import RepairApplication
from backend.repair.review import is_overdue
from backend.repair.vocab import REVIEW_STATES, STATE_ZH, STEP_ZH, RepairState


def waiting_due(app: RepairApplication):
    """The deadline of the step the application waits on (acceptance, or the decision), None when none is open."""
    return app.decide_due if app.state in REVIEW_STATES else app.accept_due if app.state == RepairState.SUBMITTED \
        else None


def describe(app: RepairApplication) -> dict:
    record = db.session.get(CreditRecord, app.record_id)
    commitment = db.session.get(CreditCommitment, app.commitment_id) if app.commitment_id else None
    return {
        "ref": app.ref, "state": app.state, "state_zh": STATE_ZH[app.state], "channel": app.channel,
        "department": app.department, "record": record, "statement": app.statement,
        "commitment_code": commitment.code if commitment else None, "submitted_at": app.submitted_at,
        "accept_due": app.accept_due, "accepted_at": app.accepted_at, "decide_due": app.decide_due,
        "extended": app.extended, "extension_reason": app.extension_reason, "returned_items": app.returned_items,
        "decided_at": app.decided_at, "decision_reason": app.decision_reason, "propagated_at": app.propagated_at,
        "overdue": is_overdue(app, china_today()), "fee": "免费",
        "proofs": [uploads.describe(u) for u in uploads.of_owner(OWNER_KIND, app.ref)],
        "history": [{**h, "step_zh": STEP_ZH.get(h["step"], h["step"])} for h in app.history or []],
    }
