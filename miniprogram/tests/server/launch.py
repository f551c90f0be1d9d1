"""Start the real backend for the mini-program's contract tests: the app (werkzeug, threaded, as `flask run`
serves it) on a free 127.0.0.1 port against a throwaway SQLite database, beside the fake WeChat
(backend/demo/wechat_fake.py, the real protocol) and a small control server that does what the phone
would (a wx.login() code, finishing wx.requestFacialVerify). Demo scenarios and partners are seeded.

    python miniprogram/tests/server/launch.py

prints one JSON line {"api": ..., "control": ..., "id_number": ...} when ready and serves until its
standard input closes (the jest test that spawned it ends) or it is terminated.
MP_CONTRACT_DATABASE_URL=postgresql+psycopg://… runs it against that database instead of a throwaway SQLite.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from backend.app import create_app  # noqa: E402
from backend.config import TestConfig, engine_options  # noqa: E402
from backend.demo.seed import seed_scenarios_and_partners  # noqa: E402
from backend.demo.wechat_fake import FakeWeChat  # noqa: E402
from backend.models import Base  # noqa: E402
from backend.platform.extensions import db  # noqa: E402
from backend.platform.identifiers import valid_resident_id  # noqa: E402


def resident_id() -> str:
    """A valid id (GB 11643 check digit) for the resident the contract test binds by face verification."""
    from stdnum.cn import ric

    base = "44150219550307123"
    return valid_resident_id(base + ric.calc_check_digit(base + "0"))


def another_resident_id(n: int) -> str:
    """The n-th other valid id, for a second resident of the contract tests."""
    from stdnum.cn import ric

    base = f"441502198801{n % 28 + 1:02d}{n % 1000:03d}"
    return valid_resident_id(base + ric.calc_check_digit(base))


class Control(BaseHTTPRequestHandler):
    """POST /login-code {"openid"} -> {"code"}; POST /face {"verify_id", "verify_ret"} -> {"verify_id"};
    POST /resident {"n"} -> {"id_number"}; POST /penalty {"id_number", "days_ago"} -> {"record_id"} (a department
    files an administrative penalty about that resident through the department API, as SAMR would)."""

    fake: FakeWeChat
    app = None

    def log_message(self, *_args) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path == "/login-code":
            answer = {"code": self.fake.issue_login_code(body.get("openid"))}
        elif self.path == "/face":
            answer = {"verify_id": self.fake.finish_face_verification(body.get("verify_id"),
                                                                       int(body.get("verify_ret", 10000)))}
        elif self.path == "/resident":
            answer = {"id_number": another_resident_id(int(body.get("n", 1)))}
        elif self.path == "/penalty":
            answer = {"record_id": self.file_penalty(body["id_number"], int(body.get("days_ago", 20)))}
        else:
            self.send_error(404)
            return
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


    def file_penalty(self, id_number: str, days_ago: int) -> int:
        from tests.credit.helpers import days_ago as ago
        from tests.credit.helpers import dept, penalty

        with self.app.app_context():
            resp = self.app.test_client().post("/api/dept/v1/records", headers=dept(), json=penalty(
                {"resident_id": id_number}, severity="general", severity_class="general", decided_on=ago(days_ago)))
            assert resp.status_code == 201, resp.get_json()
            return resp.get_json()["record"]["id"]


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="mp-contract-")
    # MP_CONTRACT_DATABASE_URL: run against a database of its own instead (e.g. PostgreSQL test_<name>), emptied
    # at every start.
    url = os.environ.get("MP_CONTRACT_DATABASE_URL")
    fake = FakeWeChat().start()
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url or f"sqlite:///{workdir}/contract.sqlite3",
                  SQLALCHEMY_ENGINE_OPTIONS=engine_options(url) if url else {},
                  WECHAT_APP_ID=fake.app_id, WECHAT_APP_SECRET=fake.app_secret, WECHAT_API_BASE_URL=fake.base_url,
                  WECHAT_TIMEOUT=2.0, JOBS_IMMEDIATE=True)
    app = create_app(config)
    with app.app_context():
        if url:
            Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        from tests.conftest import seed_calendar

        seed_calendar()  # the working-day calendar a migrated database has
        seed_scenarios_and_partners()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    Control.fake, Control.app = fake, app
    control = ThreadingHTTPServer(("127.0.0.1", 0), Control)
    for target in (server.serve_forever, control.serve_forever):
        threading.Thread(target=target, daemon=True).start()
    print(json.dumps({"api": f"http://127.0.0.1:{server.server_port}",
                      "control": f"http://127.0.0.1:{control.server_address[1]}",
                      "id_number": resident_id()}), flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin (or dies)
    finally:
        server.shutdown()
        control.shutdown()
        fake.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("APP_ENV", "testing")
    main()
