"""Helpers for 双公示, portal and report tests: national-item bodies and clock settings."""

from __future__ import annotations

import datetime as dt
import itertools

from backend.platform.clock import CHINA
from tests.factories import resident_id, uscc_code

_n = itertools.count(1)


def valid_authority() -> str:
    """汕尾市市场监督管理局's code in these tests (a valid GB 32100 check character)."""
    return "11441500MB2C90401D"


def at_china(clock, day: dt.date, hour: int = 10) -> None:
    """Move the fake clock to `hour` o'clock Beijing time on `day`."""
    clock.now = dt.datetime(day.year, day.month, day.day, hour, tzinfo=CHINA).timestamp()


def penalty(party: str = "org", n: int | None = None, **over) -> dict:
    """A 行政处罚 with every required CF_ item; party "org" (a company), "person" or "individual"."""
    k = n if n is not None else next(_n)
    body = {"CF_WSH": f"汕市监罚〔2026〕{k}号", "CF_WFXW": "销售不合格食用农产品", "CF_SY": "经抽检，当事人销售的鲜活水产品不合格。",
            "CF_YJ": "《中华人民共和国食品安全法》第一百二十四条", "CF_CFLB": "罚款", "CF_NR": "责令改正，罚款人民币五千元",
            "CF_NR_FK": "0.5", "CF_JDRQ": "2026-11-20", "CF_YXQ": "2027-11-20", "CF_GSJZQ": "2029-11-20",
            "CF_CFJG": "汕尾市市场监督管理局", "CF_CFJGDM": valid_authority(), "CF_SJLY": "汕尾市市场监督管理局",
            "CF_SJLYDM": valid_authority()}
    if party == "person":
        body.update(CF_XDR_MC="欧阳震华", CF_XDR_LB="自然人", CF_XDR_ZJLX="01", CF_XDR_ZJHM=resident_id(k))
    elif party == "individual":
        body.update(CF_XDR_MC=f"汕尾市城区阿海水产档{k}", CF_XDR_LB="个体工商户", CF_XDR_SHXYM=uscc_code(k))
    else:
        body.update(CF_XDR_MC=f"汕尾市海丰鲜活水产有限公司{k}", CF_XDR_LB="法人及非法人组织",
                    CF_XDR_SHXYM=uscc_code(k), CF_FRDB="李大海")
    return {**body, **over}


def licence(n: int | None = None, **over) -> dict:
    k = n if n is not None else next(_n)
    body = {"XK_XDR_MC": f"汕尾市海丰鲜活水产有限公司{k}", "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": uscc_code(k),
            "XK_FRDB": "李大海", "XK_XKWS": "食品经营许可决定书", "XK_WSH": f"汕市监许〔2026〕{k}号", "XK_XKLB": "01",
            "XK_XKZS": "食品经营许可证", "XK_XKBH": f"JY24415020{k:06d}", "XK_NR": "预包装食品销售、散装食品销售",
            "XK_JDRQ": "2026-11-02", "XK_YXQZ": "2026-11-02", "XK_YXQZI": "2031-11-01", "XK_XKJG": "汕尾市市场监督管理局",
            "XK_XKJGDM": valid_authority(), "XK_ZT": "1", "XK_LYDW": "汕尾市市场监督管理局", "XK_LYDWDM": valid_authority()}
    return {**body, **over}


def filed(client, kind: str, body: dict, headers: dict) -> dict:
    """POST one decision to /api/dept/v1/disclosures/<kind> (penalties or licences); the decision as answered."""
    resp = client.post(f"/api/dept/v1/disclosures/{kind}", json=body, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["decision"]
