"""The one place an objection's or a declaration's change leaves the feature: after commit, cached public pages
are forgotten. The integrator wires here the change feed (issue 13: outcomes that change a record or a list)
and the WeChat pushes to the subject (issue 16: every step)."""

from __future__ import annotations

from backend.credit import Subject, case_changed
from backend.merchants import forget_pages
from backend.objections.vocab import DECLARATION_STATE_ZH, STATE_ZH
from backend.platform.db import db, on_commit


def outcome_changed(kind: str, item, event: str) -> None:
    """`item` (an Objection or a Declaration) reached `event` (accepted, forwarded, closed, verified, …).

    Called inside the use case, before commit; what it schedules runs once the change is committed.
    """
    handle = db.session.get(Subject, item.subject_id).handle
    on_commit(lambda: forget_pages(handle))
    if item.number:  # the subject's WeChat push (notifications listens), once per step
        names = DECLARATION_STATE_ZH if kind == "declaration" else STATE_ZH
        case_changed(item.subject_id, kind, item.number, event, names.get(item.state, event))
    # Outcomes that change a record or a list entry reach the change feed through credit's corrections,
    # stop_publication and take_off_list.
