"""Background jobs: large CSV imports answer 202 and run as jobs (all rows or none, progress, idempotent
retries), failures are retried then kept for operators, periodic work runs, and a real worker process
(`flask jobs worker`) runs what the web app queued."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from backend.app import create_app
from backend.config import TestConfig
from backend.credit import import_jobs
from backend.models import AuditCheckpoint, AuditEntry, Base, CreditRecord, Job
from backend.platform.extensions import db as _db
from tests.credit.helpers import SAMR, dept
from tests.credit.test_import import csv_text, good_rows
from tests.factories import bearer, operator_token, resident_id
from tests.scanning.servers import ROOT

IMPORT = "/api/dept/v1/records/import"


def upload(client, text: str, headers: dict, encoding: str = "gbk", key: str | None = None):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(IMPORT, data=text.encode(encoding), headers={**headers, **extra, "Content-Type": "text/csv"})


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def small_async(app):
    app.config["CSV_ASYNC_BYTES"] = 100  # every test file goes through a job


def test_a_large_import_is_answered_202_and_its_job_reports_what_was_stored(client, db, small_async):
    h = dept()
    resp = upload(client, csv_text(good_rows()), h)
    assert resp.status_code == 202, resp.get_json()
    job = resp.get_json()
    assert resp.headers["Location"] == job["url"] == f"/api/dept/v1/jobs/{job['id']}"
    assert job["kind"] == "records.import_csv" and job["params"]["encoding"] == "gbk"
    done = client.get(job["url"], headers=h).get_json()  # JOBS_IMMEDIATE: it ran after the request committed
    assert (done["status"], done["status_zh"], done["attempts"]) == ("succeeded", "已完成", 1)
    assert done["result"] == {"rows": 3, "created": 3, "updated": 0, "subjects_regraded": 3, "encoding": "gbk"}
    assert count(db, CreditRecord) == 3
    assert db.session.get(Job, job["id"]).payload is None  # the file is not kept once imported
    actions = [a for a in db.session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars()
               if not a.startswith("supervision.")]  # the food penalties raise risk warnings, audited in between
    assert actions[-3:] == ["job.submit", "records.import", "job.succeed"]


def test_a_file_with_a_bad_row_fails_its_job_lists_every_row_and_stores_nothing(client, db, small_async):
    rows = [*good_rows(), f",{resident_id(16)[:-1]}Y,某人,admin_penalty,,,缺严重程度,D-3,依据,2026-13-01,"]
    h = dept()
    job = upload(client, csv_text(rows), h).get_json()
    failed = client.get(job["url"], headers=h).get_json()
    assert failed["status"] == "failed" and failed["attempts"] == 1  # bad input: no retry
    assert failed["error"]["code"] == "rows_rejected" and "未保存任何记录" in failed["error"]["message"]
    assert {e["row"] for e in failed["error"]["details"]["errors"]} == {5}
    assert count(db, CreditRecord) == 0


def test_a_retried_upload_with_the_same_key_is_the_same_job(client, db, small_async):
    h = dept()
    first = upload(client, csv_text(good_rows()), h, key="upload-2026-12-01-a")
    again = upload(client, csv_text(good_rows()), h, key="upload-2026-12-01-a")
    assert first.status_code == again.status_code == 202 and first.get_json()["id"] == again.get_json()["id"]
    assert count(db, Job) == 1 and count(db, CreditRecord) == 3


def test_a_small_file_is_still_imported_in_the_request(client, db):
    resp = upload(client, csv_text(good_rows()), dept())
    assert resp.status_code == 201 and resp.get_json()["rows"] == 3 and count(db, Job) == 0


def test_jobs_are_visible_to_their_operator_and_admins_only(client, db, small_async):
    mine, other = dept(), bearer(operator_token("department", department=SAMR))
    admin = bearer(operator_token("admin"))
    job = upload(client, csv_text(good_rows()), mine).get_json()
    assert client.get(job["url"], headers=other).status_code == 404
    assert client.get("/api/dept/v1/jobs", headers=other).get_json()["meta"]["total"] == 0
    assert client.get(job["url"], headers=admin).status_code == 200
    listed = client.get("/api/dept/v1/jobs?status=succeeded", headers=mine).get_json()
    assert [j["id"] for j in listed["items"]] == [job["id"]] and listed["meta"]["total"] == 1
    assert client.post(f"{job['url']}/retry", headers=mine).status_code == 403  # only admins retry


def test_an_unexpected_error_is_retried_then_kept_failed_and_an_admin_can_retry(client, db, small_async,
                                                                               app, monkeypatch):
    calls = []
    real = import_jobs.store_rows

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) <= app.config["JOB_RETRIES"] + 1:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_jobs, "store_rows", flaky)
    h = dept()
    job = upload(client, csv_text(good_rows()), h).get_json()
    failed = client.get(job["url"], headers=h).get_json()
    assert failed["status"] == "failed" and failed["attempts"] == app.config["JOB_RETRIES"] + 1
    assert failed["error"] == {"code": "job_error", "message": "后台任务出错，已停止重试，请联系平台管理员。",
                               "details": {"error": "RuntimeError"}}
    assert count(db, CreditRecord) == 0
    admin = bearer(operator_token("admin"))
    assert [j["id"] for j in client.get("/api/dept/v1/jobs?status=failed", headers=admin).get_json()["items"]] == [
        job["id"]]
    retried = client.post(f"{job['url']}/retry", headers=admin)
    assert retried.status_code == 200
    assert client.get(job["url"], headers=admin).get_json()["status"] == "succeeded" and count(db, CreditRecord) == 3
    assert client.post(f"{job['url']}/retry", headers=admin).get_json()["error"]["code"] == "job_not_retryable"


def test_a_job_whose_operator_was_revoked_stores_nothing(client, db, small_async, app, monkeypatch):
    from backend.operators import services

    token = operator_token("department", department=SAMR)
    op_id = db.session.execute(select(AuditEntry.target_id).where(AuditEntry.action == "operator.create")
                               .order_by(AuditEntry.seq.desc())).scalars().first()
    queued = []
    monkeypatch.setitem(app.extensions, "run_job", queued.append)  # hold the job in the queue
    job = upload(client, csv_text(good_rows()), bearer(token)).get_json()
    services.revoke_operator(int(op_id), actor="test")
    monkeypatch.undo()
    app.extensions["run_job"](queued[0])
    failed = db.session.get(Job, job["id"])
    db.session.refresh(failed)
    assert failed.status == "failed" and failed.error["code"] == "operator_revoked" and count(db, CreditRecord) == 0


def test_the_audit_checkpoint_is_periodic_work_and_a_failed_run_is_kept(app, db):
    huey = app.extensions["huey"]
    due = huey.read_periodic(dt.datetime(2026, 12, 1, 10, 5))
    assert [t.name for t in due] == ["periodic:audit.checkpoint"]
    assert huey.read_periodic(dt.datetime(2026, 12, 1, 10, 7)) == []  # every 5 minutes
    operator_token("admin")
    huey.execute(due[0])
    assert count(db, AuditCheckpoint) == 1
    operator_token("admin")
    newest = db.session.scalar(select(func.max(AuditEntry.seq)))
    db.session.query(AuditEntry).filter(AuditEntry.seq == newest).update({"actor": "operator:999"})  # rewritten
    db.session.commit()
    huey.execute(due[0])
    failed = db.session.execute(select(Job).where(Job.kind == "audit.checkpoint")).scalar_one()
    assert failed.status == "failed" and failed.actor == "schedule" and count(db, AuditCheckpoint) == 1


def test_the_cli_import_shows_a_bar_per_phase(runner, db, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(csv_text(good_rows()), encoding="gbk")
    result = runner.invoke(args=["import-records", str(path), "--department", SAMR])
    assert result.exit_code == 0, result.output
    assert all(label in result.stderr for label in ("校验", "保存", "重新评价"))
    assert '"created": 3' in result.stdout


def test_a_worker_process_runs_what_the_web_app_queued(tmp_path):
    """Like `make run`: gunicorn's app queues into the SQLite queue file, `flask jobs worker` runs it."""
    db_url, queue = f"sqlite:///{tmp_path / 'credit.sqlite3'}", str(tmp_path / "jobs.sqlite3")
    settings = {"SQLALCHEMY_DATABASE_URI": db_url, "SQLALCHEMY_ENGINE_OPTIONS": {}, "JOBS_IMMEDIATE": False,
                "JOBS_SQLITE_PATH": queue, "CSV_ASYNC_BYTES": 100}
    web = create_app(type("WebConfig", (TestConfig,), settings))
    with web.app_context():
        Base.metadata.create_all(_db.engine)
        token = operator_token("department", department=SAMR)
    client = web.test_client()
    job = upload(client, csv_text(good_rows()), bearer(token)).get_json()
    assert job["status"] == "queued"
    env = {**os.environ, "APP_ENV": "testing", "DATABASE_URL": db_url, "JOBS_SQLITE_PATH": queue,
           "FLASK_APP": "wsgi", "SECRET_KEY": TestConfig.SECRET_KEY, "ID_HASH_KEY": TestConfig.ID_HASH_KEY,
           "KEY_ENCRYPTION_KEY": TestConfig.KEY_ENCRYPTION_KEY}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "jobs", "worker", "--threads", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, status = time.monotonic() + 30, None
        while time.monotonic() < deadline and status not in ("succeeded", "failed"):
            time.sleep(0.2)
            status = client.get(job["url"], headers=bearer(token)).get_json()["status"]
        assert status == "succeeded"
        assert client.get(job["url"], headers=bearer(token)).get_json()["result"]["created"] == 3
    finally:
        worker.send_signal(signal.SIGINT)  # huey's graceful stop
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    with web.app_context():
        assert _db.session.scalar(select(func.count()).select_from(CreditRecord)) == 3
        _db.engine.dispose()
