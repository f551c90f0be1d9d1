"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (make run uses it).

The access log shows the path without its query string: 一键查询 takes a resident id or
USCC as a query parameter, and ids must never reach a log. Referer and User-Agent are
left out for the same reason (a referer can carry a query string).
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))  # sync workers; one per core
timeout = 30
graceful_timeout = 20
accesslog = "-"
access_log_format = '%(t)s %(m)s %(U)s %(s)s %(b)s %(L)ss rid=%({x-request-id}o)s'
