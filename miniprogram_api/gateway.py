"""The app's WeChatGateway (one per app) and WeChat failures turned into domain errors."""

from __future__ import annotations

import logging

from flask import current_app

from backend.platform.errors import DomainError, InvalidInput, RateLimited, Unavailable, UpstreamError
from miniprogram_api.wechat import (
    WeChatError,
    WeChatGateway,
    WeChatInvalidCode,
    WeChatRateLimited,
    WeChatUnavailable,
    WxSession,
    cert_hash,
)

log = logging.getLogger(__name__)


class InvalidLoginCode(DomainError):
    """The wx.login() code is malformed, unknown, expired or used already: the client logs in again."""

    status, code = 400, "invalid_login_code"


class WeChatNotConfigured(Unavailable):
    """WECHAT_APP_ID / WECHAT_APP_SECRET are not set: nothing to retry, an operator must configure them."""

    code = "wechat_not_configured"


def gateway() -> WeChatGateway:
    """Created on first use, so tests may point WECHAT_API_BASE_URL at a fake after create_app.

    Raises WeChatNotConfigured (503) without the mini-program's credentials.
    """
    gw = current_app.extensions.get("wechat")
    if gw is None:
        cfg = current_app.config
        if not cfg.get("WECHAT_APP_ID") or not cfg.get("WECHAT_APP_SECRET"):
            raise WeChatNotConfigured("本服务尚未配置微信小程序（WECHAT_APP_ID、WECHAT_APP_SECRET），"
                                      "暂时无法微信登录，请联系平台管理员。")
        gw = current_app.extensions["wechat"] = WeChatGateway(
            cfg["WECHAT_APP_ID"], cfg["WECHAT_APP_SECRET"], api_base_url=cfg["WECHAT_API_BASE_URL"],
            timeout=cfg["WECHAT_TIMEOUT"], redis_url=cfg.get("REDIS_URL"))
    return gw


def domain_error(exc: WeChatError) -> DomainError:
    """The answer our client gets for a WeChat failure (WeChat's message is logged, not returned)."""
    log.warning("WeChat call failed: %s", exc)  # messages are scrubbed of secrets by the gateway
    if isinstance(exc, WeChatInvalidCode):
        return InvalidLoginCode("登录凭证无效或已使用，请重新登录。", details={"errcode": exc.errcode})
    if isinstance(exc, WeChatRateLimited):
        return RateLimited("微信接口调用过于频繁，请稍后再试。", code="wechat_rate_limited",
                           retry_after=exc.retry_after)
    if isinstance(exc, WeChatUnavailable):
        return Unavailable("微信服务暂时不可用，请稍后再试。", code="wechat_unavailable", retry_after=exc.retry_after)
    return UpstreamError("微信服务拒绝了请求。", code="wechat_error", details={"errcode": exc.errcode})


def exchange_login_code(code: str) -> WxSession:
    """jscode2session with at most MP_LOGIN_ATTEMPTS tries, retrying only when WeChat was unavailable.

    Raises DomainError (400 invalid code, 429, 502, 503 with Retry-After).
    """
    attempts = max(1, current_app.config["MP_LOGIN_ATTEMPTS"])
    unavailable: WeChatUnavailable | None = None
    for _ in range(attempts):
        try:
            return gateway().code_to_session(code)
        except ValueError:
            raise InvalidLoginCode("登录凭证格式不正确。") from None
        except WeChatInvalidCode as exc:
            # After a timeout WeChat may have used the code already; the retry then sees 40163.
            if unavailable is not None:
                raise domain_error(unavailable) from None
            raise domain_error(exc) from None
        except WeChatUnavailable as exc:
            unavailable = exc
        except WeChatError as exc:
            raise domain_error(exc) from None
    assert unavailable is not None
    raise domain_error(unavailable) from None


class FaceVerifier:
    """accounts.identity.FaceVerifier over WeChat's 人脸核身 API; WeChat failures as domain errors."""

    def open(self, openid: str, out_seq_no: str, name: str, id_number: str) -> tuple[str, int]:
        try:
            return gateway().get_face_verify_id(openid, out_seq_no, name, id_number)
        except WeChatError as exc:
            raise domain_error(exc) from None

    def result(self, verify_id: str, out_seq_no: str, name: str, id_number: str, openid: str) -> int:
        try:
            return gateway().query_face_verify(verify_id, out_seq_no, cert_hash(name, id_number), openid)
        except (WeChatRateLimited, WeChatUnavailable) as exc:
            raise domain_error(exc) from None
        except WeChatError as exc:  # WeChat refuses a session, openid or identity that does not match
            log.warning("queryverifyinfo refused: %s", exc)
            raise InvalidInput("人脸核身结果无法确认，请重新发起实名绑定。", code="face_verification_invalid",
                               details={"errcode": exc.errcode}) from None


def merchant_wxacode(scene: str, page: str) -> bytes:
    """PNG of an unlimited mini-program code; raises DomainError (429, 502, 503)."""
    try:
        return gateway().get_unlimited_wxacode(scene, page, width=430)
    except WeChatError as exc:
        raise domain_error(exc) from None


def send_subscribe(openid: str, template_id: str, data: dict, page: str | None) -> tuple[int | None, str]:
    """notifications.Sender over WeChat: (0, "ok") when sent, (errcode, why) when WeChat refused, (None, why) when
    it could not be asked. Never raises: the push job records the answer and does not retry."""
    try:
        gateway().send_subscribe_message(openid, template_id, data, page=page)
    except WeChatNotConfigured:
        return None, "wechat not configured"
    except WeChatUnavailable as exc:
        return None, str(exc)
    except WeChatError as exc:
        return exc.errcode, str(exc)
    except ValueError as exc:
        return None, str(exc)
    return 0, "ok"
