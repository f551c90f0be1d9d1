"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (make run uses it).

The app logs one line per request itself (backend/observability: route rule, status, duration,
request id; JSON lines in production), so gunicorn's own access log is off unless
GUNICORN_ACCESS_LOG=1. When on, it shows the path without its query string and no Referer or
User-Agent: 一键查询 takes a resident id or USCC as a query parameter, and ids must never reach a log.

Metrics: the workers write Prometheus samples to PROMETHEUS_MULTIPROC_DIR, which GET /metrics sums.
This file sets it to a fresh per-run directory (or empties the one given) before any worker starts,
marks each dead worker's files, and removes the directory it made when gunicorn exits.
"""

import glob
import os
import shutil
import tempfile

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))  # one per core
# Production: sync workers behind nginx (deploy/nginx), which hands them only complete requests.
# GUNICORN_THREADS > 1 (make run: 4) uses gthread workers instead, so with nothing in front a couple of idle or
# half-sent connections take a thread each, not a whole worker (docs/deployment.md, "Slow clients").
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = 30
graceful_timeout = 20
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") == "1" else None
access_log_format = '%(t)s %(m)s %(U)s %(s)s %(b)s %(L)ss rid=%({x-request-id}o)s'
# The same default as the app (backend/config.py): JSON lines in production, text in development.
if (os.environ.get("LOG_FORMAT") or ("json" if os.environ.get("APP_ENV") == "production" else "text")) == "json":
    logger_class = "backend.platform.observability.gunicorn_logging.JsonLogger"

_made_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _made_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="credit-metrics-")


def on_starting(server):
    """Samples of an earlier run would be summed with this one's: start from an empty directory."""
    path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(path, exist_ok=True)
    for stale in glob.glob(os.path.join(path, "*.db")):
        os.remove(stale)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _made_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
