"""GET /metrics: Prometheus text, for admins and the monitoring token only; counters follow real requests."""

from __future__ import annotations

import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from backend.models import Base
from backend.platform.extensions import db as _db
from tests.credit.helpers import dept, person_ref, record
from tests.factories import bearer, operator_token, person
from tests.scanning.helpers import code_for, redeem, scan_setup, verify
from tests.scanning.servers import gunicorn


def samples(text: str) -> dict[tuple, float]:
    """{(sample name, sorted labels): value} from the exposition text."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(snapshot: dict, name: str, **labels) -> float:
    return snapshot.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def scrape(client):
    token = operator_token("admin")

    def read() -> dict:
        resp = client.get("/metrics", headers=bearer(token))
        assert resp.status_code == 200 and resp.mimetype == "text/plain"
        return samples(resp.get_data(as_text=True))
    return read


def test_metrics_refuse_the_public_and_other_roles(client, app):
    anonymous = client.get("/metrics")
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]["code"] == "unauthorized"
    assert client.get("/metrics", headers=bearer("op_forged-token-0123456789abcdef")).status_code == 401
    department = client.get("/metrics", headers=bearer(operator_token("department")))
    assert department.status_code == 403 and department.get_json()["error"]["code"] == "wrong_role"
    app.config["METRICS_TOKEN"] = "monitoring-token-123"
    assert client.get("/metrics", headers=bearer("monitoring-token-124")).status_code == 401
    ok = client.get("/metrics", headers=bearer("monitoring-token-123"))
    assert ok.status_code == 200 and b"credit_http_requests_total" in ok.data


def test_request_counts_and_latencies_by_route_and_status(client, scrape):
    before = scrape()
    client.get("/healthz")
    client.get("/healthz")
    client.get("/m/Zq8Xw3Lk")
    after = scrape()
    ok = {"method": "GET", "route": "/healthz", "status": "200"}
    assert value(after, "credit_http_requests_total", **ok) - value(before, "credit_http_requests_total", **ok) == 2
    assert value(after, "credit_http_request_duration_seconds_count", **ok) - \
        value(before, "credit_http_request_duration_seconds_count", **ok) == 2
    missing = {"method": "GET", "route": "/m/<ref>", "status": "404"}
    assert value(after, "credit_http_requests_total", **missing) - value(before, "credit_http_requests_total", **missing) == 1


def test_scans_redemptions_and_regrades_by_outcome(client, scrape):
    devices = scan_setup()
    transit = devices["transit"]["token"]
    before = scrape()
    resident = person()
    verify(client, transit, code_for(resident))
    verify(client, transit, "not-a-code")
    code = code_for(resident)
    assert redeem(client, transit, code, "bus-discount", key="metrics-key-001").status_code == 201
    assert redeem(client, transit, code, "bus-discount", key="metrics-key-001").status_code == 200
    assert redeem(client, transit, code_for(resident), "bus-discount", key="metrics-key-002").status_code == 409
    assert client.post("/api/dept/v1/records", json=record(person_ref(), "honour"), headers=dept()).status_code == 201
    after = scrape()

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("credit_scans_total", outcome="valid") == 1
    assert sum(v for (n, _), v in after.items() if n == "credit_scans_total") - \
        sum(v for (n, _), v in before.items() if n == "credit_scans_total") == 2
    assert moved("credit_redemptions_total", outcome="granted", reason="") == 1
    assert moved("credit_redemptions_total", outcome="replayed", reason="") == 1
    assert moved("credit_redemptions_total", outcome="refused", reason="over_quota") == 1
    assert moved("credit_grade_recomputations_total", result="changed") == 1


def test_openapi_leaves_out_metrics(client):
    assert "/metrics" not in client.get("/openapi.json").get_json()["paths"]


def test_gunicorn_workers_add_up_in_one_scrape(app, tmp_path, monkeypatch):
    """Two workers write to the per-run directory gunicorn.conf.py makes; one scrape sums them."""
    url = f"sqlite:///{tmp_path / 'metrics.sqlite3'}"
    from backend.app import create_app
    from backend.config import TestConfig
    other = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                        "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    with other.app_context():
        Base.metadata.create_all(_db.engine)
        _db.engine.dispose()
    monkeypatch.setenv("METRICS_TOKEN", "monitoring-token-123")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    with gunicorn(url) as base:
        for _ in range(20):
            urllib.request.urlopen(base + "/healthz").read()
        request = urllib.request.Request(base + "/metrics", headers={"Authorization": "Bearer monitoring-token-123"})
        text = urllib.request.urlopen(request).read().decode()
    healthz = value(samples(text), "credit_http_requests_total", method="GET", route="/healthz", status="200")
    assert healthz >= 20  # plus the readiness probes of the test's server helper
    # The multiprocess collector answered (the single-process registry would add the gc/process collectors).
    assert "python_gc_objects_collected_total" not in text and "credit_http_requests_total" in text
