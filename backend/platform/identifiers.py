"""USCC (GB 32100) and resident id (GB 11643) checks, and masking for display."""

from __future__ import annotations

import secrets
import string

from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from backend.platform.errors import InvalidInput

HANDLE_ALPHABET = string.ascii_letters + string.digits


# Why stdnum refused a number, in words a clerk can act on.
PROBLEM_ZH = {"InvalidLength": "位数不对", "InvalidFormat": "含有不允许的字符", "InvalidChecksum": "校验位不符",
              "InvalidComponent": "其中的日期或地区码不存在"}
USCC_RULE = ("统一社会信用代码应为 18 位：数字和大写字母（不含 I、O、Z、S、V），"
             "第 18 位是按 GB 32100-2015 计算的校验码")
RESIDENT_ID_RULE = ("居民身份证号应为 18 位：6 位地区码、8 位出生日期、3 位顺序码，"
                    "第 18 位是按 GB 11643 计算的校验码（0–9 或 X）")


def _problem(e: ValidationError) -> str:
    return PROBLEM_ZH.get(type(e).__name__, "格式不正确")


def valid_uscc(value: str, field: str = "uscc") -> str:
    """The compact USCC; raises InvalidInput naming the field and the reason."""
    try:
        return uscc.validate(value)
    except ValidationError as e:
        raise InvalidInput(f"{field}：不是有效的统一社会信用代码（{_problem(e)}）。{USCC_RULE}。",
                           code="invalid_uscc", details={"field": field}) from None


def valid_resident_id(value: str, field: str = "id_number") -> str:
    """The compact 18-character resident id; raises InvalidInput naming the field and the reason.

    stdnum's ric.validate also rejects a region code that did not exist in the birth year
    (441502 城区 dates from 1988), but the code records where the card was first issued, so
    Shanwei residents born before 1988 hold 4415xx ids. We check format, GB 11643 check digit,
    birth date and that the region code exists at all.
    """
    compact = ric.compact(value or "").upper()
    try:
        if len(compact) != 18 or not compact[:17].isdigit() or compact[17] not in "0123456789X":
            raise ric.InvalidFormat()
        if ric.calc_check_digit(compact) != compact[17]:
            raise ric.InvalidChecksum()
        ric.get_birth_date(compact)
        if not dict(p for _, props in numdb.get("cn/loc").info(compact[:6]) for p in props.items()).get("county"):
            raise ric.InvalidComponent()
    except ValidationError as e:
        raise InvalidInput(f"{field}：不是有效的居民身份证号（{_problem(e)}）。{RESIDENT_ID_RULE}。",
                           code="invalid_resident_id", details={"field": field}) from None
    return compact


def mask_resident_id(value: str) -> str:
    """4415**********123X: region prefix and last four only."""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def new_handle(length: int = 8) -> str:
    """An opaque random public handle (~47 bits for 8 characters)."""
    return "".join(secrets.choice(HANDLE_ALPHABET) for _ in range(length))
