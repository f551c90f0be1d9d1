"""The credit file's vocabulary, one StrEnum per set of values: models' CHECK constraints, schemas'
choices and the evaluation model are all built from these (no SQLAlchemy, no Flask here)."""

from __future__ import annotations

import enum


class Grade(enum.StrEnum):
    """优/良/中/差 as the letters carried in codes, best first."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


GRADES = "".join(Grade)  # "ABCD", best first
GRADE_ZH = {Grade.A: "优", Grade.B: "良", Grade.C: "中", Grade.D: "差"}
# A subject with nothing to grade (no active record, no list entry) has no grade: NULL, shown as 未评价.
UNRATED_ZH = "未评价"


def grade_label(grade: str | None) -> str:
    """优/良/中/差 for a grade, 未评价 for none (the one place that names an absent grade)."""
    return UNRATED_ZH if grade is None else GRADE_ZH[grade]


class SubjectKind(enum.StrEnum):
    PERSON = "person"
    MERCHANT = "merchant"
    ORGANISATION = "organisation"


class RecordCategory(enum.StrEnum):
    ADMIN_LICENCE = "admin_licence"
    ADMIN_PENALTY = "admin_penalty"
    COURT_DISHONESTY = "court_dishonesty"
    TAX_RATING = "tax_rating"
    HONOUR = "honour"
    CONTRACT_PERFORMANCE = "contract_performance"
    PRODUCT_INSPECTION = "product_inspection"
    COMMITMENT_KEPT = "commitment_kept"
    COMMITMENT_BROKEN = "commitment_broken"
    DECLARATION = "declaration"


CATEGORY_ZH = {
    RecordCategory.ADMIN_LICENCE: "行政许可", RecordCategory.ADMIN_PENALTY: "行政处罚",
    RecordCategory.COURT_DISHONESTY: "失信被执行人", RecordCategory.TAX_RATING: "纳税信用等级",
    RecordCategory.HONOUR: "表彰奖励", RecordCategory.CONTRACT_PERFORMANCE: "合同履约",
    RecordCategory.PRODUCT_INSPECTION: "产品质量抽检", RecordCategory.COMMITMENT_KEPT: "信用承诺践行",
    RecordCategory.COMMITMENT_BROKEN: "违背信用承诺", RecordCategory.DECLARATION: "自主申报",
}


class Severity(enum.StrEnum):
    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


SEVERITY_ZH = {Severity.MINOR: "轻微", Severity.GENERAL: "一般", Severity.SERIOUS: "严重"}
RESULT_ZH = {"pass": "合格", "fail": "不合格", "kept": "履约", "broken": "违约"}

# What people write in a CSV column, as well as the codes: the labels above and common variants.
VALUE_ALIASES = {
    "category": {**{zh: code.value for code, zh in CATEGORY_ZH.items()}, "表彰荣誉": "honour",
                 "产品抽检": "product_inspection", "抽检": "product_inspection", "纳税信用": "tax_rating",
                 "自主申报信息": "declaration", "信用承诺": "commitment_kept", "失信被执行": "court_dishonesty"},
    "severity": {**{zh: code.value for code, zh in SEVERITY_ZH.items()}, "轻微违法": "minor", "一般违法": "general",
                 "严重违法": "serious"},
    "result": {**{zh: code for code, zh in RESULT_ZH.items()}, "已履约": "kept", "履行": "kept", "未履约": "broken",
               **{f"{g}级": g for g in "ABMCD"}},
}


class ListType(enum.StrEnum):
    RED = "red"
    BLACK = "black"
    WATCH = "watch"


LIST_ZH = {ListType.RED: "红名单", ListType.BLACK: "失信联合惩戒对象名单", ListType.WATCH: "重点关注名单"}


class MeasureKind(enum.StrEnum):
    REWARD = "reward"
    PUNISHMENT = "punishment"
    SUPERVISION = "supervision"


class RecordStatus(enum.StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"


class AccessKind(enum.StrEnum):
    """What of a subject's file someone looked at (shown to the subject: 谁查询了我的信用信息)."""

    FILE = "file"                # the records (GET /subjects/file)
    GRADE = "grade"              # the grade and its breakdown
    JOINT_QUERY = "joint_query"  # 一键查询
    JOINT_RECORD = "joint_record"  # the printable record of an earlier 一键查询
    REPORT = "report"            # a credit report
    FINANCING = "financing"      # a bank's financing profile (信易贷)
    CONSOLE = "console"          # an operator's page view in the console


ACCESS_ZH = {AccessKind.FILE: "查看信用档案", AccessKind.GRADE: "查看信用评价",
             AccessKind.JOINT_QUERY: "联合奖惩一键查询", AccessKind.JOINT_RECORD: "打印一键查询记录",
             AccessKind.REPORT: "信用报告",
             AccessKind.FINANCING: "银行查询融资信用信息", AccessKind.CONSOLE: "在工作台查看信用档案"}


class MarkKind(enum.StrEnum):
    """Why an item of a file carries a neutral note while something is being decided about it."""

    OBJECTION = "objection"              # 信用信息异议 (marked at acceptance)
    RECONSIDERATION = "reconsideration"  # 行政复议 (marked by the department)
    LITIGATION = "litigation"            # 行政诉讼 (marked by the department)


# Neutral wording (credit-rules.md §2.3): the mark is information, not a verdict.
MARK_NOTE = {MarkKind.OBJECTION: "信息主体已提出异议，正在核实",
             MarkKind.RECONSIDERATION: "信息主体已申请行政复议，正在审理",
             MarkKind.LITIGATION: "信息主体已提起行政诉讼，正在审理"}
MARK_SUSPENDED_NOTE = "核实期间，部门决定暂停计入信用评价"


class MarkedItem(enum.StrEnum):
    RECORD = "record"
    LIST_ENTRY = "list_entry"
# Publication of negative records (国家发展改革委令2025年第36号, 国办发〔2025〕22号 §二).
class PublicationState(enum.StrEnum):
    UNPUBLISHED = "unpublished"  # 轻微 and its class says 不予公示: kept in the file, shown to nobody else
    PUBLISHED = "published"
    REPAIR_PENDING = "repair_pending"  # a repair application is under way: still published, marked
    REPAIRED = "repaired"  # publication ended by an approved repair
    EXPIRED = "expired"  # publication ended at max_publish_until
    WITHDRAWN = "withdrawn"  # the record itself was withdrawn (decision revoked, corrected)


PUBLICATION_ZH = {PublicationState.UNPUBLISHED: "不予公示", PublicationState.PUBLISHED: "公示中",
                  PublicationState.REPAIR_PENDING: "公示中（信用修复申请办理中）",
                  PublicationState.REPAIRED: "已信用修复，停止公示", PublicationState.EXPIRED: "公示期满，停止公示",
                  PublicationState.WITHDRAWN: "已撤销"}
# The states in which a record counts (grade, 一键查询, public pages, trust bundle) while inside its window.
SHOWN_STATES = (PublicationState.PUBLISHED, PublicationState.REPAIR_PENDING)

# Default windows per class in months from the decision date: (minimum, maximum). 轻微: repair as soon as the
# obligations are met (minimum 0) and, if published at all, at most 3 months.
WINDOW_MONTHS = {Severity.MINOR: (0, 3), Severity.GENERAL: (3, 12), Severity.SERIOUS: (12, 36)}
WINDOW_RULE = "《信用修复管理办法》（国家发展改革委令2025年第36号）、国办发〔2025〕22号"


def is_negative(category: str, result: str | None) -> bool:
    """Negative (失信) information: gets a class and a publication window."""
    return category in {RecordCategory.ADMIN_PENALTY, RecordCategory.COURT_DISHONESTY,
                        RecordCategory.COMMITMENT_BROKEN} or (category, result) in {
        (RecordCategory.PRODUCT_INSPECTION, "fail"), (RecordCategory.CONTRACT_PERFORMANCE, "broken")}


# The change feed.
class ChangeKind(enum.StrEnum):
    RECORD_FILED = "record_filed"
    RECORD_WITHDRAWN = "record_withdrawn"
    PUBLICATION_ENDED = "publication_ended"  # expired at max_publish_until
    PUBLICATION_RESTORED = "publication_restored"  # a broken 信用修复型 commitment
    REPAIR_APPROVED = "repair_approved"
    LIST_ENTRY_ADDED = "list_entry_added"
    LIST_ENTRY_ENDED = "list_entry_ended"
    GRADE_CHANGED = "grade_changed"
    COMMITMENT_CHANGED = "commitment_changed"


# Credit commitments (信用承诺), national data items.
class CommitmentType(enum.StrEnum):
    APPROVAL_REPLACING = "approval_replacing"
    TOLERANT_ACCEPTANCE = "tolerant_acceptance"
    CERTIFICATION = "certification"
    REPAIR = "repair"
    SELF_DISCIPLINE = "self_discipline"
    VOLUNTARY = "voluntary"
    OTHER = "other"


COMMITMENT_TYPE_ZH = {CommitmentType.APPROVAL_REPLACING: "审批替代型", CommitmentType.TOLERANT_ACCEPTANCE: "容缺受理型",
                      CommitmentType.CERTIFICATION: "证明事项型", CommitmentType.REPAIR: "信用修复型",
                      CommitmentType.SELF_DISCIPLINE: "行业自律型", CommitmentType.VOLUNTARY: "主动型",
                      CommitmentType.OTHER: "其他"}


class Disclosure(enum.StrEnum):
    PUBLIC = "public"
    RESTRICTED = "restricted"
    PRIVATE = "private"


DISCLOSURE_ZH = {Disclosure.PUBLIC: "可向社会公开", Disclosure.RESTRICTED: "特定范围内公开",
                 Disclosure.PRIVATE: "不可公开"}


class Fulfilment(enum.StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


FULFILMENT_ZH = {Fulfilment.FULL: "全部履行", Fulfilment.PARTIAL: "部分履行", Fulfilment.NONE: "全部未履行"}


class CommitmentStatus(enum.StrEnum):
    ACTIVE = "active"  # in force, fulfilment not yet assessed
    KEPT = "kept"
    BROKEN = "broken"  # 部分履行 or 全部未履行: a breach
    WITHDRAWN = "withdrawn"
