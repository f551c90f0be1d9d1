"""gunicorn's own log lines (start, worker boot and timeout) as JSON lines too (gunicorn.conf.py picks it)."""

from __future__ import annotations

from gunicorn.glogging import Logger

from backend.platform.observability.logs import JsonFormatter, RedactingFilter


class JsonLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())
                handler.addFilter(RedactingFilter())
