"""Prometheus metrics: requests by route and status, scans, redemptions, grade recomputations.

Under gunicorn, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR before any worker imports
prometheus_client, so each worker writes its samples to files there and /metrics sums them
(dead workers are marked in child_exit). Without it (tests, flask run) the process registry is used.
Services call the count_* helpers; they never raise.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest

REQUESTS = Counter("credit_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("credit_http_request_duration_seconds", "Time to build the response", ["method", "route", "status"],
                    buckets=(0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
SCANS = Counter("credit_scans", "Personal codes verified online, by outcome", ["outcome"])
REDEMPTIONS = Counter("credit_redemptions", "Redemption requests by outcome (granted, refused, replayed) and reason",
                      ["outcome", "reason"])
DENIALS = Counter("credit_denials", "403 answers by route and code; audited=no past the per-actor audit budget",
                  ["route", "code", "audited"])
REGRADES = Counter("credit_grade_recomputations", "Subjects re-graded, by whether the grade or score changed",
                   ["result"])
CALENDAR_FALLBACKS = Counter("credit_calendar_fallbacks", "Working days counted as plain weekdays: the year is not "
                             "in the calendar yet (enter the State Council's notice)", ["year"])


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    labels = (method, route, str(status))
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(seconds)


def count_scan(outcome: str) -> None:
    SCANS.labels(outcome).inc()


def count_denial(route: str, code: str, audited: bool) -> None:
    DENIALS.labels(route, code, "yes" if audited else "no").inc()


def count_redemption(outcome: str, reason: str = "") -> None:
    REDEMPTIONS.labels(outcome, reason).inc()


def count_regrades(evaluated: int, changed: int) -> None:
    if changed:
        REGRADES.labels("changed").inc(changed)
    if evaluated - changed > 0:
        REGRADES.labels("unchanged").inc(evaluated - changed)


def count_calendar_fallback(year: int) -> None:
    CALENDAR_FALLBACKS.labels(str(year)).inc()


def exposition() -> tuple[bytes, str]:
    """The current samples in the text format, summed over every worker in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
