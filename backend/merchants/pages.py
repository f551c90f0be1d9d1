"""Read side of 一码查信: what the public page and its JSON twin show about a merchant, and market listings.

Reads go through SQLAlchemy Core (a handful of indexed selects, no ORM identity map) because
this is the hottest public page. Built pages are kept per worker for MERCHANT_PAGE_CACHE_SECONDS
(platform.caching): without it every scan costs four indexed selects (~2 ms of CPU on
PostgreSQL) and the page runs at a tenth of a trivial endpoint's rate; with it a burst of scans of
one stall costs one build per second per worker. Writes through this worker forget the merchant's
pages at once (forget_pages); writes elsewhere show within the cache time plus the browser's
max-age. The ETag is a hash of the data itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, or_, select

from backend.credit import (
    POSITIVE_DECLARATION_KINDS,
    CreditRecord,
    ListEntry,
    MarkedItem,
    Subject,
    commitments_of,
    current_model,
    marks_of,
    notes_for,
)
from backend.credit.vocab import COMMITMENT_TYPE_ZH, ListType, RecordCategory, RecordStatus, grade_label
from backend.merchants.models import Inspection, Market, Merchant
from backend.merchants.stickers import absolute_url, page_path, parse_ref
from backend.platform import caching
from backend.platform.clock import china_today
from backend.platform.db import Page, db, paginate
from backend.platform.errors import Gone, NotFound

PAGE_CACHE_ENTRIES = 4096
RECENT_INSPECTIONS = 10
GRADE_MEANING = {
    "A": "诚信经营，信用优秀，可放心交易",
    "B": "信用良好，未发现严重失信行为",
    "C": "信用一般，存在失信或不合格记录，交易时请留意",
    "D": "信用较差，失信或不合格记录较多，请谨慎交易",
    None: "暂无信用记录，尚未评定信用等级",
}
# 差 is worded by its cause: 严重失信 is said only of a subject on the joint-punishment (black) list.
BLACK_LISTED_MEANING = "已列入失信联合惩戒对象名单，属严重失信主体，请谨慎交易"


def grade_meaning(grade: str | None, black_listed: bool) -> str:
    """What the grade means to a shopper; 严重失信 only for a black-list entry, not for a low score."""
    return BLACK_LISTED_MEANING if black_listed and grade == "D" else GRADE_MEANING[grade]
LIST_LABELS = {
    "black": "已列入失信联合惩戒对象名单",
    "watch": "已列入重点关注名单",
    "red": "已列入诚信红名单",
}
COMPLAINT = {"hotline": "12315", "url": "https://www.12315.cn",
             "text": "如遇消费纠纷（短斤少两、假冒伪劣、价格欺诈等），请拨打 12315 或登录全国12315平台投诉举报。"}
# Wrong credit information is an objection (信用信息异议) to the deciding department or the credit office, not 12315.
OBJECTION = {"hotline": "12345", "url": "https://www.creditchina.gov.cn",
             "text": "认为本页信用信息有误或已过公示期限，可向作出决定的部门（见各条记录）或汕尾市发展和改革局"
                     "（市社会信用体系建设工作领导小组办公室）提出信用信息异议，也可拨打 12345 政务服务热线，"
                     "或在“信用中国”网站提交异议申请。"}
NOT_FOUND_MSG = "没有找到这个商户，请核对二维码或链接是否完整。"
VOID_MSG = "该二维码已作废：商户已换发新的二维码，请扫描摊位上最新张贴的二维码。"

HEAD = (select(Merchant.id, Merchant.code_serial, Merchant.stall_no, Merchant.stall_name, Merchant.business_scope,
               Merchant.photo_url, Subject.id.label("subject_id"), Subject.handle, Subject.display_name,
               Subject.uscc, Subject.grade, Subject.grade_updated_at, Subject.hides_positive, Market.slug,
               Market.name.label("market"))
        .join(Subject, Subject.id == Merchant.subject_id).join(Market, Market.id == Merchant.market_id))


def _pages() -> caching.TTLCache:
    return caching.cache("merchant_pages", ttl_setting="MERCHANT_PAGE_CACHE_SECONDS", max_entries=PAGE_CACHE_ENTRIES)


def cached_page(kind: str, ref: str, build: Callable[[], Any]) -> Any:
    """What build() made for this representation of `ref` within the cache time (errors are not cached)."""
    return _pages().get((kind, ref), build)


def forget_pages(handle: str) -> None:
    """Drop this worker's cached pages of a merchant (call after a committed write)."""
    _pages().forget(lambda key: key[1] == handle or key[1].startswith(handle + "-"))


def _head(ref: str):
    """The merchant row for a URL segment; raises NotFound (unknown) or Gone (an old sticker)."""
    parsed = parse_ref(ref)
    if parsed is None:
        raise NotFound(NOT_FOUND_MSG, code="merchant_not_found")
    handle, serial = parsed
    row = db.session.execute(HEAD.where(Subject.handle == handle)).first()
    if row is None or (serial is not None and not 1 <= serial <= row.code_serial):
        raise NotFound(NOT_FOUND_MSG, code="merchant_not_found")
    if serial is not None and serial < row.code_serial:
        raise Gone(VOID_MSG, code="code_void", details={
            "current_page": page_path(row.handle), "market": {"slug": row.slug, "name": row.market}})
    return row


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def grade_scale() -> dict:
    """The four levels, what each means and the score it needs, from the evaluation model in force."""
    model = current_model()
    t = model.thresholds
    ranges = {"A": f"{t['A']:g} 分及以上", "B": f"{t['B']:g} 分及以上、不足 {t['A']:g} 分",
              "C": f"{t['C']:g} 分及以上、不足 {t['B']:g} 分", "D": f"不足 {t['C']:g} 分，或列入失信联合惩戒对象名单"}
    return {"model": model.title, "levels": [{"grade": g, "zh": grade_label(g), "range": ranges[g],
                                              "meaning": GRADE_MEANING[g]} for g in "ABCD"],
            "how": "根据各部门报送的行政许可、行政处罚、纳税信用、表彰奖励、合同履约、产品质量抽检、信用承诺等"
                   f"公共信用记录，按《{model.title}》计分评定；红名单上调一级，重点关注名单最高为中，"
                   "失信联合惩戒对象名单为差。没有任何记录的商户暂不评价。"}


def grades_explained() -> dict:
    """The evaluation model in words, for the public explanation page."""
    model = current_model()
    categories = []
    for rule in model.categories.values():
        if rule.by_severity:
            points = "、".join(f"{zh}{rule.by_severity[s]:+g} 分" for s, zh in (("minor", "轻微"), ("general", "一般"),
                                                                              ("serious", "严重")))
        elif rule.by_result:
            points = "、".join(f"{RESULT_WORDS.get(k, k)} {v:+g} 分" for k, v in rule.by_result.items())
        else:
            points = f"{rule.points:+g} 分"
        indicator = model.indicators[rule.indicator]["title"]
        categories.append({"title": rule.title, "points": points, "indicator": indicator})
    decay = [f"{round(max_age / 365)} 年内按 {factor:g} 倍计" for max_age, factor in model.decay]
    lists = [f"{rule.get('title', name)}：" + (f"等级为{grade_label(rule['force'])}" if "force" in rule else
                                              f"等级上调 {rule['lift']} 级" if "lift" in rule else
                                              f"等级最高为{grade_label(rule['cap'])}")
             for name, rule in model.lists.items()]
    tolerance = ("首次轻微违法且没有造成危害后果、经部门认定适用包容审慎的，不扣分；"
                 "因突发事件应急处置产生的记录只展示、不计分。")
    return {"scale": grade_scale(), "base_score": f"{model.base_score:g}", "min_score": f"{model.min_score:g}",
            "max_score": f"{model.max_score:g}", "categories": categories, "decay": decay, "lists": lists,
            "tolerance": tolerance}


RESULT_WORDS = {"pass": "合格", "fail": "不合格", "kept": "履约", "broken": "违约", "A": "A级", "B": "B级", "M": "M级",
                "C": "C级", "D": "D级", "qualification": "资质证照", "operation": "生产经营", "contract": "合同履约",
                "honour": "表彰奖励", "public_welfare": "社会公益"}


def _retests(inspections: list) -> list[dict]:
    """Each inspection, with (for a failure) whether a later one of the same product passed: 复检."""
    out = []
    for i, r in enumerate(inspections):  # newest first: later inspections come before this one
        item = {"product": r.product, "sampled_on": _iso(r.sampled_on), "agency": r.agency, "result": r.result,
                "failed_items": r.failed_items, "report_no": r.report_no, "retest": None}
        if r.result == "fail":
            later = [x for x in inspections[:i] if x.product == r.product and x.sampled_on >= r.sampled_on]
            retest = later[-1] if later else None  # the first one after the failure
            item["retest"] = ({"result": retest.result, "sampled_on": _iso(retest.sampled_on),
                               "report_no": retest.report_no} if retest else None)
        out.append(item)
    return out


def page_data(ref: str) -> dict:
    """Everything the page shows, JSON-ready; raises NotFound or Gone."""
    h = _head(ref)
    today = china_today()
    inspections = db.session.execute(
        select(Inspection.product, Inspection.sampled_on, Inspection.agency, Inspection.result,
               Inspection.failed_items, Inspection.report_no)
        .where(Inspection.merchant_id == h.id)
        .order_by(Inspection.sampled_on.desc(), Inspection.id.desc()).limit(RECENT_INSPECTIONS)).all()
    # A failed inspection whose credit record is no longer published (expired, repaired) is not shown.
    ended = set(db.session.execute(select(CreditRecord.document_no).where(
        CreditRecord.subject_id == h.subject_id, CreditRecord.category == "product_inspection",
        ~CreditRecord.published_on(today))).scalars())
    inspections = [i for i in inspections if i.result != "fail" or i.report_no not in ended]
    lists = db.session.execute(
        select(ListEntry.id, ListEntry.list_type, ListEntry.reason, ListEntry.department, ListEntry.decision_document,
               ListEntry.starts_on, ListEntry.ends_on)
        .where(ListEntry.subject_id == h.subject_id, ListEntry.active_on(today))
        .order_by(ListEntry.starts_on.desc())).all()
    commitments = commitments_of(h.subject_id, public_only=True)
    marks = marks_of(h.subject_id)  # 异议/复议/诉讼 notes, shown next to every item they concern
    declarations, by_document, marked_items = _declarations_and_marks(h, marks, {r.id for r in lists})
    return {
        "handle": h.handle, "name": h.display_name, "registered_name": h.display_name, "stall_name": h.stall_name,
        "uscc": h.uscc,
        "market": {"slug": h.slug, "name": h.market}, "stall_no": h.stall_no,
        "business_scope": h.business_scope, "photo_url": h.photo_url,
        "grade": h.grade, "grade_zh": grade_label(h.grade),
        "grade_meaning": grade_meaning(h.grade, any(r.list_type == ListType.BLACK for r in lists)),
        "grade_updated_at": _iso(h.grade_updated_at),
        "lists": [{"list_type": r.list_type, "label": LIST_LABELS[r.list_type], "reason": r.reason,
                   "department": r.department, "decision_document": r.decision_document,
                   "starts_on": _iso(r.starts_on), "ends_on": _iso(r.ends_on),
                   "marks": notes_for(marks, MarkedItem.LIST_ENTRY, r.id)} for r in lists],
        "commitments": [{"title": r.matter, "content": r.content, "signed_on": _iso(r.committed_on),
                         "status": r.status, "status_changed_on": _iso(r.assessed_on), "code": r.code,
                         "type_zh": COMMITMENT_TYPE_ZH[r.commitment_type]}
                        for r in commitments],
        "inspections": [{**item, "marks": by_document.get(item["report_no"], [])} for item in _retests(inspections)],
        "declarations": declarations, "marked_items": marked_items,
        "latest_inspection_on": _iso(inspections[0].sampled_on) if inspections else None,
        "grade_scale": grade_scale(),
        "complaint": COMPLAINT, "objection": OBJECTION,
        "page_url": absolute_url(page_path(h.handle)),
    }


DECLARED_LABEL = "自主申报，已核验"

def _declarations_and_marks(h, marks: dict, shown_entries: set[int]) -> tuple[list[dict], dict, list[dict]]:
    """Verified self-declarations (自主申报，已核验), the mark notes of records by document number, and the marked
    records and entries the page does not otherwise show (the grade rests on them)."""
    r = CreditRecord
    marked_ids = [item_id for kind, item_id in marks if kind == MarkedItem.RECORD]
    rows = db.session.execute(
        select(r.id, r.category, r.result, r.title, r.department, r.document_no, r.decided_on, r.expires_on)
        .where(r.subject_id == h.subject_id, r.status == RecordStatus.ACTIVE,
               or_(r.category == RecordCategory.DECLARATION, r.id.in_(marked_ids)))
        .order_by(r.decided_on.desc(), r.id.desc())).all()
    declarations, by_document, marked_items = [], {}, []
    for row in rows:
        notes = notes_for(marks, MarkedItem.RECORD, row.id)
        if row.category == RecordCategory.DECLARATION:
            if not (h.hides_positive and row.result in POSITIVE_DECLARATION_KINDS):
                declarations.append({"title": row.title, "label": DECLARED_LABEL, "kind": row.result,
                                     "department": row.department, "verified_on": _iso(row.decided_on),
                                     "valid_until": _iso(row.expires_on), "marks": notes})
        elif notes:
            by_document[row.document_no] = notes
            if row.category != RecordCategory.PRODUCT_INSPECTION:
                marked_items.append({"title": row.title, "department": row.department,
                                     "document_no": row.document_no, "marks": notes})
    for (kind, item_id), found in marks.items():
        if kind == MarkedItem.LIST_ENTRY and item_id not in shown_entries:
            entry = db.session.get(ListEntry, item_id)
            if entry.removed_at is None:
                marked_items.append({"title": LIST_LABELS[entry.list_type], "department": entry.department,
                                     "document_no": entry.decision_document, "marks": [m["note"] for m in found]})
    return declarations, by_document, marked_items


def all_markets() -> list[dict]:
    """Every market, for pages that lead a lost shopper somewhere."""
    return [{"slug": m.slug, "name": m.name} for m in db.session.execute(select(Market).order_by(Market.id)).scalars()]


def market_by_slug(slug: str) -> Market:
    """The market; raises NotFound."""
    market = db.session.execute(select(Market).where(Market.slug == slug)).scalar_one_or_none()
    if market is None:
        raise NotFound("没有找到这个市场。", code="market_not_found")
    return market


def search_merchants(market_id: int, q: str | None, page: int, per_page: int) -> Page:
    """A page of a market's merchants (Core rows) by stall number, filtered by stall name, registered name or
    stall number substring."""
    cond = [Merchant.market_id == market_id]
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        cond.append(or_(Merchant.stall_name.like(like, escape="\\"), Subject.display_name.like(like, escape="\\"),
                        Merchant.stall_no.ilike(like, escape="\\")))
    return paginate(HEAD.where(and_(*cond)).order_by(Merchant.stall_no, Merchant.id), page, per_page, rows=True)


def market_listing(slug: str, q: str | None, page: int, per_page: int) -> dict:
    """A market's merchants with grades, searchable by name or stall; raises NotFound."""
    market = market_by_slug(slug)
    found = search_merchants(market.id, q, page, per_page)
    items = [{"handle": r.handle, "name": r.display_name, "registered_name": r.display_name,
              "stall_name": r.stall_name, "stall_no": r.stall_no,
              "business_scope": r.business_scope, "grade": r.grade, "grade_zh": grade_label(r.grade),
              "page_path": page_path(r.handle)} for r in found.items]
    return Page(items, found.total, page, per_page).envelope(
        market={"slug": market.slug, "name": market.name, "address": market.address}, q=q or "")
