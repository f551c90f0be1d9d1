"""One JSON error shape for every API path: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from backend.platform.errors import DomainError
from backend.platform.web.auth import forget_principal
from backend.platform.web.denials import audit_denial

log = logging.getLogger(__name__)

JSON_PREFIXES = ("/api/", "/.well-known/", "/healthz", "/openapi.json", "/metrics")

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 410: "gone", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_failed", 429: "rate_limited",
    500: "internal_error", 503: "unavailable",
}
ZH_TITLES = {404: "页面不存在", 410: "该二维码已作废", 429: "请求过于频繁", 503: "服务暂时不可用"}


def error_response(status: int, code: str, message: str, details=None, headers=None) -> Response:
    """The envelope as JSON, or a short Chinese HTML page for browser paths."""
    if request.path.startswith(JSON_PREFIXES) or request.accept_mimetypes.best == "application/json":
        resp = jsonify({"error": {"code": code, "message": message, "details": details}})
    else:
        title = ZH_TITLES.get(status, "出错了")
        html = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width,initial-scale=1">'
                f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p></html>")
        resp = Response(html, mimetype="text/html")
    resp.status_code = status
    for name, value in (headers or {}).items():
        resp.headers[name] = value
    return resp


def handle_domain_error(e: DomainError) -> Response:
    if e.status == 403:
        audit_denial(e.code)
    headers = {"Retry-After": str(e.retry_after)} if e.retry_after else {}
    if e.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(e.status, e.code, e.message, e.details, headers)


def handle_http_exception(e: HTTPException) -> Response:
    status = e.code or 500
    if status == 403:
        audit_denial(HTTP_CODES[403])
    data = getattr(e, "data", None) or {}
    details = data.get("errors") or data.get("messages")
    message = data.get("message") or e.description or e.name
    if status == 422 and details:
        message = "The request body or parameters failed validation; see details."
    # Keep protocol headers such as Allow (405) and Retry-After (429).
    headers = {k: v for k, v in e.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    return error_response(status, HTTP_CODES.get(status, "http_error"), message, details, headers)


def handle_database_down(e: Exception) -> Response:
    if isinstance(e, DBAPIError) and not isinstance(e, OperationalError) and not e.connection_invalidated:
        return handle_unexpected(e)
    log.error("database unavailable: %s", type(e).__name__)
    return error_response(503, "database_unavailable", "The database is unreachable; retry shortly.",
                          headers={"Retry-After": "5"})


def handle_unexpected(e: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", "An unexpected error occurred.")


def close_session(exc: BaseException | None) -> None:
    """End the request's session even when the database died under it; raises nothing.

    Flask-SQLAlchemy's teardown rolls back an open transaction, and when PostgreSQL has gone
    away that ROLLBACK raises after the response was built: gunicorn then replaced the JSON
    503 (or a 201 whose commit succeeded) with its own HTML 500. The connection is already
    invalidated by then; forgetting the session is all that is left to do.
    """
    from backend.platform.extensions import db

    try:
        db.session.remove()
    except DBAPIError as e:
        log.warning("database connection lost at the end of a request: %s", type(e.orig).__name__)
        db.session.registry.clear()


def register_error_handlers(app: Flask) -> None:
    """Registered on the app, so unknown URLs and blueprint errors get the same shape."""
    app.teardown_appcontext(close_session)  # registered after Flask-SQLAlchemy's, so it runs first
    app.before_request(forget_principal)  # a 403 is audited with this request's caller, never an earlier one's
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(PoolTimeout, handle_database_down)
    app.register_error_handler(DBAPIError, handle_database_down)
    app.register_error_handler(Exception, handle_unexpected)
