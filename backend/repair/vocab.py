"""Repair applications' vocabulary (国办发〔2025〕22号, 36号令; Shenzhen art. 79–85 for the steps)."""

from __future__ import annotations

import enum


class RepairState(enum.StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"  # 一次性告知: every missing item listed at once; the applicant completes
    UNDER_REVIEW = "under_review"  # accepted: the filing department reviews (谁认定、谁修复)
    EXTENDED = "extended"  # the decision deadline was extended once, with a reason
    APPROVED = "approved"
    DENIED = "denied"
    PROPAGATED = "propagated"  # approved and the result shared: publication ended, lists ended, feed item


STATE_ZH = {RepairState.SUBMITTED: "已提交，待受理", RepairState.RETURNED: "材料不全，请补正",
            RepairState.UNDER_REVIEW: "已受理，认定部门审查中", RepairState.EXTENDED: "审查期限已延长",
            RepairState.APPROVED: "准予信用修复", RepairState.DENIED: "不予信用修复",
            RepairState.PROPAGATED: "已修复，结果已同步"}
OPEN_STATES = (RepairState.SUBMITTED, RepairState.RETURNED, RepairState.UNDER_REVIEW, RepairState.EXTENDED)
REVIEW_STATES = (RepairState.UNDER_REVIEW, RepairState.EXTENDED)
# Every step of an application, as its history names them (accepted is a step, not a resting state).
STEP_ZH = {**STATE_ZH, "accepted": "已受理", "completed": "已补正材料"}


class Channel(enum.StrEnum):
    RESIDENT = "resident"  # a person, in the mini-program
    MERCHANT_OWNER = "merchant_owner"  # a merchant's bound owner, in the mini-program
    WINDOW = "window"  # an organisation, at a service window (政务服务大厅信用修复窗口)


CHANNEL_ZH = {Channel.RESIDENT: "小程序（本人）", Channel.MERCHANT_OWNER: "小程序（商户经营者）",
              Channel.WINDOW: "政务服务窗口"}
