"""WeChat mini-program API gateway: the only module that imports wechatpy."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage
from wechatpy.session.memorystorage import MemoryStorage

logger = logging.getLogger(__name__)

T = TypeVar("T")

# invalid credential / invalid access_token / access_token expired
_TOKEN_ERRORS = frozenset({40001, 40014, 42001})
_CODE_RE = re.compile(r"[\x21-\x7e]{1,128}")
_SCENE_RE = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}")
_PAGE_RE = re.compile(r"[\x21-\x7e]{1,256}")
_ENV_VERSIONS = frozenset({"release", "trial", "develop"})
_SEQ_RE = re.compile(r"[0-9A-Za-z_-]{5,32}")
CERT_TYPE = "IDENTITY_CARD"


def cert_hash(name: str, id_number: str, cert_type: str = CERT_TYPE) -> str:
    """WeChat's digest of the identity a face verification was opened for (queryverifyinfo's cert_hash):
    SHA-256, lowercase hex, of cert_type=<b64>&cert_name=<b64>&cert_no=<b64> (standard base64, UTF-8)."""
    def b64(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    joined = f"cert_type={b64(cert_type)}&cert_name={b64(name)}&cert_no={b64(id_number)}"
    return hashlib.sha256(joined.encode("ascii")).hexdigest()


class WeChatError(Exception):
    """WeChat refused or failed a call; `errcode` is WeChat's, None when no errcode came back."""

    default_retry_after: int | None = None

    def __init__(self, message: str, *, errcode: int | None = None, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.errcode = errcode
        self.retry_after = retry_after if retry_after is not None else self.default_retry_after


class WeChatInvalidCode(WeChatError):
    """The login code is unknown, expired (40029) or already used (40163)."""


class WeChatRateLimited(WeChatError):
    """WeChat's quota for this API is spent (45011, 45009); retry after `retry_after` seconds."""

    default_retry_after = 60


class WeChatUnavailable(WeChatError):
    """WeChat is busy, slow, unreachable or answered garbage; worth retrying later."""

    default_retry_after = 5


@dataclass(frozen=True)
class WxSession:
    """What jscode2session returns; session_key stays on the server and out of repr/logs."""

    openid: str
    session_key: str = field(repr=False)
    unionid: str | None = None


class _Client(WeChatClient):
    """wechatpy client aimed at a configurable base URL, with a timeout on the token fetch."""

    def __init__(self, app_id: str, app_secret: str, *, base: str, timeout: float, session: SessionStorage) -> None:
        # auto_retry=False: wechatpy retries token errors without bound (RecursionError).
        super().__init__(app_id, app_secret, session=session, timeout=timeout, auto_retry=False)
        self._base = base
        # Per instance; the client-level APIs keep wechatpy's cgi-bin/ convention.
        self.API_BASE_URL = base + "cgi-bin/"
        self.wxa.API_BASE_URL = base

    def fetch_access_token(self) -> dict[str, Any]:
        """Fetch and store a new access token; raises WeChatClientException or requests errors."""
        # wechatpy hard-codes https://api.weixin.qq.com here and sends no timeout at all.
        res = self._http.get(
            self._base + "cgi-bin/token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            timeout=self.timeout,
        )
        result = self._handle_result(_checked(res, self))  # raises on a non-zero errcode
        if not isinstance(result, dict) or not isinstance(result.get("access_token"), str):
            raise WeChatClientException(None, "no access_token in answer", client=self, response=res)
        token, expires_in = result["access_token"], result.get("expires_in")
        if not isinstance(expires_in, int) or expires_in <= 0:
            expires_in = 7200
        self.session.set(self.access_token_key, token, expires_in)
        self.expires_at = int(time.time()) + expires_in
        return result


def _checked(res: requests.Response, client: Any) -> requests.Response:
    """Return res if its status is below 400; raises WeChatClientException(errcode=None) otherwise."""
    if not res.ok:
        raise WeChatClientException(None, f"HTTP {res.status_code}", client=client, response=res)
    return res


class WeChatGateway:
    """Calls the WeChat mini-program APIs the project needs, raising WeChatError subclasses."""

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        *,
        api_base_url: str = "https://api.weixin.qq.com",
        timeout: float = 3.0,
        redis_url: str | None = None,
    ) -> None:
        self._secret = app_secret
        storage: SessionStorage
        if redis_url:
            # Shared so gunicorn workers reuse one token instead of invalidating each other's.
            import redis
            from wechatpy.session.redisstorage import RedisStorage

            # Bounded like the WeChat calls themselves: a hung Redis must not hang the request.
            client = redis.Redis.from_url(redis_url, socket_connect_timeout=timeout, socket_timeout=timeout)
            storage = RedisStorage(client, prefix="wechatpy")
        else:
            storage = MemoryStorage()
        self._client = _Client(
            app_id, app_secret, base=api_base_url.rstrip("/") + "/", timeout=timeout, session=storage
        )

    def code_to_session(self, code: str) -> WxSession:
        """Exchange a wx.login() code for a session (exactly 1 HTTP request).

        Raises ValueError for a malformed code, WeChatInvalidCode, WeChatRateLimited,
        WeChatUnavailable or WeChatError.
        """
        if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
            raise ValueError("login code must be 1-128 visible ASCII characters")

        def call() -> WxSession:
            # access_token=None: jscode2session needs none, and wechatpy would fetch one first.
            result = self._client.wxa._get(
                "sns/jscode2session",
                params={
                    "appid": self._client.appid,
                    "secret": self._secret,
                    "js_code": code,
                    "grant_type": "authorization_code",
                    "access_token": None,
                },
            )
            if not isinstance(result, dict):
                raise WeChatUnavailable("jscode2session answered non-JSON")
            openid, session_key = result.get("openid"), result.get("session_key")
            if not isinstance(openid, str) or not openid or not isinstance(session_key, str) or not session_key:
                raise WeChatUnavailable("jscode2session answer lacks openid or session_key")
            unionid = result.get("unionid")
            return WxSession(openid, session_key, unionid if isinstance(unionid, str) and unionid else None)

        return self._translated("jscode2session", call)

    def get_unlimited_wxacode(
        self,
        scene: str,
        page: str,
        *,
        width: int = 430,
        check_path: bool = False,
        env_version: str = "release",
    ) -> bytes:
        """Return the image bytes of an unlimited mini-program code (at most 4 HTTP requests).

        Worst case: token fetch, call, token refresh after a token error, one retry.
        Raises ValueError for bad arguments, WeChatRateLimited, WeChatUnavailable or WeChatError.
        """
        if not isinstance(scene, str) or not _SCENE_RE.fullmatch(scene):
            raise ValueError("scene must be 1-32 characters of 0-9A-Za-z!#$&'()*+,/:;=?@-._~")
        if not isinstance(page, str) or not _PAGE_RE.fullmatch(page) or page.startswith("/"):
            raise ValueError("page must be a visible-ASCII path without a leading '/'")
        if isinstance(width, bool) or not isinstance(width, int) or not 280 <= width <= 1280:
            raise ValueError("width must be an integer from 280 to 1280")
        if env_version not in _ENV_VERSIONS:
            raise ValueError("env_version must be release, trial or develop")
        body = {"scene": scene, "page": page, "width": width, "check_path": check_path, "env_version": env_version}

        def call(token: str) -> bytes:
            # wechatpy's get_wxa_code_unlimited cannot send check_path/env_version.
            result = self._client.wxa._post("wxa/getwxacodeunlimit", params={"access_token": token}, data=body)
            # Errors come back as JSON (wechatpy raised on errcode already); an image is not JSON.
            if isinstance(result, requests.Response) and result.headers.get("Content-Type", "").startswith("image/"):
                return result.content
            raise WeChatUnavailable("getwxacodeunlimit answered neither an image nor an errcode")

        return self._translated("getwxacodeunlimit", lambda: self._with_token(call))

    def get_face_verify_id(self, openid: str, out_seq_no: str, name: str, id_number: str) -> tuple[str, int]:
        """Open a face-verification session (人脸核身) for this user and identity: (verify_id, expires_in).

        Raises ValueError for bad arguments, WeChatRateLimited, WeChatUnavailable or WeChatError.
        """
        if not _SEQ_RE.fullmatch(out_seq_no or ""):
            raise ValueError("out_seq_no must be 5-32 characters of [0-9A-Za-z_-]")
        body = {"out_seq_no": out_seq_no, "openid": openid,
                "cert_info": {"cert_type": CERT_TYPE, "cert_name": name, "cert_no": id_number}}

        def call(token: str) -> tuple[str, int]:
            result = self._client.wxa._post("cityservice/face/identify/getverifyid",
                                            params={"access_token": token}, data=body)
            verify_id = result.get("verify_id") if isinstance(result, dict) else None
            if not isinstance(verify_id, str) or not verify_id:
                raise WeChatUnavailable("getverifyid answer lacks verify_id")
            expires_in = result.get("expires_in")
            return verify_id, expires_in if isinstance(expires_in, int) and expires_in > 0 else 3600

        return self._translated("getverifyid", lambda: self._with_token(call))

    def query_face_verify(self, verify_id: str, out_seq_no: str, cert_hash_hex: str, openid: str) -> int:
        """The face-verification result (verify_ret: 10000 passed) of a session; raises as get_face_verify_id."""
        body = {"verify_id": verify_id, "out_seq_no": out_seq_no, "cert_hash": cert_hash_hex, "openid": openid}

        def call(token: str) -> int:
            result = self._client.wxa._post("cityservice/face/identify/queryverifyinfo",
                                            params={"access_token": token}, data=body)
            verify_ret = result.get("verify_ret") if isinstance(result, dict) else None
            if not isinstance(verify_ret, int) or isinstance(verify_ret, bool):
                raise WeChatUnavailable("queryverifyinfo answer lacks verify_ret")
            return verify_ret

        return self._translated("queryverifyinfo", lambda: self._with_token(call))

    def send_subscribe_message(self, openid: str, template_id: str, data: dict, page: str | None = None) -> None:
        """Send one subscribe message (subscribeMessage.send, cgi-bin/message/subscribe/send) through wechatpy.

        Raises WeChatError with WeChat's errcode: 43101 the user did not subscribe (or used the subscription up),
        40037 invalid template, 47003 bad data, 40003 invalid openid, 45009 (WeChatRateLimited) daily quota;
        WeChatUnavailable when WeChat cannot be reached.
        """
        if not openid or not template_id or not isinstance(data, dict):
            raise ValueError("openid, template_id and data are required")
        # The token wechatpy fills in is the session's current one; _with_token refreshes it once on a token error.
        self._translated("subscribe/send", lambda: self._with_token(
            lambda _token: self._client.wxa.send_subscribe_message(openid, template_id, data, page=page)))

    def _with_token(self, call: Callable[[str], T]) -> T:
        """Run call(token); after a token error refresh the token once and run it once more."""
        try:
            return call(self._client.access_token)
        except WeChatClientException as exc:
            if exc.errcode not in _TOKEN_ERRORS:
                raise
            logger.info("WeChat rejected the access token (errcode %s); refreshing once", exc.errcode)
        self._client.fetch_access_token()
        return call(self._client.session.get(self._client.access_token_key))

    def _translated(self, api: str, call: Callable[[], T]) -> T:
        """Run call, turning wechatpy and requests exceptions into WeChatError subclasses."""
        try:
            return call()
        except (WeChatClientException, requests.RequestException) as exc:
            error = self._domain_error(api, exc)
        # Raised outside the except block so no __context__ is kept: wechatpy and requests
        # exceptions carry URLs with the secret or access token, and the client itself.
        raise error

    def _domain_error(self, api: str, exc: Exception) -> WeChatError:
        if isinstance(exc, requests.Timeout):
            return WeChatUnavailable(f"{api}: WeChat did not answer in time")
        if isinstance(exc, requests.RequestException):
            return WeChatUnavailable(f"{api}: {type(exc).__name__} talking to WeChat")
        assert isinstance(exc, WeChatClientException)
        code, msg = exc.errcode, self._scrub(str(exc.errmsg))[:200]
        if code is None:
            status = exc.response.status_code if exc.response is not None else None
            if status == 429:
                return WeChatRateLimited(f"{api}: HTTP 429")
            if status is None or status >= 500 or status < 300:
                return WeChatUnavailable(f"{api}: {msg}")
            return WeChatError(f"{api}: {msg}")
        text = f"{api}: errcode {code} ({msg})"
        if code in (40029, 40163):
            return WeChatInvalidCode(text, errcode=code)
        if code in (45011, 45009):
            return WeChatRateLimited(text, errcode=code)
        if code == -1:
            return WeChatUnavailable(text, errcode=code)
        return WeChatError(text, errcode=code)

    def _scrub(self, text: str) -> str:
        # WeChat's errmsg is not known to echo credentials; make sure it never can.
        secrets = [self._secret, self._client.session.get(self._client.access_token_key)]
        for secret in secrets:
            if secret:
                text = text.replace(secret, "***")
        return text
