"""Helpers for mini-program tests: log in through the fake WeChat, bind an identity, seed scans."""

from __future__ import annotations

import datetime as dt

from backend.demo.wechat_fake import FakeWeChat
from backend.models import InspectionAgency, Market, Merchant, Partner, ScannerDevice, Scenario
from backend.platform.crypto import credential_hash
from backend.platform.extensions import db
from tests.factories import bearer, merchant_subject, resident_id


class MpClient:
    """A mini-program user: `mp.login()`, then `mp.get("/me/code")` with its session token."""

    def __init__(self, client, fake: FakeWeChat, openid: str) -> None:
        self.client, self.fake, self.openid = client, fake, openid
        self.token: str | None = None

    def login(self) -> MpClient:
        resp = self.client.post("/api/mp/v1/login", json={"code": self.fake.issue_login_code(self.openid)})
        assert resp.status_code == 200, resp.get_json()
        self.token = resp.get_json()["token"]
        return self

    def bind(self, rid: str | None = None, name: str = "陈晓明", verify_ret: int = 10000):
        """Bind by face verification, as the mini-program does: open it, the user faces the camera
        (the fake WeChat records `verify_ret`), confirm. Returns the last answer."""
        start = self.post("/me/identity/face-verifications", json={"name": name, "id_number": rid or resident_id()})
        if start.status_code != 201:
            return start
        self.fake.finish_face_verification(start.get_json()["verify_id"], verify_ret)
        return self.post(f"/me/identity/face-verifications/{start.get_json()['verification_id']}/confirm")

    def get(self, path: str, **kw):
        return self.client.get("/api/mp/v1" + path, headers=bearer(self.token), **kw)

    def post(self, path: str, **kw):
        return self.client.post("/api/mp/v1" + path, headers=bearer(self.token), **kw)


def scanning_setup(scenario: str = "transit") -> ScannerDevice:
    """A scenario, a partner and one scanner device there."""
    db.session.add(Scenario(code=scenario, name_zh={"transit": "信用+公交", "lodging": "信用+住宿"}[scenario]))
    db.session.flush()  # no relationship() between them, so the unit of work does not order the inserts
    partner = Partner(name=f"汕尾{scenario}公司", scenario=scenario)
    db.session.add(partner)
    db.session.flush()
    device = ScannerDevice(partner_id=partner.id, scenario=scenario, name=f"{scenario}-01",
                           token_hash=credential_hash(f"dev_{scenario}"))
    db.session.add(device)
    db.session.commit()
    return device


def market_merchant(slug: str = "magong", stall: str = "A-01", name: str = "海鲜档") -> tuple[Market, Merchant]:
    market = db.session.query(Market).filter_by(slug=slug).one_or_none()
    if market is None:
        market = Market(slug=slug, name={"magong": "马宫水产品批发市场"}.get(slug, slug), department="汕尾市市场监督管理局")
        db.session.add(market)
        db.session.flush()
    if db.session.query(InspectionAgency).filter_by(name="汕尾市食品检验所").one_or_none() is None:
        db.session.add(InspectionAgency(name="汕尾市食品检验所"))  # the agency the owners' tests inspect with
    subject = merchant_subject(name)
    merchant = Merchant(subject_id=subject.id, market_id=market.id, stall_no=stall, stall_name=name)
    db.session.add(merchant)
    db.session.commit()
    return market, merchant


def at(clock, seconds: float = 0) -> dt.datetime:
    return dt.datetime.fromtimestamp(clock.now + seconds, dt.UTC)
