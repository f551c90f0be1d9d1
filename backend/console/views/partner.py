"""Partner pages: scanner devices (register with the token shown once, revoke), incentives, and settlement —
the redemptions of a day or month per device and incentive with totals, as a page and CSV."""

from __future__ import annotations

from flask import request, url_for

from backend.console.views import console
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import console_page, current, listing, render
from backend.platform.access import OperatorRole
from backend.platform.clock import china_today, local_time
from backend.scanning import partners, settlement
from backend.scanning.schemas import IncentiveRulesSchema, NewDeviceSchema, NewIncentiveSchema, SettlementArgsSchema
from backend.scanning.vocab import QuotaPeriod

PARTNER = (OperatorRole.PARTNER, OperatorRole.ADMIN)
DEVICE_COLUMNS = [("id", "编号"), ("name", "名称"), ("scenario", "场景"), ("created_at", "登记时间"),
                  ("revoked_at", "停用时间")]
DEVICE_FIELDS = [field("name", "设备名称", required=True, help="例如：1 路公交 3 号车验票机")]
INCENTIVE_COLUMNS = [("id", "编号"), ("code", "代码"), ("title", "名称"), ("eligible_grades", "适用等级"),
                     ("quota_count", "次数"), ("quota_period", "周期"), ("valid_from", "起"), ("valid_to", "止"),
                     ("active_zh", "状态")]
PERIODS = [(p.value, p.value) for p in QuotaPeriod]
INCENTIVE_FIELDS = [field("code", "代码", required=True, help="小写字母、数字和 -，例如 bus-half-fare"),
                    field("title", "名称", required=True), field("description", "说明"),
                    field("eligible_grades", "适用等级", help="例如 AB（优、良）"),
                    field("quota_count", "每周期次数"), field("quota_period", "周期", "select", options=PERIODS),
                    field("valid_from", "有效期起", "date"), field("valid_to", "有效期止", "date")]
ITEM_COLUMNS = [("granted_at_local", "时间（北京时间）"), ("device", "设备"), ("incentive_title", "激励措施"),
                ("status_zh", "状态"), ("offline_zh", "离线"), ("receipt_id", "回执编号")]
TOTAL_COLUMNS = [("device", "设备"), ("incentive_title", "激励措施"), ("granted", "已发放"),
                 ("flagged", "已标记（不结算）")]


def _partner_id() -> dict:
    """Admins name the partner in the form (as in the API's body); partners never do."""
    return {"partner_id": request.form["partner_id"]} if request.form.get("partner_id") else {}


@console.route("/devices", methods=["GET", "POST"])
@console_page(*PARTNER)
def devices():
    """Devices (as GET /devices) and registering one (as POST /devices: the token shown this once)."""
    errors, once = {}, None
    if request.method == "POST":
        body, errors = parse(NewDeviceSchema(), {"name": request.form.get("name", ""), **_partner_id()})
        if body is not None:
            created, errors = attempt(lambda: partners.create_device(current(), actor=current().actor, **body))
        if body is not None and not errors:
            device, token = created
            once = {"label": f"设备“{device.name}”的凭证", "value": token,
                    "extra": "请在设备上输入一次；丢失后只能停用并重新登记。"}
    rows = [{"id": d.id, "name": d.name, "scenario": d.scenario, "created_at": d.created_at, "revoked_at": d.revoked_at,
             **({} if d.revoked_at else {"_actions": [("停用", url_for("console.revoke_device", device_id=d.id),
                                                       None, "danger")]})}
            for d in partners.list_devices(current())]
    fields = DEVICE_FIELDS + ([field("partner_id", "合作单位编号", required=True)]
                              if current().role == OperatorRole.ADMIN else [])
    return listing("扫码设备", "devices.csv", DEVICE_COLUMNS, rows, total=len(rows), once=once, errors=errors,
                   new_title="登记设备", new_fields=fields, new_action=url_for("console.devices"), new_submit="登记")


@console.post("/devices/<int:device_id>/revoke")
@console_page(*PARTNER)
def revoke_device(device_id: int):
    device = partners.revoke_device(current(), device_id, actor=current().actor)
    return render("console/table.html", title="扫码设备", columns=[], rows=[],
                  notice=f"已停用设备“{device.name}”：其凭证立即失效。")


@console.route("/incentives", methods=["GET", "POST"])
@console_page(*PARTNER)
def incentives():
    """Incentives (as GET /incentives) and creating one (as POST /incentives)."""
    errors, notice, values = {}, None, {}
    if request.method == "POST":
        values = request.form
        body, errors = parse(NewIncentiveSchema(), {k: v for k, v in request.form.items()
                                                    if k != "csrf_token" and v.strip()}
                             | ({"quota_count": int(request.form["quota_count"])}
                                if request.form.get("quota_count", "").isdigit() else {}))
        if body is not None:
            row, errors = attempt(lambda: partners.create_incentive(current(), actor=current().actor, **body))
        if body is not None and not errors:
            notice, values = f"已创建激励措施“{row.title}”。", {}
    rows = []
    for i in partners.list_incentives(current()):
        rows.append({"id": i.id, "code": i.code, "title": i.title, "eligible_grades": i.eligible_grades,
                     "quota_count": i.quota_count, "quota_period": i.quota_period, "valid_from": i.valid_from,
                     "valid_to": i.valid_to, "active_zh": "启用" if i.active else "停用",
                     "_actions": [("停用" if i.active else "启用",
                                   url_for("console.toggle_incentive", incentive_id=i.id),
                                   {"active": "false" if i.active else "true"}, "quiet")]})
    fields = INCENTIVE_FIELDS + ([field("partner_id", "合作单位编号", required=True)]
                                 if current().role == OperatorRole.ADMIN else [])
    return listing("激励措施", "incentives.csv", INCENTIVE_COLUMNS, rows, total=len(rows), notice=notice,
                   errors=errors, labels=labels_of(fields), new_title="新建激励措施", new_fields=fields,
                   new_action=url_for("console.incentives"), new_submit="创建", new_values=values)


@console.post("/incentives/<int:incentive_id>/active")
@console_page(*PARTNER)
def toggle_incentive(incentive_id: int):
    body, _errors = parse(IncentiveRulesSchema(), {"active": request.form.get("active", "")})
    row = partners.update_incentive(current(), incentive_id, actor=current().actor, **(body or {}))
    return render("console/table.html", title="激励措施", columns=[], rows=[],
                  notice=f"激励措施“{row.title}”已{'启用' if row.active else '停用'}。")


@console.get("/settlement")
@console_page(*PARTNER)
def settlement_page():
    """As GET /redemptions?day=|month=: each grant of the period and the totals per device and incentive."""
    asked = {k: v for k, v in request.args.items() if k in ("day", "month", "partner_id") and v}
    if "day" not in asked and "month" not in asked:
        asked["day"] = china_today().isoformat()
    args, errors = parse(SettlementArgsSchema(), asked)
    if args is None:
        return render("console/error.html", 422, title="结算", message="查询条件有误：", details=errors)
    found = settlement.settlement(current(), day=args.get("day"), month=args.get("month"),
                                  partner_id=args.get("partner_id"))
    items = [{**x, "granted_at_local": local_time(x["granted_at"].timestamp()).strftime("%Y-%m-%d %H:%M:%S"),
              "status_zh": "已发放" if x["status"] == "granted" else f"已标记（{x['flag_reason'] or ''}）",
              "offline_zh": "是" if x["offline"] else "否"} for x in found["items"]]
    if request.args.get("part") == "totals":
        return listing("结算合计", f"settlement-totals-{found['period']}.csv", TOTAL_COLUMNS, found["totals"])
    totals = [*found["totals"], {"device": "合计", "incentive_title": "", "granted": found["granted"],
                                 "flagged": found["flagged"]}]
    return listing(f"结算 {found['period']}", f"settlement-{found['period']}.csv", ITEM_COLUMNS, items,
                   total=len(items), totals=totals, totals_columns=TOTAL_COLUMNS,
                   filters=[{"name": "day", "label": "日期", "type": "date"},
                            {"name": "month", "label": "或月份", "type": "month"}],
                   intro=f"{found['partner'] or '全部合作单位'} · {found['period']}：已发放 {found['granted']} 次，"
                         f"已标记 {found['flagged']} 次（离线上传超出额度，不结算）。")
