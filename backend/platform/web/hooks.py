"""Request hooks every path gets: a request id, no NUL in URLs, JSON-only API bodies, common headers, and
shared cache versions read once per request."""

from __future__ import annotations

import uuid

from flask import Flask, current_app, g, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from backend.platform import caching

BODY_METHODS = {"POST", "PUT", "PATCH"}


def assign_request_id() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isalnum() else uuid.uuid4().hex


def refuse_nul_in_url() -> None:
    """NUL in a path or query value would reach PostgreSQL, which refuses it (a 500)."""
    if "\x00" in request.path or any("\x00" in k + v for k, v in request.args.items(multi=True)):
        raise BadRequest("网址中不能含有 NUL 字符。")


def require_json_body() -> None:
    """Bodies on API writes must be JSON unless the view declares other types (CSV upload)."""
    if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
        return
    if not request.content_length and request.headers.get("Transfer-Encoding") != "chunked":
        return
    view = current_app.view_functions.get(request.endpoint)
    allowed = getattr(view, "accepts", ("application/json",))
    if request.mimetype not in allowed:
        raise UnsupportedMediaType(f"请求体应为 {' 或 '.join(allowed)}，而不是 {request.mimetype or '空类型'}"
                                   f"（请设置 Content-Type）。")
    if request.mimetype == "application/json":
        request.get_json()  # webargs parses again, but would let deep nesting and NUL through


def add_common_headers(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def register_request_hooks(app: Flask) -> None:
    for hook in (caching.begin_request, assign_request_id, refuse_nul_in_url, require_json_body):
        app.before_request(hook)
    app.after_request(add_common_headers)
    app.teardown_request(caching.end_request)
