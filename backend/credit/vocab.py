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
