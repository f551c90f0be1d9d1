"""Logs as JSON lines (or text in development), one line per request, personal data redacted.

The request line names the route rule (/m/<handle>), never the raw path or query string, so
handles, resident ids and USCCs in URLs stay out of the logs. The RedactingFilter on our handler
is a safety net for what a developer might log by mistake: resident ids, op_/dev_/mp_ tokens,
Bearer values, compact JWS (personal codes, receipts) and key=value secrets.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sys
import time

from flask import Flask, g, has_request_context, request

REQUEST_LOGGER = "credit.requests"
REDACTED = "[redacted]"
PATTERNS = [
    re.compile(r"(?i)bearer\s+[^\s\"',;]+"),
    re.compile(r"\b(?:op|dev|mps?)_[A-Za-z0-9_-]{16,}"),  # operator, device, mini-program session tokens
    re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"),  # compact JWS/JWT
    re.compile(r"\b[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{20,}"),  # JWS with an odd header
    re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"),  # 18-character resident id
    # PostgreSQL's DETAIL line of a failed statement quotes the row or key ("Failing row contains (…)",
    # "Key (uscc)=(…) already exists"): record text the engine's hide_parameters cannot reach.
    re.compile(r"(?<=DETAIL:)[^\n]*"),
]
# key=value / "key": "value" for names whose values are personal or secret.
KEYED = re.compile(r"(?i)(\b(?:\w+_)?(?:openid|unionid|session_key|id_number|id_card|token|code|name|password"
                   r"|secret|appsecret)[\"']?\s*[:=]\s*[\"']?)([^\"'\s,&}]+)")
REQUEST_FIELDS = ("method", "route", "status", "duration_ms", "request_id", "pid")


def redact(text: str) -> str:
    """text with every personal or secret value replaced by [redacted]."""
    for pattern in PATTERNS:
        text = pattern.sub(REDACTED, text)
    return KEYED.sub(lambda m: m.group(1) + REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites the message and traceback of every record through redact(); drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, request_id, pid, and the request fields."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
               "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage(),
               "pid": record.process}
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                out[name] = getattr(record, name)
        if "request_id" not in out and has_request_context() and g.get("request_id"):
            out["request_id"] = g.request_id
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exc"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at emit time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def install_logging(fmt: str, stream=None) -> logging.Handler:
    """Replace our root handler with one writing `fmt` ("json" or "text") lines; returns it."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "credit_handler", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream) if stream is not None else StderrHandler()
    handler.credit_handler = True
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    from flask.logging import default_handler

    for name in ("backend.app", "wsgi"):  # Flask's own handler would print every app log line twice
        logging.getLogger(name).removeHandler(default_handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # its access lines carry raw paths and queries
    return handler


def register_request_log(app: Flask) -> None:
    """Time every request and log one line for it after the response is built."""
    log = logging.getLogger(REQUEST_LOGGER)
    log.setLevel(logging.INFO)
    pid = os.getpid

    def start_timer():
        g.started = time.perf_counter()

    # First of all before_request hooks (the rate limiter's included), so a refusal is timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, start_timer)

    @app.after_request
    def log_request(response):
        duration = time.perf_counter() - g.get("started", time.perf_counter())
        route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
        g.observed = (route, response.status_code, duration)
        log.info("%s %s %s %.1fms", request.method, route, response.status_code, duration * 1000,
                 extra={"method": request.method, "route": route, "status": response.status_code,
                        "duration_ms": round(duration * 1000, 2), "request_id": g.get("request_id", ""),
                        "pid": pid()})
        return response
