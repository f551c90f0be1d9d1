"""The national 双公示 data items of one decision: required fields, party codes, amounts in 万元, dates,
categories. Values in (strings as a department sends them, prefixed CF_/XK_), clean values and problems out."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from backend.disclosure.vocab import (
    AMOUNT_FIELDS,
    AUTHORITY_CODES,
    DATE_FIELDS,
    ID_TYPES,
    LICENCE_CATEGORIES,
    LICENCE_FIELDS,
    LICENCE_REQUIRED,
    LICENCE_STATES,
    MINOR_CATEGORIES,
    OPEN_ENDED,
    PARTY_ALIASES,
    PENALTY_CATEGORIES,
    PENALTY_FIELDS,
    PENALTY_REQUIRED,
    PREFIX,
    SERIOUS_CATEGORIES,
    DecisionKind,
    PartyCategory,
    item_key,
)
from backend.platform.errors import DomainError
from backend.platform.identifiers import valid_resident_id, valid_uscc

Problems = list[tuple[str, str]]
MAX_LENGTH = {"SY": 4000, "NR": 4000, "BZ": 512, "YJ": 1000, "XDR_MC": 200, "WSH": 100}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日")
MAX_WAN = Decimal("1000000000000")  # decimal(18,6)
SPLIT = re.compile(r"[、;；,，]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def field_names(kind: str) -> dict[str, str]:
    return PENALTY_FIELDS if kind == DecisionKind.PENALTY else LICENCE_FIELDS


def parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def penalty_categories(text: str) -> list[str]:
    return [c.strip() for c in SPLIT.split(text) if c.strip()]


def default_severity(categories: list[str]) -> str:
    """轻微 for 警告/通报批评 only, 严重 for revocations, closures and bans, else 一般 (36号令 defaults)."""
    if any(c in SERIOUS_CATEGORIES for c in categories):
        return "serious"
    return "minor" if categories and all(c in MINOR_CATEGORIES for c in categories) else "general"


def clean_items(kind: str, raw: dict, today: dt.date) -> tuple[dict, Problems]:
    """The items without prefix, typed (dates, Decimal amounts, compact codes), and every problem found."""
    prefix, names = PREFIX[DecisionKind(kind)], field_names(kind)
    required = PENALTY_REQUIRED if kind == DecisionKind.PENALTY else LICENCE_REQUIRED
    problems: Problems = []
    known = {prefix + code for code in names if code != "BZ"} | {"BZ"}
    for key in raw:
        if key not in known:
            problems.append((key, "不认识的数据项（请按双公示数据标准填写，如 " + prefix + "WSH）"))
    items: dict = {}
    for code in names:
        key = item_key(prefix, code)
        value = raw.get(key)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = str(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            if code in required:
                problems.append((key, f"{names[code]}为必填项"))
            continue
        if not isinstance(value, str):
            problems.append((key, f"{names[code]}应为文字"))
            continue
        value = value.strip()
        if CONTROL.search(value):  # CSV cells skip the schema's PlainText check
            problems.append((key, f"{names[code]}不能包含控制字符"))
            continue
        if len(value) > MAX_LENGTH.get(code, 300):
            problems.append((key, f"{names[code]}不能超过 {MAX_LENGTH.get(code, 300)} 个字"))
            continue
        items[code] = value
    _typed(kind, prefix, names, items, problems, today)
    return items, problems


def _typed(kind: str, prefix: str, names: dict, items: dict, problems: Problems, today: dt.date) -> None:
    for code in DATE_FIELDS & set(items):
        if items[code] in OPEN_ENDED:
            items[code] = None
            continue
        day = parse_date(items[code])
        if day is None:
            problems.append((prefix + code, f"{names[code]}应为日期，格式 YYYY-MM-DD"))
            items.pop(code)
        else:
            items[code] = day
    for code in AMOUNT_FIELDS & set(items):
        try:
            amount = Decimal(items[code].replace(",", ""))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or not 0 <= amount < MAX_WAN or amount.as_tuple().exponent < -6:
            problems.append((prefix + code,
                             f"{names[code]}应为不小于 0 的数，单位万元，最多 6 位小数（如 0.5 表示五千元）"))
            items.pop(code)
        else:
            items[code] = amount
    for code in AUTHORITY_CODES & set(items):
        try:
            items[code] = valid_uscc(items[code], field=prefix + code)
        except DomainError as e:
            problems.append((prefix + code, e.message))
            items.pop(code)
    decided = items.get("JDRQ")
    if isinstance(decided, dt.date) and decided > today:
        problems.append((prefix + "JDRQ", "决定日期不能晚于今天"))
    _party(prefix, items, problems)
    if kind == DecisionKind.PENALTY:
        _penalty(items, problems)
    else:
        _licence(items, problems)


def _party(prefix: str, items: dict, problems: Problems) -> None:
    category = PARTY_ALIASES.get(items.get("XDR_LB", ""), items.get("XDR_LB"))
    if "XDR_LB" in items and category not in tuple(PartyCategory):
        problems.append((prefix + "XDR_LB", "行政相对人类别应为以下之一：法人及非法人组织、自然人、个体工商户"))
        return
    items["XDR_LB"] = category
    if category == PartyCategory.PERSON:
        if items.get("XDR_ZJLX", "01") not in ID_TYPES:
            problems.append((prefix + "XDR_ZJLX", "证件类型应为 01 身份证、02 护照、03 港澳居民来往内地通行证、"
                                                  "04 台湾居民来往大陆通行证、05 外国人永久居留身份证 之一"))
        if not items.get("XDR_ZJHM"):
            problems.append((prefix + "XDR_ZJHM", "行政相对人为自然人时，证件号码为必填项"))
        elif items.get("XDR_ZJLX", "01") == "01":
            try:
                items["XDR_ZJHM"] = valid_resident_id(items["XDR_ZJHM"], field=prefix + "XDR_ZJHM")
            except DomainError as e:
                problems.append((prefix + "XDR_ZJHM", e.message))
        else:
            problems.append((prefix + "XDR_ZJLX", "本平台目前只能按居民身份证（01）建立自然人信用档案"))
        if items.get("XDR_SHXYM"):
            problems.append((prefix + "XDR_SHXYM", "自然人不填写统一社会信用代码"))
    elif category is not None:
        if not items.get("XDR_SHXYM"):
            problems.append((prefix + "XDR_SHXYM", "法人、非法人组织和个体工商户须填写统一社会信用代码"))
        else:
            try:
                items["XDR_SHXYM"] = valid_uscc(items["XDR_SHXYM"], field=prefix + "XDR_SHXYM")
            except DomainError as e:
                problems.append((prefix + "XDR_SHXYM", e.message))
        if category == PartyCategory.LEGAL and not items.get("FRDB"):
            problems.append((prefix + "FRDB", "法人及非法人组织须填写法定代表人"))


def _penalty(items: dict, problems: Problems) -> None:
    if "CFLB" in items:
        categories = penalty_categories(items["CFLB"])
        unknown = [c for c in categories if c not in PENALTY_CATEGORIES]
        if unknown or not categories:
            problems.append(("CF_CFLB", "处罚类别应为《行政处罚法》第九条的种类之一"
                                        f"（{'、'.join(PENALTY_CATEGORIES)}），"
                                        f"多个用“、”分隔；不认识：{'、'.join(unknown) or '空'}"))
        else:
            items["CFLB"] = "、".join(categories)
            if "罚款" in categories and items.get("NR_FK") is None:
                problems.append(("CF_NR_FK", "处罚类别含罚款时须填写罚款金额（万元）"))
    jd, end = items.get("JDRQ"), items.get("GSJZQ")
    if isinstance(jd, dt.date) and isinstance(end, dt.date) and end < jd:
        problems.append(("CF_GSJZQ", "公示截止期不能早于处罚决定日期"))
    if isinstance(jd, dt.date) and isinstance(items.get("YXQ"), dt.date) and items["YXQ"] < jd:
        problems.append(("CF_YXQ", "处罚有效期不能早于处罚决定日期"))


def _licence(items: dict, problems: Problems) -> None:
    category = items.get("XKLB")
    if category is not None:
        by_name = {zh: code for code, zh in LICENCE_CATEGORIES.items()}
        category = by_name.get(category, category)
        if category not in LICENCE_CATEGORIES:
            problems.append(("XK_XKLB", "许可类别应为 01 普通、02 特许、03 认可、04 核准、05 登记、06 其他 之一"))
        else:
            items["XKLB"] = category
    state = items.get("ZT")
    if state is not None:
        state = {"有效": "1", "无效": "2"}.get(state, state)
        if state not in LICENCE_STATES:
            problems.append(("XK_ZT", "当前状态应为 1（有效）或 2（无效）"))
        else:
            items["ZT"] = state
    start, end = items.get("YXQZ"), items.get("YXQZI")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        problems.append(("XK_YXQZI", "有效期至不能早于有效期自"))
