"""A service-window clerk's list of the repair applications they filed for organisations, newest first, with
the step each waits on and its deadline (working days, overdue in red); a returned one links to the completion
form with its number filled in. As GET /repairs for a window: the same use case with this clerk."""

from __future__ import annotations

from flask import url_for

from backend.console.views import console
from backend.console.views.case_pages import due_cell, list_args, worklist
from backend.console.views.guard import NAV, console_page, current
from backend.platform.access import OperatorRole
from backend.repair import review
from backend.repair.presenting import describe, waiting_due
from backend.repair.schemas import RepairArgsSchema
from backend.repair.vocab import STATE_ZH, RepairState

NAV[OperatorRole.WINDOW] += [("窗口修复办件", "console.window_repairs")]
COLUMNS = [("ref", "申请编号"), ("state_zh", "状态"), ("department", "认定部门"), ("record_title", "失信记录"),
           ("document_no", "决定文书号"), ("submitted_at", "提交时间"), ("due", "当前期限"), ("overdue_zh", "期限情况"),
           ("returned_zh", "需补正事项")]


def _row(app) -> dict:
    d = describe(app)
    row = {**d, "record_title": d["record"].title, "document_no": d["record"].document_no, "due": waiting_due(app),
           "returned_zh": "；".join(d["returned_items"] or []) if app.state == RepairState.RETURNED else ""}
    if app.state == RepairState.RETURNED:
        row["_links"] = {"ref": url_for("console.window_repair_completion", ref=app.ref),
                         "returned_zh": url_for("console.window_repair_completion", ref=app.ref)}
    due_cell(row, "due", d["overdue"])
    return row


@console.get("/window/repairs")
@console_page(OperatorRole.WINDOW, OperatorRole.ADMIN)
def window_repairs():
    """As GET /repairs for a window: the applications this clerk filed (an admin: every department's)."""
    args = list_args(RepairArgsSchema(), ("state",))
    page = review.applications(current(), args.get("state"), args["page"], args["per_page"])
    return worklist("本窗口代办的信用修复", "window-repairs.csv", COLUMNS, [_row(a) for a in page.items], args,
                    page.total,
                    filters=[{"name": "state", "label": "状态", "type": "select",
                              "options": [("", "全部"), *((s.value, zh) for s, zh in STATE_ZH.items())]}],
                    intro="退回补正的申请，点击编号按通知补正；期限按工作日计算，逾期以红色标出。")
