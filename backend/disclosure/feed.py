"""The public change feed (JSON Feed 1.1): every publication, correction, withdrawal and repair, newest first,
with stable ids (`tag:` URIs from the event id, never reused) and cursor pagination (`before=<id>`), so a
consumer that keeps what it read sees withdrawals and repairs of what it kept."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from backend.credit import CreditRecord, Subject
from backend.disclosure.models import DisclosureEvent
from backend.disclosure.vocab import EVENT_ZH, EventKind
from backend.platform.clock import utcnow
from backend.platform.db import db

PER_PAGE = 50
FEED_VERSION = "https://jsonfeed.org/version/1.1"
TAG = "tag:credit.shanwei.gov.cn,2026:event/"


def record_repair_event(record: CreditRecord, subject: Subject, details: dict | None = None) -> None:
    """Add a repair line to the feed in the caller's transaction (for the repair feature to call). Persons'
    repairs are not in the feed: the feed never names a person."""
    if subject.kind == "person":
        return
    db.session.add(DisclosureEvent(at=utcnow(), kind=EventKind.REPAIR, credit_record_id=record.id,
                                   subject_id=subject.id,
                                   summary={"kind": "penalty", "kind_zh": "行政处罚", "department": record.department,
                                            "document_no": record.document_no,
                                            "decided_on": record.decided_on.isoformat(),
                                            "subject_name": subject.display_name, "subject_handle": subject.handle,
                                            **(details or {})}))


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def _item(e: DisclosureEvent) -> dict:
    s, base = e.summary, _base()
    who = s.get("subject_name") or "自然人（已去标识化）"
    title = f"{EVENT_ZH[EventKind(e.kind)]}：{who} {s['kind_zh']} {s['document_no']}"
    text = f"{s['department']}于 {s['decided_on']} 作出的{s['kind_zh']}决定（{s['document_no']}）"
    if e.kind == EventKind.WITHDRAWAL:
        text += f"已撤回公示。原因：{s.get('reason', '')}（{s.get('document', '')}）"
    elif e.kind == EventKind.REPAIR:
        text += "已完成信用修复，停止公示。"
    else:
        items = s.get("items") or {}
        text += "：" + "；".join(v for v in (items.get("WFXW"), items.get("CFLB"), items.get("NR")) if v)
    item = {"id": f"{TAG}{e.id}", "title": title, "content_text": text,
            "date_published": e.at.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z"),
            "tags": [e.kind, s["kind"]],
            "_shanwei": {"event": e.kind, "event_zh": EVENT_ZH[EventKind(e.kind)], "decision": s,
                         "disclosure_id": e.disclosure_id}}
    if s.get("subject_handle"):
        item["url"] = f"{base}/credit/s/{s['subject_handle']}"
    return item


def feed(before: int | None, per_page: int = PER_PAGE) -> dict:
    """One page of the feed, newest first; `next_url` continues below the last id given."""
    query = select(DisclosureEvent).order_by(DisclosureEvent.id.desc()).limit(per_page + 1)
    if before is not None:
        query = query.where(DisclosureEvent.id < before)
    events = list(db.session.execute(query).scalars())
    more, events = len(events) > per_page, events[:per_page]
    base = _base()
    body = {"version": FEED_VERSION, "title": "信用汕尾 · 双公示与信用修复动态", "language": "zh-CN",
            "home_page_url": f"{base}/credit", "feed_url": f"{base}/api/public/v1/feed.json",
            "description": "行政许可、行政处罚的公示、更正、撤回与信用修复，按时间倒序；条目 id 永久不变。",
            "items": [_item(e) for e in events]}
    if more:
        body["next_url"] = f"{base}/api/public/v1/feed.json?before={events[-1].id}"
    return body
