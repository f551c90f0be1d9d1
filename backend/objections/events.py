"""The one place an objection's or a declaration's change leaves the feature: after commit, cached public pages
are forgotten. The integrator wires here the change feed (issue 13: outcomes that change a record or a list)
and the WeChat pushes to the subject (issue 16: every step)."""

from __future__ import annotations

from backend.credit import Subject
from backend.merchants import forget_pages
from backend.platform.db import db, on_commit


def outcome_changed(kind: str, item, event: str) -> None:
    """`item` (an Objection or a Declaration) reached `event` (accepted, forwarded, closed, verified, …).

    Called inside the use case, before commit; what it schedules runs once the change is committed.
    """
    handle = db.session.get(Subject, item.subject_id).handle
    on_commit(lambda: forget_pages(handle))
    # Change feed (issue 13) and WeChat push (issue 16) go here, e.g.:
    #   credit.feed_change(subject, kind, item.number, event)   — when event is "closed" or "verified"/"found_false"
    #   notify.push_to_subject(item.subject_id, template, {...}) — every event
