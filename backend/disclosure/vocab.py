"""双公示, portal and report vocabulary: the national CF_/XK_ data items, party categories, licence and
penalty categories, publication states, report domains (no SQLAlchemy, no Flask here)."""

from __future__ import annotations

import enum


class DecisionKind(enum.StrEnum):
    PENALTY = "penalty"   # 行政处罚 (CF_)
    LICENCE = "licence"   # 行政许可 (XK_)


KIND_ZH = {DecisionKind.PENALTY: "行政处罚", DecisionKind.LICENCE: "行政许可"}
PREFIX = {DecisionKind.PENALTY: "CF_", DecisionKind.LICENCE: "XK_"}


def item_key(prefix: str, code: str) -> str:
    """A national data item's name as filed: the prefix and the code (CF_WSH), but 备注 is plain BZ."""
    return "BZ" if code == "BZ" else prefix + code


class PartyCategory(enum.StrEnum):
    """CF_XDR_LB / XK_XDR_LB: 行政相对人类别."""

    LEGAL = "legal"            # 法人及非法人组织
    PERSON = "person"          # 自然人
    INDIVIDUAL = "individual"  # 个体工商户


PARTY_ZH = {PartyCategory.LEGAL: "法人及非法人组织", PartyCategory.PERSON: "自然人",
            PartyCategory.INDIVIDUAL: "个体工商户"}
PARTY_ALIASES = {**{zh: code.value for code, zh in PARTY_ZH.items()}, "法人": "legal", "1": "legal", "2": "person",
                 "3": "individual"}

# 行政处罚法 art. 9 (CF_CFLB); several may be given, separated by 、 or ;.
PENALTY_CATEGORIES = ("警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级",
                      "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留",
                      "其他")
# The default 失信信息分类 (36号令) by the heaviest category; a department states `severity` to override it.
MINOR_CATEGORIES = {"警告", "通报批评"}
SERIOUS_CATEGORIES = {"吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留"}

# XK_XKLB: 01 普通, 02 特许, 03 认可, 04 核准, 05 登记, 06 其他.
LICENCE_CATEGORIES = {"01": "普通", "02": "特许", "03": "认可", "04": "核准", "05": "登记", "06": "其他"}
LICENCE_STATES = {"1": "有效", "2": "无效"}  # XK_ZT
ID_TYPES = {"01": "身份证", "02": "护照", "03": "港澳居民来往内地通行证", "04": "台湾居民来往大陆通行证",
            "05": "外国人永久居留身份证"}

# The party's six codes (代码_1…_6); 代码_1 is the USCC.
PARTY_CODES = ("XDR_SHXYM", "XDR_GSZC", "XDR_ZZJG", "XDR_SWDJ", "XDR_SYDW", "XDR_SHZZ")
PARTY_FIELDS = ("XDR_MC", "XDR_LB", *PARTY_CODES, "FRDB", "FR_ZJLX", "FR_ZJHM", "XDR_ZJLX", "XDR_ZJHM")
# Never shown publicly and stored encrypted: identity documents of persons (2.0 fields 11–13).
PRIVATE_FIELDS = ("FR_ZJLX", "FR_ZJHM", "XDR_ZJLX", "XDR_ZJHM")

PENALTY_FIELDS = {  # code (without prefix) → Chinese name, in the national order
    "XDR_MC": "行政相对人名称", "XDR_LB": "行政相对人类别", "XDR_SHXYM": "统一社会信用代码", "XDR_GSZC": "工商注册号",
    "XDR_ZZJG": "组织机构代码", "XDR_SWDJ": "税务登记号", "XDR_SYDW": "事业单位证书号", "XDR_SHZZ": "社会组织登记证号",
    "FRDB": "法定代表人", "FR_ZJLX": "法定代表人证件类型", "FR_ZJHM": "法定代表人证件号码", "XDR_ZJLX": "证件类型",
    "XDR_ZJHM": "证件号码", "WSH": "行政处罚决定书文号", "WFXW": "违法行为类型", "SY": "违法事实", "YJ": "处罚依据",
    "CFLB": "处罚类别", "NR": "处罚内容", "NR_FK": "罚款金额（万元）",
    "NR_WFFF": "没收违法所得、没收非法财物的金额（万元）",
    "NR_ZKDX": "暂扣或吊销证照名称及编号", "JDRQ": "处罚决定日期", "YXQ": "处罚有效期", "GSJZQ": "公示截止期",
    "CFJG": "处罚机关", "CFJGDM": "处罚机关统一社会信用代码", "SJLY": "数据来源单位",
    "SJLYDM": "数据来源单位统一社会信用代码",
    "BZ": "备注",
}
PENALTY_REQUIRED = ("XDR_MC", "XDR_LB", "WSH", "WFXW", "SY", "YJ", "CFLB", "NR", "JDRQ", "YXQ", "CFJG", "CFJGDM",
                    "SJLY", "SJLYDM")
LICENCE_FIELDS = {
    "XDR_MC": "行政相对人名称", "XDR_LB": "行政相对人类别", "XDR_SHXYM": "统一社会信用代码", "XDR_GSZC": "工商注册号",
    "XDR_ZZJG": "组织机构代码", "XDR_SWDJ": "税务登记号", "XDR_SYDW": "事业单位证书号", "XDR_SHZZ": "社会组织登记证号",
    "FRDB": "法定代表人", "FR_ZJLX": "法定代表人证件类型", "FR_ZJHM": "法定代表人证件号码", "XDR_ZJLX": "证件类型",
    "XDR_ZJHM": "证件号码", "XKWS": "行政许可决定文书名称", "WSH": "行政许可决定文书号", "XKLB": "许可类别",
    "XKZS": "许可证书名称", "XKBH": "许可编号", "NR": "许可内容", "JDRQ": "许可决定日期", "YXQZ": "有效期自",
    "YXQZI": "有效期至", "XKJG": "许可机关", "XKJGDM": "许可机关统一社会信用代码", "ZT": "当前状态",
    "LYDW": "数据来源单位", "LYDWDM": "数据来源单位统一社会信用代码", "BZ": "备注",
}
LICENCE_REQUIRED = ("XDR_MC", "XDR_LB", "XKWS", "WSH", "XKLB", "NR", "JDRQ", "YXQZ", "XKJG", "XKJGDM", "ZT", "LYDW",
                    "LYDWDM")
DATE_FIELDS = {"JDRQ", "YXQ", "GSJZQ", "YXQZ", "YXQZI"}
AMOUNT_FIELDS = {"NR_FK", "NR_WFFF"}
AUTHORITY_CODES = {"CFJGDM", "SJLYDM", "XKJGDM", "LYDWDM"}
OPEN_ENDED = {"长期", "长期有效", "9999-12-31"}  # what departments write for a validity without end


class PublicationState(enum.StrEnum):
    REGISTERED = "registered"  # filed, held back (e.g. not served yet): not public, its 7-day clock runs
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


STATE_ZH = {PublicationState.REGISTERED: "待公示", PublicationState.PUBLISHED: "公示中",
            PublicationState.WITHDRAWN: "已撤回"}


class WithdrawalCause(enum.StrEnum):
    CHANGED = "changed"    # 决定被变更
    REVOKED = "revoked"    # 决定被撤销
    VOID = "void"          # 确认无效
    ERROR = "error"        # 信息有误


CAUSE_ZH = {WithdrawalCause.CHANGED: "行政决定被变更", WithdrawalCause.REVOKED: "行政决定被撤销",
            WithdrawalCause.VOID: "行政决定被确认无效", WithdrawalCause.ERROR: "公示信息有误"}


class EventKind(enum.StrEnum):
    """What the public feed says happened."""

    PUBLICATION = "publication"
    CORRECTION = "correction"
    WITHDRAWAL = "withdrawal"
    REPAIR = "repair"


EVENT_ZH = {EventKind.PUBLICATION: "公示", EventKind.CORRECTION: "更正", EventKind.WITHDRAWAL: "撤回",
            EventKind.REPAIR: "信用修复"}


class ReportDomain(enum.StrEnum):
    """What a 专项信用报告 covers (发改财金〔2025〕565号: at least the first four)."""

    ADMIN_PENALTY = "admin_penalty"          # 行政处罚（含简易程序）
    ADMIN_ENFORCEMENT = "admin_enforcement"  # 行政强制
    SERIOUS_DISHONESTY = "serious_dishonesty"  # 严重失信主体名单
    CRIMINAL = "criminal"                    # 刑事裁判
    COURT_DISHONESTY = "court_dishonesty"    # 失信被执行人
    WATCH_LIST = "watch_list"                # 重点关注名单


DOMAIN_ZH = {ReportDomain.ADMIN_PENALTY: "行政处罚（含简易程序）", ReportDomain.ADMIN_ENFORCEMENT: "行政强制",
             ReportDomain.SERIOUS_DISHONESTY: "严重失信主体名单", ReportDomain.CRIMINAL: "刑事裁判",
             ReportDomain.COURT_DISHONESTY: "失信被执行人", ReportDomain.WATCH_LIST: "重点关注名单"}
# Domains whose data the platform does not collect yet: the report says so instead of "未发现".
UNCOLLECTED_DOMAINS = {ReportDomain.ADMIN_ENFORCEMENT, ReportDomain.CRIMINAL}


class Requester(enum.StrEnum):
    RESIDENT = "resident"            # a bound person in the mini-program, about themselves
    MERCHANT_OWNER = "merchant_owner"  # a bound owner, about the merchant
    WINDOW = "window"                # an organisation at a service window
    DEPARTMENT = "department"        # a department, for a procurement or approval file


REQUESTER_ZH = {Requester.RESIDENT: "本人（小程序）", Requester.MERCHANT_OWNER: "经营者（小程序）",
                Requester.WINDOW: "政务服务窗口", Requester.DEPARTMENT: "部门"}
PURPOSES = ("招投标", "政府采购", "评优评先", "资质认定", "财政专项申报", "项目申报", "商业贷款", "上市融资", "其他")


class ReportState(enum.StrEnum):
    PENDING = "pending"  # rendered by a job
    READY = "ready"
    FAILED = "failed"


class VerificationOutcome(enum.StrEnum):
    GENUINE = "genuine"
    UNKNOWN_NUMBER = "unknown_number"
    WRONG_CODE = "wrong_code"
    ALTERED = "altered"
    EXPIRED = "expired"
