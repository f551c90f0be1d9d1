"""The platform's choices per scenario for residents without a smartphone: whether printed resident cards get its
perks (card_perks) and whether its scanners may look residents up by ID number (id_checks)."""

from __future__ import annotations

from sqlalchemy import select

from backend.platform import audit
from backend.platform.db import db, on_commit, use_case
from backend.platform.errors import NotFound
from backend.scanning.devices import forget_cached
from backend.scanning.models import Scenario


def list_scenarios() -> list[Scenario]:
    return list(db.session.execute(select(Scenario).order_by(Scenario.code)).scalars())


@use_case
def set_options(code: str, *, actor: str, **options: bool) -> Scenario:
    """Change card_perks and/or id_checks (audited; every worker's device cache is dropped); raises NotFound."""
    row = db.session.get(Scenario, code)
    if row is None:
        raise NotFound(f"没有代码为 {code!r} 的场景。")
    for name, value in options.items():
        setattr(row, name, value)
    audit.record(actor, "scenario.update", "scenario", code, details=options)
    on_commit(forget_cached)
    return row
