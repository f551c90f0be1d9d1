"""USCC (GB 32100) and resident id (GB 11643) checks, and masking for display."""

from __future__ import annotations

import secrets
import string

from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from backend.platform.errors import InvalidInput

HANDLE_ALPHABET = string.ascii_letters + string.digits


def valid_uscc(value: str, field: str = "uscc") -> str:
    """The compact USCC; raises InvalidInput naming the field and the reason."""
    try:
        return uscc.validate(value)
    except ValidationError as e:
        raise InvalidInput(f"{field}: not a valid unified social credit code ({e.message})",
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
        raise InvalidInput(f"{field}: not a valid resident id number ({e.message})",
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
