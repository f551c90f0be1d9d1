"""What happened in a credit file, told to whoever listens: the extension point that lets higher features
(supervision's risk warnings) react to re-grades, filings and listings without credit importing them.

The composition root subscribes listeners (`app.extensions["credit_listeners"]`, see backend/app.py); credit
calls `emit` in the transaction that made the change, so a listener's writes commit or roll back with it.
A listener must not commit and should be cheap (it runs inside the filing).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

GRADE_CHANGED = "grade_changed"    # subject_id, old, new (grades or None), reason
RECORD_FILED = "record_filed"      # record (CreditRecord), created (bool)
LIST_ENTRY_ADDED = "list_entry_added"  # entry (ListEntry)
# A subject's own case moved on: subject_id, case ("repair", "objection", "declaration"), number, step, state_zh.
CASE_CHANGED = "case_changed"
# A credit commitment was assessed 部分履行 or 全部未履行: commitment (CreditCommitment), department (who assessed).
COMMITMENT_BROKEN = "commitment_broken"
EVENTS = (GRADE_CHANGED, RECORD_FILED, LIST_ENTRY_ADDED, CASE_CHANGED, COMMITMENT_BROKEN)


def subscribe(app: Flask, event: str, listener: Callable[..., None]) -> None:
    """Call listener(**payload) whenever `event` is emitted in this app; raises ValueError for an unknown event."""
    if event not in EVENTS:
        raise ValueError(f"unknown credit event {event!r}")
    app.extensions.setdefault("credit_listeners", {}).setdefault(event, []).append(listener)


def emit(event: str, **payload) -> None:
    for listener in current_app.extensions.get("credit_listeners", {}).get(event, ()):
        listener(**payload)


def case_changed(subject_id: int, case: str, number: str, step: str, state_zh: str) -> None:
    """A repair application, objection or declaration of the subject moved on (for the subject's push)."""
    emit(CASE_CHANGED, subject_id=subject_id, case=case, number=number, step=step, state_zh=state_zh)


def listening(event: str) -> bool:
    """True when a listener is subscribed (lets a bulk path skip loading what nobody will look at)."""
    return bool(current_app.extensions.get("credit_listeners", {}).get(event))
