"""What every console page goes through: the session cookie, CSRF on every form, the operator's role, the
rendering with who is signed in, and list exports.

A page authenticates like the API does (the session names an operator; a revoked operator's sessions die),
then checks the role with platform.access.check_role — the very check require_operator makes — and calls the
same use cases as the API's views with that operator, so scope checks and audit entries are theirs.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps

from flask import current_app, g, render_template, request

from backend.console import sessions
from backend.merchants import Market
from backend.platform.access import ROLE_ZH, Operator, OperatorRole, check_role
from backend.platform.db import db
from backend.platform.errors import Forbidden
from backend.platform.web.auth import remember_principal
from backend.platform.web.csv_export import csv_response
from backend.scanning import Partner

COOKIE = "console_session"
PRE_COOKIE = "console_pre"  # the sign-in form's CSRF value (double-submit): no session exists yet
CSRF_FIELD = "csrf_token"
CSV_ROWS = 10_000  # an export holds the whole filtered list, up to this many rows
CSRF_MESSAGE = "表单已失效（缺少或不符的防伪令牌），请返回刷新页面后重新提交。"

# Links in the header by role: (label, endpoint).
NAV = {
    OperatorRole.DEPARTMENT: [("登记信用记录", "console.record_form"), ("导入 CSV", "console.import_form"),
                              ("红黑名单", "console.list_entries"), ("信用档案", "console.credit_file"),
                              ("一键查询", "console.joint_query"), ("双随机抽查", "console.supervision_tasks"),
                              ("预警与约谈", "console.supervision_warnings"),
                              ("分类标准", "console.publication_classes")],
    OperatorRole.MARKET: [("商户", "console.merchants"), ("登记商户", "console.merchant_form"),
                          ("批量导入", "console.merchant_import_form")],
    OperatorRole.WINDOW: [("柜台实名绑定", "console.counter_binding")],
    OperatorRole.PARTNER: [("扫码设备", "console.devices"), ("激励措施", "console.incentives"),
                           ("结算", "console.settlement_page")],
    OperatorRole.ADMIN: [("概览", "console.overview_page"), ("操作员", "console.operators_page"),
                         ("审计日志", "console.audit_log"), ("签名密钥", "console.signing_keys"),
                         ("一键查询", "console.joint_query"), ("扫码设备", "console.devices"),
                         ("工作日历", "console.calendar_years"), ("分类标准", "console.publication_classes")],
}


def current() -> Operator:
    return g.console_operator


def scope_text(op: Operator) -> str:
    """The operator's scope in words: department, market or partner."""
    if op.market_id:
        market = db.session.get(Market, op.market_id)
        return f"市场：{market.name}" if market else "市场"
    if op.partner_id:
        partner = db.session.get(Partner, op.partner_id)
        return f"合作单位：{partner.name}" if partner else "合作单位"
    if op.department:
        return f"部门：{op.department}"
    return "全平台"


def check_csrf(expected: str) -> None:
    """Raises Forbidden (csrf_failed) unless the form carries the expected token."""
    given = request.form.get(CSRF_FIELD, "")
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden(CSRF_MESSAGE, code="csrf_failed")


def console_page(*roles: str, upload: bool = False) -> Callable:
    """A page for operators of `roles`: session resumed (idle clock restarted), CSRF checked on POST, role checked;
    raises Unauthorized (session_expired → the sign-in page) or Forbidden (csrf_failed, wrong_role). `upload`:
    the form carries a CSV file, up to CSV_MAX_BYTES (as the API's CSV upload), not the JSON bodies' limit."""
    roles = roles or tuple(OperatorRole)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if upload:
                request.max_content_length = current_app.config["CSV_MAX_BYTES"]
            row = sessions.resume(request.cookies.get(COOKIE))
            op = sessions.operator_of(row)
            remember_principal("operator", op)  # current_operator() and audited refusals name this operator
            g.console_session, g.console_operator = row, op
            if request.method == "POST":
                check_csrf(row.csrf_token)
            check_role(op, roles)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def pre_token() -> str:
    """The sign-in form's CSRF value: the cookie's, or a new one (set by after_request)."""
    token = request.cookies.get(PRE_COOKIE) or g.get("new_pre_token")
    if not token:
        token = g.new_pre_token = secrets.token_urlsafe(32)
    return token


def render(template: str, status: int = 200, **context):
    """A console page with the header (who, role, scope, links) and the session's CSRF token."""
    op = g.get("console_operator")
    row = g.get("console_session")
    me = None
    if op is not None:
        links = [*NAV.get(op.role, []), ("后台任务", "console.jobs_page")]
        me = {"name": op.name, "role": ROLE_ZH[op.role], "scope": scope_text(op), "links": links,
              "idle_minutes": current_app.config["CONSOLE_IDLE_SECONDS"] // 60}
    csrf = row.csrf_token if row is not None else pre_token()
    return render_template(template, me=me, csrf=csrf, csrf_field=CSRF_FIELD, **context), status


def wants_csv() -> bool:
    return request.args.get("format") == "csv"


def export(filename: str, columns: list[tuple[str, str]], rows: list[dict]):
    """The list as CSV (encoding=gbk on request), the same columns as the page."""
    encoding = "gbk" if request.args.get("encoding", "").lower() == "gbk" else "utf-8"
    return csv_response(filename, [label for _, label in columns], ([r.get(k) for k, _ in columns] for r in rows),
                        encoding)


def listing(template_title: str, filename: str, columns: list[tuple[str, str]], rows: list[dict], **context):
    """A list page (the generic table) or, with ?format=csv, its export."""
    if wants_csv():
        return export(filename, columns, rows)
    return render("console/table.html", title=template_title, columns=columns, rows=rows, **context)


def form_data() -> dict:
    """The submitted form minus the CSRF token and empty optional fields (as an API client would omit them)."""
    return {k: v for k, v in request.form.items() if k != CSRF_FIELD and v.strip() != ""}
