"""WeChatGateway against the fake WeChat server, over real HTTP."""

from __future__ import annotations

import base64
import io
import socket
import time
import traceback
import uuid
from collections.abc import Iterator

import pytest
import requests
import zxingcpp
from PIL import Image

from backend.demo.wechat_fake import FakeWeChat
from miniprogram_api.wechat import (
    WeChatError,
    WeChatGateway,
    WeChatInvalidCode,
    WeChatRateLimited,
    WeChatUnavailable,
    WxSession,
)

JSCODE = "/sns/jscode2session"
TOKEN = "/cgi-bin/token"
WXACODE = "/wxa/getwxacodeunlimit"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def fake() -> Iterator[FakeWeChat]:
    with FakeWeChat() as server:
        yield server


@pytest.fixture
def gateway(fake: FakeWeChat) -> WeChatGateway:
    return WeChatGateway(fake.app_id, fake.app_secret, api_base_url=fake.base_url, timeout=2.0)


def assert_leaks_nothing(exc: BaseException, *secrets: str) -> None:
    """The exception, its repr and its printed traceback mention none of the secrets."""
    assert exc.__cause__ is None and exc.__context__ is None
    printed = "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)
    for secret in secrets:
        assert secret not in printed


# -- login (jscode2session) ------------------------------------------------


def test_login_returns_openid_and_session_key(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    session = gateway.code_to_session(fake.issue_login_code("o-alice", unionid="u-alice"))
    assert session.openid == "o-alice"
    assert session.unionid == "u-alice"
    assert len(base64.b64decode(session.session_key)) == 16
    assert session.session_key not in repr(session)


def test_login_without_unionid(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    assert gateway.code_to_session(fake.issue_login_code()).unionid is None


def test_each_login_gets_a_fresh_session_key(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    first = gateway.code_to_session(fake.issue_login_code("o-bob"))
    second = gateway.code_to_session(fake.issue_login_code("o-bob"))
    assert first.openid == second.openid and first.session_key != second.session_key


def test_jscode2session_sends_no_access_token(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    gateway.code_to_session(fake.issue_login_code())
    (sent,) = fake.requests_to(JSCODE)
    assert "access_token" not in sent.query
    assert sent.query["grant_type"] == "authorization_code"
    assert fake.requests_to(TOKEN) == []


def test_unknown_code_is_invalid(gateway: WeChatGateway) -> None:
    with pytest.raises(WeChatInvalidCode) as caught:
        gateway.code_to_session("never-issued")
    assert caught.value.errcode == 40029


def test_expired_code_is_invalid(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    t0 = time.time()
    code = fake.issue_login_code()
    fake.now = lambda: t0 + 301
    with pytest.raises(WeChatInvalidCode) as caught:
        gateway.code_to_session(code)
    assert caught.value.errcode == 40029


def test_reused_code_is_invalid(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    code = fake.issue_login_code()
    gateway.code_to_session(code)
    with pytest.raises(WeChatInvalidCode) as caught:
        gateway.code_to_session(code)
    assert caught.value.errcode == 40163


@pytest.mark.parametrize("errcode", [45011, 45009])
def test_quota_spent_is_rate_limited(fake: FakeWeChat, gateway: WeChatGateway, errcode: int) -> None:
    fake.fail_next(JSCODE, errcode, "api minute-quota reach limit")
    with pytest.raises(WeChatRateLimited) as caught:
        gateway.code_to_session(fake.issue_login_code())
    assert caught.value.errcode == errcode and caught.value.retry_after == 60
    assert len(fake.requests) == 1


def test_system_busy_is_unavailable(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    fake.fail_next(JSCODE, -1, "system error")
    with pytest.raises(WeChatUnavailable) as caught:
        gateway.code_to_session(fake.issue_login_code())
    assert caught.value.errcode == -1 and caught.value.retry_after == 5
    assert len(fake.requests) == 1


def test_other_errcode_is_plain_wechat_error(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    fake.fail_next(JSCODE, 40226, "high risk user")
    with pytest.raises(WeChatError) as caught:
        gateway.code_to_session(fake.issue_login_code())
    assert type(caught.value) is WeChatError
    assert caught.value.errcode == 40226 and caught.value.retry_after is None


def test_timeout_is_unavailable_within_bounded_time(fake: FakeWeChat) -> None:
    gateway = WeChatGateway(fake.app_id, fake.app_secret, api_base_url=fake.base_url, timeout=0.5)
    fake.delay_next(JSCODE, 2.0)
    started = time.monotonic()
    with pytest.raises(WeChatUnavailable) as caught:
        gateway.code_to_session(fake.issue_login_code())
    assert time.monotonic() - started < 1.5
    assert caught.value.errcode is None and caught.value.retry_after == 5
    assert len(fake.requests) == 1


@pytest.mark.parametrize("status", [502, 503])
def test_http_5xx_is_unavailable(fake: FakeWeChat, gateway: WeChatGateway, status: int) -> None:
    fake.http_status_next(JSCODE, status)
    with pytest.raises(WeChatUnavailable):
        gateway.code_to_session(fake.issue_login_code())


def test_non_json_answer_is_unavailable(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    fake.respond_next(JSCODE, b"<html>maintenance</html>", "text/html")
    with pytest.raises(WeChatUnavailable):
        gateway.code_to_session(fake.issue_login_code())


def test_answer_without_openid_is_unavailable_and_hides_session_key(
    fake: FakeWeChat, gateway: WeChatGateway
) -> None:
    fake.respond_next(JSCODE, b'{"session_key": "SECRET-SESSION-KEY=="}', "application/json")
    with pytest.raises(WeChatUnavailable) as caught:
        gateway.code_to_session(fake.issue_login_code())
    assert_leaks_nothing(caught.value, "SECRET-SESSION-KEY")


def test_unreachable_wechat_is_unavailable_and_hides_secret(fake: FakeWeChat) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    gateway = WeChatGateway(fake.app_id, fake.app_secret, api_base_url=f"http://127.0.0.1:{closed_port}/")
    with pytest.raises(WeChatUnavailable) as caught:
        gateway.code_to_session(fake.issue_login_code())
    assert_leaks_nothing(caught.value, fake.app_secret)


def test_wrong_secret_is_wechat_error_without_the_secret(fake: FakeWeChat) -> None:
    wrong = "wrong-secret-ffffffffffffffff"
    gateway = WeChatGateway(fake.app_id, wrong, api_base_url=fake.base_url)
    with pytest.raises(WeChatError) as caught:
        gateway.code_to_session(fake.issue_login_code())
    assert caught.value.errcode == 40125
    assert_leaks_nothing(caught.value, wrong, fake.app_secret)


@pytest.mark.parametrize("code", ["", "x" * 129, "has space", "码", "tab\t", None])
def test_malformed_code_rejected_before_any_request(
    fake: FakeWeChat, gateway: WeChatGateway, code: object
) -> None:
    with pytest.raises(ValueError):
        gateway.code_to_session(code)  # type: ignore[arg-type]
    assert fake.requests == []


# -- unlimited mini-program code (getwxacodeunlimit) -------------------------


def test_wxacode_is_a_png_of_the_scene(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    scene = "m=91441500MA4W&s=2"
    png = gateway.get_unlimited_wxacode(scene, "pages/index/index", width=430)
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    assert 280 <= image.width <= 430
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [scene]
    (sent,) = fake.requests_to(WXACODE)
    assert sent.json == {
        "scene": scene, "page": "pages/index/index", "width": 430, "check_path": False, "env_version": "release",
    }
    assert sent.query["access_token"] == fake.issued_tokens[0]


def test_wxacode_reuses_the_token(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    gateway.get_unlimited_wxacode("a=1", "pages/index/index")
    gateway.get_unlimited_wxacode("a=2", "pages/index/index")
    assert len(fake.requests_to(TOKEN)) == 1
    assert len(fake.requests_to(WXACODE)) == 2


@pytest.mark.parametrize(
    ("scene", "page", "kwargs"),
    [
        ("x" * 33, "pages/index/index", {}),
        ("", "pages/index/index", {}),
        ("a b", "pages/index/index", {}),
        ("场景", "pages/index/index", {}),
        ("a=1", "/pages/index/index", {}),
        ("a=1", "", {}),
        ("a=1", "pages/index/index", {"width": 279}),
        ("a=1", "pages/index/index", {"width": 1281}),
        ("a=1", "pages/index/index", {"width": True}),
        ("a=1", "pages/index/index", {"env_version": "beta"}),
    ],
)
def test_bad_wxacode_arguments_rejected_before_any_request(
    fake: FakeWeChat, gateway: WeChatGateway, scene: str, page: str, kwargs: dict
) -> None:
    with pytest.raises(ValueError):
        gateway.get_unlimited_wxacode(scene, page, **kwargs)
    assert fake.requests == []


def test_wxacode_scene_of_32_allowed_chars_accepted(gateway: WeChatGateway) -> None:
    scene = "0aZ!#$&'()*+,/:;=?@-._~" + "x" * 9
    assert len(scene) == 32
    assert gateway.get_unlimited_wxacode(scene, "pages/index/index").startswith(PNG_SIGNATURE)


def test_wxacode_unknown_page_with_check_path_is_wechat_error(gateway: WeChatGateway) -> None:
    with pytest.raises(WeChatError) as caught:
        gateway.get_unlimited_wxacode("a=1", "pages/nowhere/nowhere", check_path=True)
    assert caught.value.errcode == 41030


def test_expired_token_is_refreshed_once_and_retried_once(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    gateway.get_unlimited_wxacode("a=1", "pages/index/index")
    fake.expire_tokens()
    assert gateway.get_unlimited_wxacode("a=2", "pages/index/index").startswith(PNG_SIGNATURE)
    assert len(fake.requests_to(TOKEN)) == 2
    assert len(fake.requests_to(WXACODE)) == 3
    assert fake.requests_to(WXACODE)[-1].query["access_token"] == fake.issued_tokens[-1]


@pytest.mark.parametrize("errcode", [40001, 40014, 42001])
def test_token_error_retried_once(fake: FakeWeChat, gateway: WeChatGateway, errcode: int) -> None:
    fake.fail_next(WXACODE, errcode, "access_token expired")
    assert gateway.get_unlimited_wxacode("a=1", "pages/index/index").startswith(PNG_SIGNATURE)
    assert len(fake.requests) == 4  # token, call, token, call


def test_always_40001_gives_up_after_four_requests(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    fake.fail_next(WXACODE, 40001, "invalid credential", times=None)
    with pytest.raises(WeChatError) as caught:
        gateway.get_unlimited_wxacode("a=1", "pages/index/index")
    assert caught.value.errcode == 40001
    assert [r.path for r in fake.requests] == [TOKEN, WXACODE, TOKEN, WXACODE]
    assert_leaks_nothing(caught.value, fake.app_secret, *fake.issued_tokens)


def test_wxacode_rate_limited_not_retried(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    fake.fail_next(WXACODE, 45009, "reach max api daily quota limit")
    with pytest.raises(WeChatRateLimited) as caught:
        gateway.get_unlimited_wxacode("a=1", "pages/index/index")
    assert caught.value.retry_after == 60
    assert len(fake.requests_to(WXACODE)) == 1


def test_wxacode_502_is_unavailable(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    fake.http_status_next(WXACODE, 502)
    with pytest.raises(WeChatUnavailable):
        gateway.get_unlimited_wxacode("a=1", "pages/index/index")


def test_token_endpoint_timeout_is_bounded(fake: FakeWeChat) -> None:
    gateway = WeChatGateway(fake.app_id, fake.app_secret, api_base_url=fake.base_url, timeout=0.5)
    fake.delay_next(TOKEN, 2.0)
    started = time.monotonic()
    with pytest.raises(WeChatUnavailable):
        gateway.get_unlimited_wxacode("a=1", "pages/index/index")
    assert time.monotonic() - started < 1.5


def test_token_endpoint_502_is_unavailable(fake: FakeWeChat, gateway: WeChatGateway) -> None:
    fake.http_status_next(TOKEN, 502)
    with pytest.raises(WeChatUnavailable):
        gateway.get_unlimited_wxacode("a=1", "pages/index/index")


def test_wxacode_wrong_secret_hides_secret(fake: FakeWeChat) -> None:
    wrong = "wrong-secret-eeeeeeeeeeeeeeee"
    gateway = WeChatGateway(fake.app_id, wrong, api_base_url=fake.base_url)
    with pytest.raises(WeChatError) as caught:
        gateway.get_unlimited_wxacode("a=1", "pages/index/index")
    assert caught.value.errcode == 40125
    assert_leaks_nothing(caught.value, wrong)


def test_redis_storage_shares_the_token_between_workers() -> None:
    url = "redis://127.0.0.1:6379/0"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        client.ping()
    except Exception:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    app_id = "wx" + uuid.uuid4().hex[:16]
    try:
        with FakeWeChat(app_id=app_id) as fake:
            workers = [
                WeChatGateway(app_id, fake.app_secret, api_base_url=fake.base_url, redis_url=url) for _ in range(2)
            ]
            for n, worker in enumerate(workers):
                worker.get_unlimited_wxacode(f"w={n}", "pages/index/index")
            assert len(fake.requests_to(TOKEN)) == 1
    finally:
        client.delete(f"wechatpy:{app_id}_access_token")


# -- the fake itself ---------------------------------------------------------


def test_fake_rejects_missing_code_and_wrong_app(fake: FakeWeChat) -> None:
    params = {"appid": fake.app_id, "secret": fake.app_secret, "grant_type": "authorization_code"}
    assert requests.get(fake.base_url + JSCODE, params=params, timeout=2).json()["errcode"] == 41008
    token = {"grant_type": "client_credential", "appid": "wx-other", "secret": fake.app_secret}
    answer = requests.get(fake.base_url + TOKEN, params=token, timeout=2)
    assert answer.status_code == 200 and answer.json()["errcode"] == 40013


def test_fake_stops_promptly_with_a_delayed_request_pending() -> None:
    fake = FakeWeChat().start()
    fake.delay_next(TOKEN, 30.0)
    with pytest.raises(requests.Timeout):
        requests.get(fake.base_url + TOKEN, timeout=0.2)
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 2.0


def test_wx_session_is_frozen() -> None:
    session = WxSession("o", "k", None)
    with pytest.raises(AttributeError):
        session.openid = "other"  # type: ignore[misc]
