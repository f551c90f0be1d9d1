"""Objections (异议) to one record or list entry, with the mark every view shows from acceptance, Shenzhen's
working-day timers, field corrections and one 复核; self-declared information (自主申报) under a truthfulness
commitment, verified and then counted with a bounded weight; the departments' worklists."""

from backend.objections.models import Declaration, Objection, ObjectionCorrection, ObjectionStep

__all__ = ["Declaration", "Objection", "ObjectionCorrection", "ObjectionStep"]
