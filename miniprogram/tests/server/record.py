"""Record the API responses the page tests render from (miniprogram/tests/fixtures/recorded.json).

Runs the real app (test client, throwaway SQLite, the fake WeChat) through what a resident and a merchant
owner do: log in, face verification, code, credit with a record, a scan with a perk granted, perks, a
merchant bound by code with an inspection, the public sticker view. Every answer is kept with the method
and path template it came from, so the page tests (and the drift test) know which call it answers.

    .venv/bin/python miniprogram/tests/server/record.py      # after an API change, then review the diff
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from backend.app import create_app  # noqa: E402
from backend.config import TestConfig  # noqa: E402
from backend.demo.wechat_fake import FakeWeChat  # noqa: E402
from backend.models import Base  # noqa: E402
from backend.platform.extensions import db  # noqa: E402
from tests.credit.helpers import dept, penalty, record  # noqa: E402
from tests.factories import bearer, resident_id  # noqa: E402
from tests.merchants.helpers import handle_of, market_operator, merchant  # noqa: E402
from tests.miniprogram_api.helpers import MpClient  # noqa: E402
from tests.scanning.helpers import redeem, scan_setup, verify  # noqa: E402

OUT = ROOT / "miniprogram" / "tests" / "fixtures" / "recorded.json"
# Fixed names: the page tests look answers up by these.
ERROR_SAMPLE = "GET /api/mp/v1/me/code (unbound)"


def keep(out: dict, name: str, method: str, template: str, resp) -> dict:
    body = resp.get_json() if resp.mimetype == "application/json" else None
    out[name] = {"method": method, "path": template, "status": resp.status_code, "body": body}
    return body


def main() -> None:
    out: dict = {}
    with FakeWeChat() as fake:
        app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                          "SQLALCHEMY_DATABASE_URI": "sqlite://", "WECHAT_APP_ID": fake.app_id,
                          "WECHAT_APP_SECRET": fake.app_secret, "WECHAT_API_BASE_URL": fake.base_url})
        with app.app_context():
            Base.metadata.create_all(db.engine)
            client = app.test_client()
            devices = scan_setup()
            rid = resident_id(77)
            client.post("/api/dept/v1/records", json=record({"resident_id": rid}, "honour", title="汕尾市优秀志愿者"),
                        headers=dept())
            client.post("/api/dept/v1/records", json=penalty({"resident_id": rid}, severity="minor",
                                                              title="占道经营"), headers=dept())
            user = MpClient(client, fake, "o-recorder").login()
            keep(out, ERROR_SAMPLE, "GET", "/api/mp/v1/me/code", user.get("/me/code"))
            keep(out, "GET /api/mp/v1/me (unbound)", "GET", "/api/mp/v1/me", user.get("/me"))
            start = user.post("/me/identity/face-verifications", json={"name": "陈晓明", "id_number": rid})
            keep(out, "POST /api/mp/v1/me/identity/face-verifications", "POST",
                 "/api/mp/v1/me/identity/face-verifications", start)
            fake.finish_face_verification(start.get_json()["verify_id"])
            keep(out, "POST /api/mp/v1/me/identity/face-verifications/{verification_id}/confirm", "POST",
                 "/api/mp/v1/me/identity/face-verifications/{verification_id}/confirm",
                 user.post(f"/me/identity/face-verifications/{start.get_json()['verification_id']}/confirm"))
            other = MpClient(client, fake, "o-recorder-2").login()
            keep(out, "POST /api/mp/v1/me/identity/counter-code", "POST", "/api/mp/v1/me/identity/counter-code",
                 other.post("/me/identity/counter-code"))
            code = keep(out, "GET /api/mp/v1/me/code", "GET", "/api/mp/v1/me/code", user.get("/me/code"))
            scan = verify(client, devices["transit"]["token"], code["code"]).get_json()
            redeem(client, devices["transit"]["token"], code["code"], "bus-discount")
            del scan
            keep(out, "GET /api/mp/v1/me/credit", "GET", "/api/mp/v1/me/credit", user.get("/me/credit"))
            keep(out, "GET /api/mp/v1/me/scans", "GET", "/api/mp/v1/me/scans", user.get("/me/scans"))
            keep(out, "GET /api/mp/v1/incentives", "GET", "/api/mp/v1/incentives", user.get("/incentives"))

            stall = merchant("阿海鲜活水产", "B")
            handle = handle_of(stall)
            market = market_operator()
            client.post(f"/api/dept/v1/merchants/{handle}/inspections", headers=bearer(market), json={
                "product": "鲜活对虾", "sampled_on": "2026-11-20", "agency": "汕尾市食品检验所", "result": "pass",
                "report_no": "SWJ2026-0001"})
            binding = client.post(f"/api/dept/v1/merchants/{handle}/binding-codes", headers=bearer(market),
                                  json={}).get_json()["binding_code"]
            keep(out, "POST /api/mp/v1/me/merchants", "POST", "/api/mp/v1/me/merchants",
                 user.post("/me/merchants", json={"binding_code": binding}))
            keep(out, "GET /api/mp/v1/me/merchants", "GET", "/api/mp/v1/me/merchants", user.get("/me/merchants"))
            keep(out, "GET /api/mp/v1/me/merchants/{handle}", "GET", "/api/mp/v1/me/merchants/{handle}",
                 user.get(f"/me/merchants/{handle}"))
            keep(out, "GET /api/public/v1/merchants/{ref}", "GET", "/api/public/v1/merchants/{ref}",
                 client.get(f"/api/public/v1/merchants/{handle}"))
            keep(out, "GET /api/mp/v1/me", "GET", "/api/mp/v1/me", user.get("/me"))
            keep(out, "POST /api/mp/v1/me/code/revoke", "POST", "/api/mp/v1/me/code/revoke",
                 user.post("/me/code/revoke"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    print(f"recorded {len(out)} answers into {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
