"""Objections (异议) and self-declarations (自主申报): states, grounds, outcomes, categories, in Chinese too."""

from __future__ import annotations

import enum


class ObjectionState(enum.StrEnum):
    SUBMITTED = "submitted"        # waiting for acceptance (形式审查), ACCEPT_DAYS
    NOT_ACCEPTED = "not_accepted"  # refused at acceptance, with every reason at once (一次性告知): closed
    CHECKING = "checking"          # accepted and marked; the credit office checks its own data, CHECK_DAYS
    FORWARDED = "forwarded"        # with the providing department, DECIDE_DAYS
    EXTENDED = "extended"          # the department extended its time once, EXTENSION_DAYS more
    REVIEWING = "reviewing"        # 复核 asked after an upheld decision: the credit office decides, REVIEW_DAYS
    CLOSED = "closed"              # decided (outcome)


OPEN_STATES = (ObjectionState.SUBMITTED, ObjectionState.CHECKING, ObjectionState.FORWARDED, ObjectionState.EXTENDED,
               ObjectionState.REVIEWING)
STATE_ZH = {ObjectionState.SUBMITTED: "已提交，待受理", ObjectionState.NOT_ACCEPTED: "不予受理",
            ObjectionState.CHECKING: "已受理，信用办核查中", ObjectionState.FORWARDED: "已转提供单位核实",
            ObjectionState.EXTENDED: "提供单位延期核实", ObjectionState.REVIEWING: "复核中",
            ObjectionState.CLOSED: "已办结"}


class Grounds(enum.StrEnum):
    WRONG_FACTS = "wrong_facts"        # 错误或遗漏
    PAST_WINDOW = "past_window"        # 超过公开期限仍在公开
    WRONGLY_LISTED = "wrongly_listed"  # 不符合名单条件而被列入或未被移出
    OTHER = "other"


GROUNDS_ZH = {Grounds.WRONG_FACTS: "信息错误或遗漏", Grounds.PAST_WINDOW: "超过公示期限仍在公示",
              Grounds.WRONGLY_LISTED: "不符合条件被列入名单或应移出未移出", Grounds.OTHER: "其他情形"}


class Outcome(enum.StrEnum):
    CORRECTED = "corrected"                      # 更正
    SUPPLEMENTED = "supplemented"                # 补充
    PUBLICATION_STOPPED = "publication_stopped"  # 停止公示
    REMOVED_FROM_LIST = "removed_from_list"      # 移出名单
    UPHELD = "upheld"                            # 维持 (with reasons)


OUTCOME_ZH = {Outcome.CORRECTED: "予以更正", Outcome.SUPPLEMENTED: "予以补充", Outcome.PUBLICATION_STOPPED: "停止公示",
              Outcome.REMOVED_FROM_LIST: "移出名单", Outcome.UPHELD: "维持原信息"}


class Channel(enum.StrEnum):
    RESIDENT = "resident"  # a resident in the mini-program, about their own file
    MERCHANT = "merchant"  # a merchant's bound owner in the mini-program
    WINDOW = "window"      # an organisation (or anyone) at a service window


CHANNEL_ZH = {Channel.RESIDENT: "小程序（本人）", Channel.MERCHANT: "小程序（商户经营者）",
              Channel.WINDOW: "政务服务窗口"}


class DeclarationCategory(enum.StrEnum):
    """The plan's five categories (measure (五))."""

    QUALIFICATION = "qualification"
    OPERATION = "operation"
    CONTRACT = "contract"
    HONOUR = "honour"
    PUBLIC_WELFARE = "public_welfare"


DECLARATION_CATEGORY_ZH = {DeclarationCategory.QUALIFICATION: "资质证照", DeclarationCategory.OPERATION: "生产经营",
                           DeclarationCategory.CONTRACT: "合同履约", DeclarationCategory.HONOUR: "表彰奖励",
                           DeclarationCategory.PUBLIC_WELFARE: "社会公益"}


class DeclarationState(enum.StrEnum):
    SUBMITTED = "submitted"    # just in: matched against the platform's data at once, else verifying
    VERIFYING = "verifying"    # with the competent department
    MORE_INFO = "more_info"    # the department asked for more; the subject supplements
    VERIFIED = "verified"      # counts: on the file and public page as 自主申报，已核验
    REJECTED = "rejected"      # with the reason
    EXPIRED = "expired"        # its validity ended
    FOUND_FALSE = "found_false"  # verified, later found untrue: the commitment is broken, the subject watch-listed


DECLARATION_OPEN = (DeclarationState.SUBMITTED, DeclarationState.VERIFYING, DeclarationState.MORE_INFO)
DECLARATION_STATE_ZH = {DeclarationState.SUBMITTED: "已提交", DeclarationState.VERIFYING: "核验中",
                        DeclarationState.MORE_INFO: "需补充材料", DeclarationState.VERIFIED: "已核验",
                        DeclarationState.REJECTED: "未通过核验", DeclarationState.EXPIRED: "已过有效期",
                        DeclarationState.FOUND_FALSE: "经查不实"}


class VerificationMethod(enum.StrEnum):
    DATA_MATCH = "data_match"            # matched against records the platform already holds
    DOCUMENT_REVIEW = "document_review"  # the competent department reviewed the evidence


# The truthfulness commitment (a 主动型 commitment) every declaration is made under.
DECLARATION_COMMITMENT = (
    "本主体郑重承诺：本次自主申报的信用信息及所附材料真实、准确、完整，并授权信用汕尾平台对申报信息进行归集、"
    "核验、共享和使用。如有虚假，自愿承担违背承诺的责任，接受列入重点关注名单等处理，并依法承担相应法律责任。")
# Its liability clause (违诺责任): the legal basis of the watch-list entry a breach makes (credit.assess).
DECLARATION_LIABILITY = (
    "申报信息经查不实的，视为违背信用承诺：依据《汕尾市社会信用体系建设工作方案》（一）（五），撤销已核验的申报信息，"
    "列入重点关注名单，纳入重点监管范围，并依法依规承担相应法律责任。")
