"""The README's resident flow, run as a newcomer types it, against the app and the WeChat stand-in `make run` starts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

import qr
from backend.demo.wechat_standin import WeChatStandIn, run
from backend.keys import keyring
from backend.keys.ring import seal_key
from backend.models import Subject
from backend.platform.extensions import db
from tests.scanning.servers import thread_server

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- resident-flow:begin.*?```sh\n(.*?)```\n<!-- resident-flow:end -->", text, re.S)
    assert block, "README lost its resident-flow block"
    return block[1]


@pytest.fixture
def standin(app):
    with WeChatStandIn() as fake:
        app.config.update(WECHAT_APP_ID=fake.app_id, WECHAT_APP_SECRET=fake.app_secret,
                          WECHAT_API_BASE_URL=fake.base_url)
        yield fake


@pytest.mark.skipif(shutil.which("curl") is None or shutil.which("bash") is None, reason="needs curl and bash")
def test_the_readme_commands_log_in_bind_and_fetch_a_code_and_its_png(app, runner, standin, tmp_path):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with thread_server(app) as base:
        script = readme_commands().replace("127.0.0.1:8000", base.removeprefix("http://"))
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    identity, code = (json.loads(line) for line in done.stdout.strip().splitlines())
    assert identity["identity_bound"] is True and identity["display_name"] == "陈*生" and identity["grade"] == "A"
    now = int(app.config["CLOCK"]())
    chen = db.session.query(Subject).filter_by(display_name="陈*生").one()
    for token in (code["code"], *(r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "code.png")))):
        claims = qr.verify_code(token, keyring().verification_keys(now), now=now)
        assert qr.open_handle(seal_key(keyring(), claims.kid), claims.sub)[0] == chen.handle
    assert len(standin.requests_to("/sns/jscode2session")) == 1


def test_a_typed_demo_code_is_the_same_user_every_time(app, client, standin):
    tokens = [client.post("/api/mp/v1/login", json={"code": "demo-bob"}).get_json()["token"] for _ in range(2)]
    headers = [{"Authorization": f"Bearer {t}"} for t in tokens]
    opened = client.post("/api/mp/v1/me/identity/face-verifications", headers=headers[0],
                         json={"name": "陈海生", "id_number": "441502196001011001"})
    assert opened.status_code == 201, opened.get_json()
    bound = client.post(f"/api/mp/v1/me/identity/face-verifications/{opened.get_json()['verification_id']}/confirm",
                        headers=headers[0])
    assert bound.status_code == 200, bound.get_json()  # the stand-in passed the face verification at once
    assert client.get("/api/mp/v1/me", headers=headers[1]).get_json()["identity_bound"] is True
    # Any other code is still WeChat's protocol: unknown codes are refused.
    assert client.post("/api/mp/v1/login", json={"code": "not-issued"}).get_json()["error"]["code"] == \
        "invalid_login_code"


def test_the_runner_points_the_command_at_the_standin_and_never_runs_in_production(monkeypatch, capfd):
    monkeypatch.delenv("WECHAT_APP_ID", raising=False)
    monkeypatch.delenv("APP_ENV", raising=False)
    show = [sys.executable, "-c", "import os, sys; print(os.environ['WECHAT_API_BASE_URL']); sys.exit(3)"]
    assert run(show) == 3
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", capfd.readouterr().out.strip())
    monkeypatch.setenv("APP_ENV", "production")
    assert run(show) == 2 and "refusing" in capfd.readouterr().err
    monkeypatch.delenv("APP_ENV")
    monkeypatch.setenv("WECHAT_APP_ID", "wx-real")  # real credentials: no stand-in
    assert run([sys.executable, "-c", "import os; print(os.environ.get('WECHAT_API_BASE_URL', 'unset'))"]) == 0
    assert capfd.readouterr().out.strip() == os.environ.get("WECHAT_API_BASE_URL", "unset")
