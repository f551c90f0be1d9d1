"""The accounts' vocabulary, and what WeChat's face-verification results mean (no SQLAlchemy, no Flask)."""

from __future__ import annotations

import enum


class VerificationStatus(enum.StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class BindingMethod(enum.StrEnum):
    FACE = "face"  # WeChat 人脸核身 in the mini-program
    COUNTER = "counter"  # a service-window clerk checked the ID card in person


FACE_PASSED = 10000
# queryverifyinfo's verify_ret (WeChat's server API documentation), as a resident should read it.
VERIFY_RET_ZH = {
    10001: "人脸核身参数有误，请重新发起。", 10002: "未能检测到有效的人脸，请在光线充足处重试。",
    10003: "姓名与身份证号不一致，请核对后重试。", 10004: "人脸与身份证信息不一致，未能通过核身。",
    90001: "您的设备不支持人脸核身，可携带身份证到政务服务窗口办理实名绑定。",
    90109: "您的设备不支持人脸核身，可携带身份证到政务服务窗口办理实名绑定。",
    90007: "网络异常，请稍后重试。", 90012: "网络异常，人脸数据上传失败，请稍后重试。",
    90008: "请允许小程序使用相机后重试。", 90009: "请允许小程序使用麦克风后重试。",
    90010: "请允许小程序使用相机和麦克风后重试。", 90017: "人脸核身超时，请重试。", 90107: "人脸核身超时，请重试。",
}
CANCELLED = frozenset(range(90002, 90007))


def verify_ret_zh(verify_ret: int) -> str:
    """The Chinese explanation of a failed face verification."""
    if verify_ret in CANCELLED:
        return "您已取消人脸核身，未完成实名绑定。"
    return VERIFY_RET_ZH.get(verify_ret, "人脸核身未通过，请重试，或携带身份证到政务服务窗口办理实名绑定。")
