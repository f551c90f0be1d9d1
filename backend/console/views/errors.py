"""Chinese error pages for the console, its security headers and cookies.

Refusals (403) are audited through platform.web.denials like the API's; an expired session goes back to the
sign-in page; a client asking for JSON gets the one JSON envelope.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from flask import current_app, g, redirect, request, url_for
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from backend.console.views import console
from backend.console.views.guard import PRE_COOKIE, render
from backend.platform.clock import CHINA
from backend.platform.errors import DomainError
from backend.platform.web.denials import audit_denial
from backend.platform.web.errors import error_response, http_message

# No script at all; the stylesheet is the console's own file; images only from here (posters, QR codes).
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
TITLES = {401: "请先登录", 403: "没有权限", 404: "没有找到", 409: "操作未完成", 410: "已失效", 422: "填写有误",
          429: "请稍后再试", 503: "服务暂时不可用"}


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@console.errorhandler(DomainError)
def domain_error(e: DomainError):
    if e.status == 403:
        audit_denial(e.code)
    if wants_json():
        return error_response(e.status, e.code, e.message, e.details)
    if e.status == 401 and e.code == "session_expired":
        return redirect(url_for("console.sign_in_form", expired=1, next=request.full_path
                                if request.method == "GET" else None))
    return render("console/error.html", e.status, title=TITLES.get(e.status, "出错了"), message=e.message,
                  details=e.details)


@console.errorhandler(ValidationError)
def invalid_form(e: ValidationError):
    """A form that did not pass the API's schema (views usually re-render the form themselves)."""
    return render("console/error.html", 422, title=TITLES[422], message="表单未通过校验：", details=e.messages)


@console.errorhandler(HTTPException)
def http_error(e: HTTPException):
    status = e.code or 500
    if status == 403:
        audit_denial("forbidden")
    if wants_json():
        return error_response(status, "http_error", http_message(e, status))
    return render("console/error.html", status, title=TITLES.get(status, "出错了"), message=http_message(e, status))


@console.after_request
def headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config["CONSOLE_COOKIE_SECURE"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if g.get("new_pre_token"):
        set_cookie(response, PRE_COOKIE, g.new_pre_token, max_age=3600)
    return response


def set_cookie(response, name: str, value: str, max_age: int | None = None) -> None:
    """HttpOnly, SameSite=Strict, Secure unless CONSOLE_COOKIE_SECURE is off (plain-http development), path /console."""
    response.set_cookie(name, value, max_age=max_age, path="/console", httponly=True, samesite="Strict",
                        secure=current_app.config["CONSOLE_COOKIE_SECURE"])


@console.app_template_filter("query_with")
def query_with(args, **extra) -> str:
    """The page's query string with `extra` set (the export links keep the page's filters)."""
    merged = {**{k: v for k, v in args.items() if k not in extra}, **extra}
    return urlencode(merged)


@console.app_template_filter("pretty")
def pretty(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


@console.before_request
def forget_last_request() -> None:
    """Nothing of an earlier request's operator, session or sign-in token (tests share one g across requests)."""
    for name in ("console_operator", "console_session", "new_pre_token"):
        g.pop(name, None)


@console.app_template_filter("beijing")
def beijing(value) -> str:
    """An aware datetime in Beijing time, to the second."""
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


@console.app_template_filter("cell")
def cell(value) -> str:
    """A table cell: times in Beijing time, nothing for None, the rest as text."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return beijing(value)
    return value if isinstance(value, str) else pretty(value) if isinstance(value, dict | list) else str(value)
