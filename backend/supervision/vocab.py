"""Supervision by grade: sampling tasks and their states, strata, warning rules, talks (no SQLAlchemy, no Flask)."""

from __future__ import annotations

import enum


class TaskState(enum.StrEnum):
    DRAFT = "draft"          # pool, ratios and inspectors may still change
    COMMITTED = "committed"  # frozen and published; the seed is not known yet
    DRAWN = "drawn"          # seed revealed, drawn list published; results come in
    COMPLETED = "completed"  # every drawn object has a result


TASK_STATE_ZH = {TaskState.DRAFT: "待提交", TaskState.COMMITTED: "已承诺（待抽取）",
                 TaskState.DRAWN: "已抽取（检查中）",
                 TaskState.COMPLETED: "已完成（结果已公示）"}

# Strata of the draw (sampling.draw.STRATA): the grade, W for the watch list or a raised ratio, U unrated.
STRATUM_ZH = {"A": "优", "B": "良", "C": "中", "D": "差", "W": "重点关注", "U": "未评价"}
# The published scheme (credit-rules §7.1): 优 ≤ 5 %, 良 5–20 %, 中 21–60 %, 差 61–100 %; the watch list at
# least 中's ratio. Defaults inside each range; an item may set its own within them.
RATIO_RANGES = {"A": ("0", "0.05"), "B": ("0.05", "0.20"), "C": ("0.21", "0.60"), "D": ("0.61", "1"),
                "W": ("0.21", "1"), "U": ("0", "1")}
DEFAULT_RATIOS = {"A": "0.05", "B": "0.10", "C": "0.30", "D": "0.70", "W": "0.30", "U": "0.10"}


class SeedMethod(enum.StrEnum):
    SHARES = "shares"              # two officials each commit to a secret share, revealed at the draw
    PUBLIC_VALUE = "public_value"  # a public value fixed in advance (a lottery result of a stated day)


class InspectionOutcome(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"


OUTCOME_ZH = {InspectionOutcome.PASS: "合格", InspectionOutcome.FAIL: "不合格"}


class WarningRule(enum.StrEnum):
    GRADE_DROP = "grade_drop"                  # falls to 差, or two levels at once
    KEY_SECTOR_PENALTY = "key_sector_penalty"  # a new penalty in a key sector
    COMMITMENT_BROKEN = "commitment_broken"
    WATCH_LIST = "watch_list"                  # entry to the watch list
    WINDOW_NEAR = "window_near"                # a penalty's minimum window near, obligations unmet (daily job)


WARNING_RULE_ZH = {WarningRule.GRADE_DROP: "信用等级降为差或连降两级",
                   WarningRule.KEY_SECTOR_PENALTY: "重点领域新增行政处罚",
                   WarningRule.COMMITMENT_BROKEN: "违背信用承诺", WarningRule.WATCH_LIST: "列入重点关注名单",
                   WarningRule.WINDOW_NEAR: "处罚最短公示期将满但义务未履行"}

KEY_SECTORS = ("食品药品", "生态环境", "安全生产", "养老托幼", "医疗卫生", "工程质量", "城市运行安全")


class WarningStatus(enum.StrEnum):
    OPEN = "open"
    TALK = "talk"      # turned into a talk
    CLOSED = "closed"  # dismissed with a reason


WARNING_STATUS_ZH = {WarningStatus.OPEN: "待处置", WarningStatus.TALK: "已安排约谈", WarningStatus.CLOSED: "已关闭"}


class TalkKind(enum.StrEnum):
    REMINDER = "reminder"  # 提示约谈
    WARNING = "warning"    # 警示约谈


TALK_KIND_ZH = {TalkKind.REMINDER: "提示约谈", TalkKind.WARNING: "警示约谈"}


class TalkState(enum.StrEnum):
    PLANNED = "planned"
    NOTIFIED = "notified"
    HELD = "held"
    NO_SHOW = "no_show"
    RECTIFICATION_DUE = "rectification_due"
    VERIFIED = "verified"
    ESCALATED = "escalated"


TALK_STATE_ZH = {TalkState.PLANNED: "已计划", TalkState.NOTIFIED: "已通知", TalkState.HELD: "已约谈",
                 TalkState.NO_SHOW: "未到场", TalkState.RECTIFICATION_DUE: "整改中", TalkState.VERIFIED: "整改已核实",
                 TalkState.ESCALATED: "已升级处置"}


class TalkAction(enum.StrEnum):
    NOTIFY = "notify"
    HOLD = "hold"
    NO_SHOW = "no_show"
    RECTIFY = "rectify"    # the rectification period starts (deadline in working days)
    VERIFY = "verify"
    ESCALATE = "escalate"


# action: (states it may be taken from, state it leads to)
TALK_TRANSITIONS = {
    TalkAction.NOTIFY: ((TalkState.PLANNED,), TalkState.NOTIFIED),
    TalkAction.HOLD: ((TalkState.NOTIFIED,), TalkState.HELD),
    TalkAction.NO_SHOW: ((TalkState.NOTIFIED,), TalkState.NO_SHOW),
    TalkAction.RECTIFY: ((TalkState.HELD, TalkState.NO_SHOW), TalkState.RECTIFICATION_DUE),
    TalkAction.VERIFY: ((TalkState.RECTIFICATION_DUE,), TalkState.VERIFIED),
    TalkAction.ESCALATE: ((TalkState.NO_SHOW, TalkState.RECTIFICATION_DUE), TalkState.ESCALATED),
}
TALK_ACTION_ZH = {TalkAction.NOTIFY: "发出约谈通知", TalkAction.HOLD: "记录约谈", TalkAction.NO_SHOW: "记录未到场",
                  TalkAction.RECTIFY: "启动整改", TalkAction.VERIFY: "核实整改", TalkAction.ESCALATE: "升级处置"}


class Escalation(enum.StrEnum):
    WATCH_LIST = "watch_list"      # put on the watch list (a credit list entry)
    HIGHER_RATIO = "higher_ratio"  # drawn in stratum W (the watch-list ratio) in later tasks
    PENALTY = "penalty"            # a penalty filed (by its document number)


ESCALATION_ZH = {Escalation.WATCH_LIST: "列入重点关注名单", Escalation.HIGHER_RATIO: "提高抽查比例",
                 Escalation.PENALTY: "依法立案处罚"}
