"""The local WeChat stand-in `make run` starts in development, so the resident flow can be tried on a laptop.

It is the fake WeChat the tests use (backend/demo/wechat_fake.py: the real protocol, on 127.0.0.1) plus
two conveniences: a login code of the form ``demo-<name>`` (what wx.login() would hand the mini-program)
is accepted any number of times and always means the same WeChat user, so a newcomer can type it; and a
face verification (人脸核身) passes as soon as it is opened, as if the resident had looked into the phone
(no camera on a laptop). The backend's checks around it (cert_hash, openid, single use) are unchanged.

    python -m backend.demo.wechat_standin -- gunicorn -c gunicorn.conf.py wsgi:app

starts the stand-in on a free 127.0.0.1 port, runs the command with WECHAT_APP_ID, WECHAT_APP_SECRET
and WECHAT_API_BASE_URL pointing at it, and stops the stand-in when the command ends. With real
credentials in the environment (WECHAT_APP_ID set) it only runs the command; with APP_ENV=production
it refuses: in production nothing of it exists.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from dataclasses import replace
from typing import Any

from backend.demo.wechat_fake import FakeWeChat, RecordedRequest

APP_ID = "wx-local-standin"
APP_SECRET = "local-standin-secret"  # not a secret: the stand-in exists only on 127.0.0.1 in development
DEMO_CODE = re.compile(r"demo-([0-9A-Za-z_-]{1,40})")


class WeChatStandIn(FakeWeChat):
    """FakeWeChat that also takes the typed login codes ``demo-<name>`` (the protocol is otherwise unchanged)."""

    def __init__(self) -> None:
        super().__init__(APP_ID, APP_SECRET)

    def _getverifyid(self, req: RecordedRequest) -> dict[str, Any]:
        answer = super()._getverifyid(req)
        if answer.get("errcode") == 0:  # the resident "did" wx.requestFacialVerify at once
            self.finish_face_verification(answer["verify_id"])
        return answer

    def _handle(self, req: RecordedRequest) -> tuple[int, str, bytes]:
        typed = DEMO_CODE.fullmatch(req.query.get("js_code", "")) if req.path == "/sns/jscode2session" else None
        if typed is not None:  # a fresh single-use code of that user, exchanged as WeChat would
            req = replace(req, query={**req.query, "js_code": self.issue_login_code(f"demo-{typed[1]}")})
        return super()._handle(req)


def run(command: list[str]) -> int:
    """Run `command` beside a stand-in (development only); returns its exit status."""
    if os.environ.get("APP_ENV") == "production":
        print("wechat_standin: refusing to run with APP_ENV=production", file=sys.stderr)
        return 2
    if not command:
        print("usage: python -m backend.demo.wechat_standin -- COMMAND …", file=sys.stderr)
        return 2
    if os.environ.get("WECHAT_APP_ID"):  # real mini-program credentials: talk to WeChat itself
        return subprocess.call(command)
    with WeChatStandIn() as standin:
        env = {**os.environ, "WECHAT_APP_ID": standin.app_id, "WECHAT_APP_SECRET": standin.app_secret,
               "WECHAT_API_BASE_URL": standin.base_url}
        print(f"WeChat stand-in on {standin.base_url} (development only; log in with the code demo-<any name>)",
              file=sys.stderr, flush=True)
        child = subprocess.Popen(command, env=env)
        # Ctrl-C or a TERM: pass it on, let the server shut down, then stop the stand-in.
        previous = {sig: signal.signal(sig, lambda signum, _frame: child.send_signal(signum))
                    for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            return child.wait()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(run(args[1:] if args[:1] == ["--"] else args))
