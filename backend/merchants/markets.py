"""Markets as platform admins configure them: the department each market's inspections are filed under and
whose operators approve its link requests (audited)."""

from __future__ import annotations

from sqlalchemy import select

from backend.merchants.models import Market
from backend.platform import audit
from backend.platform.db import db, use_case
from backend.platform.errors import NotFound


def market_view(market: Market) -> dict:
    return {"slug": market.slug, "name": market.name, "address": market.address, "department": market.department}


def list_markets() -> list[dict]:
    return [market_view(m) for m in db.session.execute(select(Market).order_by(Market.slug)).scalars()]


@use_case
def set_market_department(slug: str, department: str, *, actor: str) -> dict:
    """Change the supervising department (records already filed keep theirs); raises NotFound."""
    market = db.session.execute(select(Market).where(Market.slug == slug)).scalar_one_or_none()
    if market is None:
        raise NotFound("没有找到这个市场。", code="market_not_found")
    if market.department != department:
        audit.record(actor, "market.update", "market", market.slug,
                     details={"department": {"from": market.department, "to": department}})
        market.department = department
    return market_view(market)
