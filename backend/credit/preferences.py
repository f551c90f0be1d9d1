"""What a subject lets be shown: a subject may refuse to have positive information shown (表彰奖励, 志愿服务,
慈善捐赠: 深圳经济特区社会信用条例 art. 39). Public views honour `Subject.hides_positive`; the grade is unchanged."""

from __future__ import annotations

from backend.credit.marks import shown_changed
from backend.credit.models import Subject
from backend.platform import audit
from backend.platform.db import db, use_case

# Record categories and declaration kinds (a declaration record's `result`) that are positive information.
POSITIVE_RECORD_CATEGORIES = frozenset({"honour"})
POSITIVE_DECLARATION_KINDS = frozenset({"honour", "public_welfare"})  # 表彰奖励, 社会公益


@use_case
def set_hides_positive(subject_id: int, hides: bool, *, actor: str) -> dict:
    """Keep the subject's choice (audited) and answer it."""
    subject = db.session.get(Subject, subject_id)
    if subject.hides_positive != hides:
        subject.hides_positive = hides
        audit.record(actor, "subject.hides_positive", "subject", subject.handle, details={"hides_positive": hides})
        shown_changed(subject.id)
    return preferences(subject)


def preferences(subject: Subject) -> dict:
    return {"hides_positive": subject.hides_positive,
            "hides_positive_zh": "不公开表彰奖励、志愿服务、慈善捐赠等正面信息" if subject.hides_positive
            else "公开表彰奖励、志愿服务、慈善捐赠等正面信息"}
