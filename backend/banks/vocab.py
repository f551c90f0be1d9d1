"""信易贷 vocabulary: what a subject may let a bank see, why, and how a loan application ended (pure)."""

from __future__ import annotations

import enum


class Scope(enum.StrEnum):
    """Data categories a subject authorises; a financing profile carries exactly these."""

    PUBLIC_FILE = "public_file"  # the public credit file: active records (licences, penalties, awards …)
    GRADE = "grade"  # the grade, its explanation and its history
    LISTS = "lists"  # red, joint-punishment (black) and watch list entries
    DECLARATIONS = "declarations"  # verified self-declarations (自主申报)
    DISCLOSURES = "disclosures"  # 双公示 items: administrative licences and penalties
    PERSONAL_DATA = "personal_data"  # a person's name and id number: only when the resident includes it


SCOPE_ZH = {Scope.PUBLIC_FILE: "公共信用档案", Scope.GRADE: "信用评价及历史", Scope.LISTS: "红黑名单及重点关注名单",
            Scope.DECLARATIONS: "经核实的自主申报信息", Scope.DISCLOSURES: "双公示信息（行政许可、行政处罚）",
            Scope.PERSONAL_DATA: "个人身份信息（姓名、身份证号）"}
assert set(SCOPE_ZH) == set(Scope), "every scope needs its Chinese name"
# What a subject is offered ticked (credit-rules §8: public credit file + grade + lists).
DEFAULT_SCOPES = (Scope.PUBLIC_FILE, Scope.GRADE, Scope.LISTS)


class Purpose(enum.StrEnum):
    LOAN_APPLICATION = "loan_application"
    LOAN_RENEWAL = "loan_renewal"


PURPOSE_ZH = {Purpose.LOAN_APPLICATION: "贷款申请", Purpose.LOAN_RENEWAL: "续贷"}


class IdShown(enum.StrEnum):
    """How a person's id number appears in the profile when personal data is authorised."""

    MASKED = "masked"
    CLEAR = "clear"


class Channel(enum.StrEnum):
    """Where the consent was given: the evidence says which session or which window clerk."""

    MINI_PROGRAM = "mini_program"
    WINDOW = "window"


CHANNEL_ZH = {Channel.MINI_PROGRAM: "微信小程序", Channel.WINDOW: "政务服务窗口"}


class AuthorisationState(enum.StrEnum):
    LIVE = "live"
    REVOKED = "revoked"
    EXPIRED = "expired"


STATE_ZH = {AuthorisationState.LIVE: "有效", AuthorisationState.REVOKED: "已撤销", AuthorisationState.EXPIRED: "已过期"}


class Outcome(enum.StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"


OUTCOME_ZH = {Outcome.APPROVED: "已放款（审批通过）", Outcome.DECLINED: "未通过"}


class RateBand(enum.StrEnum):
    """The loan rate against the one-year LPR, in bands: the platform never learns the exact rate."""

    BELOW_LPR = "below_lpr"
    LPR_TO_100BP = "lpr_to_100bp"
    BP_100_TO_300 = "100bp_to_300bp"
    ABOVE_300BP = "above_300bp"


RATE_BAND_ZH = {RateBand.BELOW_LPR: "低于一年期LPR", RateBand.LPR_TO_100BP: "LPR至LPR加100基点",
                RateBand.BP_100_TO_300: "LPR加100至300基点", RateBand.ABOVE_300BP: "高于LPR加300基点"}


class DeclineReason(enum.StrEnum):
    CREDIT_RECORD = "credit_record"
    OPERATING_CONDITION = "operating_condition"
    COLLATERAL = "collateral"
    INCOMPLETE_MATERIALS = "incomplete_materials"
    PRODUCT_POLICY = "product_policy"
    OTHER = "other"


DECLINE_REASON_ZH = {
    DeclineReason.CREDIT_RECORD: "信用记录不符合要求", DeclineReason.OPERATING_CONDITION: "经营状况不足",
    DeclineReason.COLLATERAL: "担保或抵押不足", DeclineReason.INCOMPLETE_MATERIALS: "申请材料不全",
    DeclineReason.PRODUCT_POLICY: "不符合贷款产品政策", DeclineReason.OTHER: "其他原因",
}
