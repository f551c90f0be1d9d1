"""Read side of the 信用汕尾 portal: search, a subject's public page (the sections of 信用中国's), the red and
black lists. Persons are never found and never shown: a person's handle answers like an unknown one."""

from __future__ import annotations

import re

from sqlalchemy import ARRAY, Text, bindparam, cast, func, literal_column, select
from sqlalchemy.dialects import postgresql

from backend.credit import ListEntry, Subject, SubjectKind
from backend.credit.vocab import LIST_ZH, ListType, RecordCategory, grade_label
from backend.disclosure import visibility
from backend.disclosure.deidentify import public_items
from backend.disclosure.vocab import (
    LICENCE_CATEGORIES,
    LICENCE_STATES,
    PARTY_ZH,
    PartyCategory,
)
from backend.merchants import Market, Merchant, grade_meaning, grade_scale
from backend.platform.clock import china_today
from backend.platform.db import Page, db, paginate
from backend.platform.errors import InvalidInput, NotFound

USCC_LIKE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
KIND_ZH = {SubjectKind.MERCHANT: "企业或个体工商户", SubjectKind.ORGANISATION: "机关、事业单位或社会组织"}
NOT_FOUND = "没有找到该信用主体（自然人的信用信息不在本网站公示）。"
HOW_TO = {
    "objection": "认为公示的信用信息有误、遗漏或已超过公示期限的，可向作出决定的部门或汕尾市发展和改革局"
                 "（市社会信用体系建设工作领导小组办公室）提出异议，提交证明材料；受理后本页对该信息标注"
                 "“信息主体已提出异议，正在核实”。也可拨打 12345 政务服务热线。",
    "repair": "行政处罚信息达到最短公示期限、已履行处罚决定并作出信用承诺的，可申请信用修复；修复后停止公示"
              "并重新评价。申请免费，不收取任何费用，谨防“付费删除”骗局。",
    "hotline": "12345",
}
COUNT_CAP = 200  # matches taken; more means "type more of the name" (a common word has thousands)
SEARCH_FIELDS = (Subject.handle, Subject.kind, Subject.display_name, Subject.uscc, Subject.grade)


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(q: str, page: int, per_page: int) -> dict:
    """Organisations and merchants whose name contains q (two characters or more), or whose USCC is q; never
    persons. Shortest name first. Raises InvalidInput (one character)."""
    q = q.strip()
    if not q:
        return Page([], 0, page, per_page).envelope(q="", more=False)
    cond = [Subject.kind != SubjectKind.PERSON]
    if USCC_LIKE.match(q.upper()):
        cond.append(Subject.uscc == q.upper())
    else:
        if len(q) < 2:
            raise InvalidInput("q：请至少输入名称中的两个字，或完整的统一社会信用代码。", details={"field": "q"})
        # The pattern is rendered into the statement (escaped by the dialect): with a bound parameter psycopg's
        # prepared statements get a generic plan after five runs, which cannot see the pattern, and scan
        # (measured: 55 ms instead of 4 ms at 100 k subjects).
        pattern = bindparam("name_like", _like(q), literal_execute=True)
        cond.append(Subject.display_name.like(pattern, escape="\\"))
        if len(q) == 2 and db.session.get_bind().dialect.name == "postgresql":
            # trigrams need three characters; the bigram expression index (migration 0024) finds two
            grams = func.sw_bigrams(Subject.display_name, type_=ARRAY(Text))
            gram = bindparam("name_gram", q, literal_execute=True)
            cond.append(grams.op("@>")(cast(postgresql.array([gram]), ARRAY(Text))))
    # At most COUNT_CAP + 1 matches, unordered, so the planner may stop early on a common word (海鲜: thousands of
    # names) and use the index on a rare one; they are ordered here, and the page's rows fetched by id.
    found = db.session.execute(select(Subject.id, func.length(Subject.display_name)).where(*cond)
                               .limit(literal_column(str(COUNT_CAP + 1)))).all()  # a known LIMIT: see above
    ordered = [sid for sid, _ in sorted(found, key=lambda r: (r[1], r[0]))][:COUNT_CAP]
    wanted = ordered[(page - 1) * per_page:page * per_page]
    rows = {r.id: r for r in db.session.execute(select(Subject.id, *SEARCH_FIELDS).where(Subject.id.in_(wanted)))
            } if wanted else {}
    items = [{"handle": r.handle, "name": r.display_name, "kind": r.kind, "kind_zh": KIND_ZH[r.kind],
              "uscc": r.uscc, "grade": r.grade, "grade_zh": grade_label(r.grade), "path": f"/credit/s/{r.handle}"}
             for r in (rows[sid] for sid in wanted)]
    return Page(items, len(ordered), page, per_page).envelope(q=q, more=len(found) > COUNT_CAP)


def public_subject(handle: str) -> Subject:
    """The organisation or merchant; raises NotFound (also for a person)."""
    subject = db.session.execute(select(Subject).where(Subject.handle == handle)).scalar_one_or_none()
    if subject is None or subject.kind == SubjectKind.PERSON:
        raise NotFound(NOT_FOUND, code="subject_not_found")
    return subject


def _decision(record, disclosure) -> dict:
    shown = public_items(disclosure.party_category, disclosure.items) if disclosure is not None else {}
    item = {"document_no": record.document_no, "title": record.title, "content": shown.get("NR") or record.content,
            "department": record.department, "decided_on": record.decided_on.isoformat(),
            "legal_basis": record.legal_basis, "repair": visibility.repair_status(record),
            "objection": visibility.objection_mark(record), "items": shown,
            "publish_until": disclosure.publish_until.isoformat() if disclosure and disclosure.publish_until else None}
    if record.category == RecordCategory.ADMIN_LICENCE:
        item.update(licence_category=LICENCE_CATEGORIES.get(shown.get("XKLB", "")),
                    licence_state=LICENCE_STATES.get(shown.get("ZT", "")),
                    valid_from=shown.get("YXQZ"), valid_to=shown.get("YXQZI"))
    else:
        item.update(severity=record.severity, penalty_category=shown.get("CFLB"), facts=shown.get("SY"),
                    fine_wan=shown.get("NR_FK"), violation=shown.get("WFXW") or record.title)
    return item


def _decisions(subject_id: int, category: str, today) -> list[dict]:
    return [_decision(r, d) for r, d in visibility.shown_records(subject_id, (category,), today)]


def _entries(subject_id: int, list_type: str, today) -> list[dict]:
    rows = db.session.execute(select(ListEntry).where(ListEntry.subject_id == subject_id,
                                                      ListEntry.list_type == list_type,
                                                      visibility.list_entry_shown_clause(today))
                              .order_by(ListEntry.starts_on.desc())).scalars()
    return [_entry(e) for e in rows]


def _entry(e: ListEntry) -> dict:
    return {"list_type": e.list_type, "list_zh": LIST_ZH[ListType(e.list_type)], "reason": e.reason,
            "legal_basis": e.legal_basis, "decision_document": e.decision_document, "department": e.department,
            "starts_on": e.starts_on.isoformat(), "ends_on": e.ends_on.isoformat() if e.ends_on else None,
            "objection": visibility.objection_mark(e)}


def subject_page(handle: str) -> dict:
    """Every section of the subject's public page, JSON-ready; raises NotFound."""
    s, today = public_subject(handle), china_today()
    merchant = db.session.execute(select(Merchant.stall_no, Merchant.stall_name, Merchant.business_scope,
                                         Market.name.label("market"))
                                  .join(Market, Market.id == Merchant.market_id)
                                  .where(Merchant.subject_id == s.id)).first()
    black = _entries(s.id, ListType.BLACK, today)
    judicial = [_decision(r, d) for r, d in visibility.shown_records(s.id, (RecordCategory.COURT_DISHONESTY,), today)]
    return {
        "handle": s.handle, "path": f"/credit/s/{s.handle}",
        "basic": {"name": s.display_name, "uscc": s.uscc, "kind": s.kind, "kind_zh": KIND_ZH[s.kind],
                  "party_category_zh": PARTY_ZH[PartyCategory.INDIVIDUAL if s.uscc and s.uscc[:2] == "92"
                                                else PartyCategory.LEGAL],
                  "merchant": ({"market": merchant.market, "stall_no": merchant.stall_no,
                                "stall_name": merchant.stall_name, "business_scope": merchant.business_scope,
                                "page_path": f"/m/{s.handle}"} if merchant else None)},
        "grade": {"grade": s.grade, "grade_zh": grade_label(s.grade), "meaning": grade_meaning(s.grade, bool(black)),
                  "updated_at": s.grade_updated_at.isoformat() if s.grade_updated_at else None,
                  "model": s.grade_model, "scale": grade_scale()},
        "licences": _decisions(s.id, RecordCategory.ADMIN_LICENCE, today),
        "penalties": _decisions(s.id, RecordCategory.ADMIN_PENALTY, today),
        "red_list": _entries(s.id, ListType.RED, today),
        "watch_list": _entries(s.id, ListType.WATCH, today),
        "black_list": black, "court_dishonesty": judicial,
        "commitments": visibility.public_commitments(s.id),
        "declarations": visibility.verified_declarations(s.id, today),
        "how_to": HOW_TO, "as_of": today.isoformat(),
    }


LIST_BASIS = {
    ListType.RED: "《广东省社会信用条例》；《汕尾市社会信用体系建设工作方案》守信联合激励："
                  "由认定部门依据法律、法规、规章"
                  "和省市有关规定认定，并在认定文书中载明依据。",
    ListType.BLACK: "《广东省社会信用条例》；国务院办公厅《关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》"
                    "（国办发〔2020〕49号）：严重失信主体名单的认定须以法律、法规或者党中央、国务院政策文件为依据。",
}


def list_page(list_type: str, page: int, per_page: int) -> dict:
    """Organisations and merchants on the red or black list today, with basis and dates (persons are not listed)."""
    today = china_today()
    query = (select(ListEntry, Subject.handle, Subject.display_name, Subject.uscc)
             .join(Subject, Subject.id == ListEntry.subject_id)
             .where(ListEntry.list_type == list_type, Subject.kind != SubjectKind.PERSON,
                    visibility.list_entry_shown_clause(today))
             .order_by(ListEntry.starts_on.desc(), ListEntry.id.desc()))
    found = paginate(query, page, per_page, rows=True)
    items = [{**_entry(r.ListEntry), "handle": r.handle, "name": r.display_name, "uscc": r.uscc,
              "path": f"/credit/s/{r.handle}"} for r in found.items]
    return Page(items, found.total, page, per_page).envelope(
        list_type=list_type, list_zh=LIST_ZH[ListType(list_type)], basis=LIST_BASIS[ListType(list_type)],
        as_of=today.isoformat())
