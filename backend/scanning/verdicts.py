"""What the staff console shows at a glance: green, amber or red for every scan outcome and refusal (pure).

Green only when a perk may be given now (or, where the scenario grants nothing, the resident may be
served: the code is genuine, the person is rated and not on the black list). Amber when the code is
genuine but nothing may be given, with the reason. Red when the code itself cannot be accepted. The
same answer as the EU DCC verifiers give: full-screen green means "accept", nothing else does.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass

from backend.scanning.vocab import OUTCOME_ZH, PERIOD_ZH, REASON_ZH, Outcome, Refusal, refusal_zh


class Colour(enum.StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


# The finer reason behind a rejected code (qr's detail), where it says more than the outcome.
DETAIL_ZH = {"not_yet_valid": "二维码时间异常（生成时间晚于当前时间）", "unknown_subject": "二维码对应的市民不存在",
             "revoked": "市民已挂失或作废该二维码", "wrong_type": "这不是个人信用码"}
HEADLINE = {Colour.GREEN: "可以发放", Colour.AMBER: "不能发放", Colour.RED: "信用码无效"}


@dataclass(frozen=True)
class Verdict:
    colour: str
    headline: str
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def outcome_verdict(outcome: str, detail: str | None = None) -> Verdict:
    """Red for every outcome but valid (whose colour depends on what may be given)."""
    if outcome == Outcome.VALID:
        return Verdict(Colour.GREEN, HEADLINE[Colour.GREEN], OUTCOME_ZH[Outcome.VALID])
    reason = OUTCOME_ZH[outcome]
    if detail in DETAIL_ZH:
        reason = f"{reason}：{DETAIL_ZH[detail]}"
    return Verdict(Colour.RED, HEADLINE[Colour.RED], reason)


def valid_verdict(refusal: str | None, *, period: str | None = None, unrated: bool = False,
                  grants_nothing: bool = False) -> Verdict:
    """A genuine code: green with no refusal, amber with the refusal in words."""
    if refusal is None:
        return Verdict(Colour.GREEN, "验证通过" if grants_nothing else HEADLINE[Colour.GREEN],
                       "信用码有效" if grants_nothing else "可享优惠见下方")
    return Verdict(Colour.AMBER, HEADLINE[Colour.AMBER], refusal_zh(refusal, period=period, unrated=unrated))


def console_texts() -> dict:
    """Everything the console page needs to colour a verify answer itself (embedded in the page)."""
    return {"outcomes": {o.value: outcome_verdict(o).as_dict() for o in Outcome},
            "details": DETAIL_ZH, "green": HEADLINE[Colour.GREEN],
            "periods": {k.value: v for k, v in PERIOD_ZH.items()}, "refusals": {r.value: REASON_ZH[r] for r in Refusal}}
