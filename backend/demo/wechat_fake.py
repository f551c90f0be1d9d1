"""A fake WeChat API server on 127.0.0.1 that speaks the real protocol, for tests."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import qrcode

CODE_LIFETIME = 300  # a wx.login code is valid for 5 minutes
TOKEN_LIFETIME = 7200
SCENE_CHARS = frozenset(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$&'()*+,/:;=?@-._~"
)


@dataclass
class RecordedRequest:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict[str, str]
    json: Any


@dataclass
class _LoginCode:
    openid: str
    unionid: str | None
    issued_at: float
    used: bool = False


@dataclass
class _Face:
    """A face-verification session opened by getverifyid; `verify_ret` is set when the user finishes."""

    out_seq_no: str
    cert_info: dict[str, str]
    openid: str
    expires_at: float
    verify_ret: int | None = None


FACE_LIFETIME = 3600
SEQ_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")


def cert_hash(cert_info: dict[str, str]) -> str:
    """WeChat's documented cert_hash of the cert_info a session was opened for."""
    parts = [f"{k}={base64.b64encode(cert_info[k].encode()).decode()}" for k in ("cert_type", "cert_name", "cert_no")]
    return hashlib.sha256("&".join(parts).encode()).hexdigest()


@dataclass
class _Rule:
    """A queued fault: answers (or delays) the next `times` requests under `prefix`."""

    prefix: str
    times: int | None  # None: every matching request, forever
    action: dict[str, Any] = field(default_factory=dict)

    def take(self, path: str) -> bool:
        if not path.startswith(self.prefix) or self.times == 0:
            return False
        if self.times is not None:
            self.times -= 1
        return True


class FakeWeChat:
    """Fake api.weixin.qq.com: cgi-bin/token, sns/jscode2session, wxa/getwxacodeunlimit, face verification
    (cityservice/face/identify/getverifyid, queryverifyinfo) and subscribe messages (cgi-bin/message/subscribe/send,
    with WeChat's refusals: 40003 unknown openid, 40037 unknown template, 43101 not subscribed, 47003 bad data,
    45009 daily quota spent)."""

    def __init__(
        self,
        app_id: str = "wx0123456789abcdef",
        app_secret: str = "fake-app-secret-0123456789abcdef",
        *,
        pages: tuple[str, ...] = ("pages/index/index",),
    ) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.pages = set(pages)
        # Tests move time forward by replacing this, e.g. fake.now = lambda: t0 + 301.
        self.now: Callable[[], float] = time.time
        self.requests: list[RecordedRequest] = []
        self.issued_tokens: list[str] = []
        self._valid_tokens: dict[str, float] = {}
        self._codes: dict[str, _LoginCode] = {}
        self._faces: dict[str, _Face] = {}
        self._seq_nos: set[str] = set()
        # Subscribe messages: templates the mini-program has, what each user accepted (one message per accept, as
        # wx.requestSubscribeMessage's one-time subscriptions), the daily quota per template, and what was delivered.
        self.subscribe_templates: set[str] = set()
        self._subscriptions: dict[tuple[str, str], int] = {}
        self.subscribe_quota: int | None = None
        self._sent_per_template: dict[str, int] = {}
        self.subscribe_messages: list[dict[str, Any]] = []
        self._delays: list[_Rule] = []
        self._answers: list[_Rule] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Root URL of the running fake; raises RuntimeError before start()."""
        if self._server is None:
            raise RuntimeError("FakeWeChat is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeWeChat:
        """Serve on a random port in a daemon thread; raises OSError if it cannot bind."""
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        # A short poll interval keeps stop() fast: shutdown() waits for one poll.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-wechat", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; delayed handlers wake up at once; never raises."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeWeChat:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- test controls -----------------------------------------------------

    def issue_login_code(self, openid: str | None = None, *, unionid: str | None = None) -> str:
        """Mint a single-use login code, as wx.login() would hand the mini-program."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _LoginCode(
                openid=openid or "o" + secrets.token_urlsafe(20),
                unionid=unionid,
                issued_at=self.now(),
            )
        return code

    def finish_face_verification(self, verify_id: str | None = None, verify_ret: int = 10000) -> str:
        """What wx.requestFacialVerify does on the phone: the user finishes (10000: passed) the session
        `verify_id` (default: the latest one opened); returns its verify_id."""
        with self._lock:
            verify_id = verify_id or next(reversed(self._faces))
            self._faces[verify_id].verify_ret = verify_ret
        return verify_id

    def face_sessions(self) -> dict[str, _Face]:
        with self._lock:
            return dict(self._faces)

    def subscribe(self, openid: str, template_id: str, times: int = 1) -> None:
        """What wx.requestSubscribeMessage does when the user taps 允许: one more message of this template allowed."""
        with self._lock:
            self.subscribe_templates.add(template_id)
            self._subscriptions[(openid, template_id)] = self._subscriptions.get((openid, template_id), 0) + times

    def delivered(self, openid: str | None = None) -> list[dict[str, Any]]:
        """Subscribe messages WeChat accepted (to `openid`, or all)."""
        with self._lock:
            return [m for m in self.subscribe_messages if openid is None or m["touser"] == openid]

    def fail_next(self, path_prefix: str, errcode: int, errmsg: str, times: int | None = 1) -> None:
        """Answer the next `times` requests under path_prefix with an errcode JSON (None: always)."""
        body = json.dumps({"errcode": errcode, "errmsg": errmsg}).encode()
        self._queue(self._answers, path_prefix, times, status=200, body=body, ctype="application/json")

    def http_status_next(self, path_prefix: str, status: int, times: int | None = 1) -> None:
        """Answer the next requests under path_prefix with a bare HTTP status, as a proxy would."""
        body = f"<html><body>{status}</body></html>".encode()
        self._queue(self._answers, path_prefix, times, status=status, body=body, ctype="text/html")

    def respond_next(
        self, path_prefix: str, body: bytes, content_type: str, status: int = 200, times: int | None = 1
    ) -> None:
        """Answer the next requests under path_prefix with arbitrary bytes (e.g. non-JSON)."""
        self._queue(self._answers, path_prefix, times, status=status, body=body, ctype=content_type)

    def delay_next(self, path_prefix: str, seconds: float, times: int | None = 1) -> None:
        """Sleep before answering the next requests under path_prefix (stop() cuts it short)."""
        self._queue(self._delays, path_prefix, times, seconds=seconds)

    def expire_tokens(self) -> None:
        """Invalidate every access token issued so far, as WeChat does on expiry or reset."""
        with self._lock:
            self._valid_tokens.clear()

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Recorded requests whose path is exactly `path`."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _queue(self, rules: list[_Rule], prefix: str, times: int | None, **action: Any) -> None:
        with self._lock:
            rules.append(_Rule(prefix=prefix, times=times, action=action))

    # -- request handling (called from handler threads) --------------------

    def _handle(self, req: RecordedRequest) -> tuple[int, str, bytes]:
        with self._lock:
            self.requests.append(req)
            delay = next((r.action["seconds"] for r in self._delays if r.take(req.path)), 0.0)
        if delay:
            self._stopping.wait(delay)
        with self._lock:
            canned = next((r.action for r in self._answers if r.take(req.path)), None)
        if canned is not None:
            return canned["status"], canned["ctype"], canned["body"]
        routes = {
            ("GET", "/cgi-bin/token"): self._token,
            ("GET", "/sns/jscode2session"): self._jscode2session,
            ("POST", "/wxa/getwxacodeunlimit"): self._wxacode_unlimit,
            ("POST", "/cityservice/face/identify/getverifyid"): self._getverifyid,
            ("POST", "/cityservice/face/identify/queryverifyinfo"): self._queryverifyinfo,
            ("POST", "/cgi-bin/message/subscribe/send"): self._subscribe_send,
        }
        route = routes.get((req.method, req.path))
        if route is None:
            return 404, "text/html", b"<html><body>404 Not Found</body></html>"
        answer = route(req)
        if isinstance(answer, bytes):
            return 200, "image/png", answer
        return 200, "application/json; encoding=utf-8", json.dumps(answer).encode()

    def _check_app(self, q: dict[str, str]) -> dict[str, Any] | None:
        if not q.get("appid"):
            return _err(41002, "appid missing")
        if not q.get("secret"):
            return _err(41004, "appsecret missing")
        if q["appid"] != self.app_id:
            return _err(40013, "invalid appid")
        if q["secret"] != self.app_secret:
            return _err(40125, "invalid appsecret")
        return None

    def _token(self, req: RecordedRequest) -> dict[str, Any]:
        q = req.query
        if q.get("grant_type") != "client_credential":
            return _err(40002, "invalid grant_type")
        if (problem := self._check_app(q)) is not None:
            return problem
        token = "fake-token-" + secrets.token_urlsafe(32)
        with self._lock:
            self._valid_tokens[token] = self.now() + TOKEN_LIFETIME
            self.issued_tokens.append(token)
        return {"access_token": token, "expires_in": TOKEN_LIFETIME}

    def _jscode2session(self, req: RecordedRequest) -> dict[str, Any]:
        q = req.query
        if (problem := self._check_app(q)) is not None:
            return problem
        if not q.get("js_code"):
            return _err(41008, "missing code")
        if q.get("grant_type") != "authorization_code":
            return _err(40002, "invalid grant_type")
        with self._lock:
            login = self._codes.get(q["js_code"])
            if login is None or self.now() - login.issued_at > CODE_LIFETIME:
                return _err(40029, "invalid code")
            if login.used:
                return _err(40163, "code been used")
            login.used = True
        answer = {"openid": login.openid, "session_key": base64.b64encode(secrets.token_bytes(16)).decode()}
        if login.unionid:
            answer["unionid"] = login.unionid
        return answer

    def _token_problem(self, req: RecordedRequest) -> dict[str, Any] | None:
        token = req.query.get("access_token")
        if not token:
            return _err(41001, "access_token missing")
        with self._lock:
            expires_at = self._valid_tokens.get(token)
        if expires_at is None or expires_at <= self.now():
            return _err(40001, "invalid credential, access_token is invalid or not latest")
        return None

    def _getverifyid(self, req: RecordedRequest) -> dict[str, Any]:
        if (problem := self._token_problem(req)) is not None:
            return problem
        body = req.json if isinstance(req.json, dict) else {}
        seq, cert, openid = body.get("out_seq_no"), body.get("cert_info"), body.get("openid")
        if not isinstance(seq, str) or not 5 <= len(seq) <= 32 or not set(seq) <= SEQ_CHARS:
            return _err(40097, "invalid args: out_seq_no")
        if not isinstance(cert, dict) or cert.get("cert_type") != "IDENTITY_CARD" or not all(
                isinstance(cert.get(k), str) and cert[k] for k in ("cert_name", "cert_no")) or not openid:
            return _err(40097, "invalid args: cert_info or openid")
        verify_id = "fv_" + secrets.token_urlsafe(32)
        with self._lock:
            if seq in self._seq_nos:
                return _err(40097, "invalid args: out_seq_no used")
            self._seq_nos.add(seq)
            self._faces[verify_id] = _Face(seq, dict(cert), openid, self.now() + FACE_LIFETIME)
        return {"errcode": 0, "errmsg": "ok", "verify_id": verify_id, "expires_in": FACE_LIFETIME}

    def _queryverifyinfo(self, req: RecordedRequest) -> dict[str, Any]:
        if (problem := self._token_problem(req)) is not None:
            return problem
        body = req.json if isinstance(req.json, dict) else {}
        with self._lock:
            face = self._faces.get(body.get("verify_id") or "")
        if face is None or face.expires_at <= self.now():
            return _err(84001, "invalid verify_id")
        # WeChat checks the session's identity and user first: a mismatch is an errcode, not a verify_ret.
        if (body.get("out_seq_no") != face.out_seq_no or body.get("openid") != face.openid
                or body.get("cert_hash") != cert_hash(face.cert_info)):
            return _err(84002, "verify info not match")
        return {"errcode": 0, "errmsg": "ok", "verify_ret": face.verify_ret if face.verify_ret is not None else 90002}

    def _subscribe_send(self, req: RecordedRequest) -> dict[str, Any]:
        if (problem := self._token_problem(req)) is not None:
            return problem
        body = req.json if isinstance(req.json, dict) else None
        if body is None:
            return _err(47001, "data format error")
        touser, template_id, data = body.get("touser"), body.get("template_id"), body.get("data")
        with self._lock:
            known_users = {c.openid for c in self._codes.values()} | {u for u, _ in self._subscriptions}
            if not isinstance(touser, str) or touser not in known_users:
                return _err(40003, "invalid openid")
            if template_id not in self.subscribe_templates:
                return _err(40037, "invalid template_id")
            if not isinstance(data, dict) or not data or not all(
                    isinstance(v, dict) and isinstance(v.get("value"), str) and 0 < len(v["value"]) <= 20
                    for v in data.values()):
                return _err(47003, "argument invalid! data.value invalid")
            if self.subscribe_quota is not None and self._sent_per_template.get(template_id, 0) >= self.subscribe_quota:
                return _err(45009, "reach max api daily quota limit")
            left = self._subscriptions.get((touser, template_id), 0)
            if left <= 0:
                return _err(43101, "user refuse to accept the msg")
            self._subscriptions[(touser, template_id)] = left - 1
            self._sent_per_template[template_id] = self._sent_per_template.get(template_id, 0) + 1
            self.subscribe_messages.append({"touser": touser, "template_id": template_id, "data": data,
                                            "page": body.get("page")})
        return {"errcode": 0, "errmsg": "ok"}

    def _wxacode_unlimit(self, req: RecordedRequest) -> dict[str, Any] | bytes:
        if (problem := self._token_problem(req)) is not None:
            return problem
        body = req.json if isinstance(req.json, dict) else None
        if body is None:
            return _err(47001, "data format error")
        scene, page = body.get("scene"), body.get("page", "")
        if not isinstance(scene, str) or not scene or len(scene) > 32 or not set(scene) <= SCENE_CHARS:
            return _err(40169, "invalid length for scene, or the data is not json string")
        if body.get("env_version", "release") not in ("release", "trial", "develop"):
            return _err(40097, "invalid args")
        # WeChat checks the page against the published version only when check_path is true.
        if page.startswith("/") or (body.get("check_path", True) and page and page not in self.pages):
            return _err(41030, "invalid page")
        width = min(max(int(body.get("width", 430)), 280), 1280)
        return _render_png(scene, width)


def _err(errcode: int, errmsg: str) -> dict[str, Any]:
    return {"errcode": errcode, "errmsg": f"{errmsg}, rid: {secrets.token_hex(4)}"}


def _render_png(text: str, width: int) -> bytes:
    qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    qr.make(fit=True)
    qr.box_size = max(1, width // (qr.modules_count + 2 * qr.border))
    buf = io.BytesIO()
    qr.make_image().save(buf, format="PNG")
    return buf.getvalue()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeWeChat

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out has hung up on a delayed answer: expected, not noise.
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        req = RecordedRequest(method, url.path, dict(parse_qsl(url.query, keep_blank_values=True)), body)
        status, ctype, payload = self.server.fake._handle(req)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
