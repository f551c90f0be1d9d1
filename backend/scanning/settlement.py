"""Settlement for partners: the perks their devices granted on a day or in a month (China dates), each grant and
the totals per device and incentive. A partner sees its own devices only; an admin every partner's (or one's).

No subject appears: a grant is named by its receipt id (jti), which the partner's own receipts carry.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select

from backend.platform.access import Operator
from backend.platform.clock import CHINA
from backend.platform.db import db
from backend.platform.errors import InvalidInput
from backend.scanning.models import Incentive, Partner, Redemption, ScannerDevice

LIMIT = 50_000  # one month of a busy bus fleet fits; a larger answer asks for a day at a time


def period_bounds(day: dt.date | None, month: str | None) -> tuple[dt.datetime, dt.datetime, str]:
    """[start, end) in UTC of a China day or month (YYYY-MM) and its label; raises InvalidInput."""
    if (day is None) == (month is None):
        raise InvalidInput("请只给出 day（YYYY-MM-DD）或 month（YYYY-MM）中的一项。", details={"field": "day"})
    if day is not None:
        start = dt.datetime.combine(day, dt.time(), CHINA)
        return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC), day.isoformat()
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise InvalidInput("month：应为 YYYY-MM，例如 2026-11。", details={"field": "month"}) from None
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (dt.datetime.combine(first, dt.time(), CHINA).astimezone(dt.UTC),
            dt.datetime.combine(following, dt.time(), CHINA).astimezone(dt.UTC), month)


def settlement(op: Operator, *, day: dt.date | None = None, month: str | None = None,
               partner_id: int | None = None) -> dict:
    """Grants (and flagged offline uploads) of the period on the operator's partner's devices, with totals per
    device and incentive; raises InvalidInput (a period not given exactly once, or too many rows)."""
    start, end, label = period_bounds(day, month)
    r, d, i = Redemption, ScannerDevice, Incentive
    query = (select(r.id, r.granted_at, r.status, r.offline, r.flag_reason, r.jti, d.id.label("device_id"),
                    d.name.label("device"), i.code.label("incentive"), i.title.label("incentive_title"),
                    d.partner_id)
             .join(d, d.id == r.device_id).join(i, i.id == r.incentive_id)
             .where(r.granted_at >= start, r.granted_at < end).order_by(r.granted_at, r.id))
    if op.role == "partner":
        query = query.where(d.partner_id == op.partner_id)
    elif partner_id is not None:
        query = query.where(d.partner_id == partner_id)
    rows = db.session.execute(query.limit(LIMIT + 1)).all()
    if len(rows) > LIMIT:
        raise InvalidInput(f"该期间超过 {LIMIT} 条，请按日查询。", details={"field": "month"})
    items = [{"id": x.id, "granted_at": x.granted_at, "status": x.status, "offline": x.offline,
              "flag_reason": x.flag_reason, "receipt_id": x.jti, "device_id": x.device_id, "device": x.device,
              "incentive": x.incentive, "incentive_title": x.incentive_title} for x in rows]
    counts = Counter((x["device_id"], x["device"], x["incentive"], x["incentive_title"], x["status"]) for x in items)
    totals: dict[tuple, dict] = {}
    for (device_id, device, incentive, title, status), n in sorted(counts.items()):
        t = totals.setdefault((device_id, incentive), {"device_id": device_id, "device": device,
                                                        "incentive": incentive, "incentive_title": title,
                                                        "granted": 0, "flagged": 0})
        t["granted" if status == "granted" else "flagged"] += n
    partner = db.session.get(Partner, op.partner_id) if op.partner_id else None
    return {"period": label, "partner": partner.name if partner else None, "items": items,
            "totals": list(totals.values()),
            "granted": sum(t["granted"] for t in totals.values()),
            "flagged": sum(t["flagged"] for t in totals.values())}
