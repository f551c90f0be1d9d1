"""Observability: JSON-line logs with a request line per request, and Prometheus metrics at /metrics."""

from __future__ import annotations

from flask import Flask, g

from backend.platform.observability.logs import install_logging, register_request_log
from backend.platform.observability.metrics import observe_request


def register_observability(app: Flask) -> None:
    """Log handler (not under tests: they install their own), request log and request metrics."""
    if not app.testing:
        install_logging(app.config["LOG_FORMAT"])
    register_request_log(app)

    @app.teardown_request
    def record_metrics(_exc):
        if (observed := g.get("observed")) is not None:
            from flask import request

            observe_request(request.method, *observed)

