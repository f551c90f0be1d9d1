"""One job runner for every feature: huey, with the job's record in our database.

Features register a handler per job kind (`@jobs.handler("records.import_csv")`) and periodic work
(`@jobs.periodic("audit.checkpoint", minutes=5)`); a use case submits a job (`jobs.submit`), which is
queued once its transaction commits. A worker (`flask jobs worker`; `make run` starts one) runs it:

- the `jobs` row is the truth operators see (GET /api/dept/v1/jobs): queued → running → succeeded, or
  failed with the error. The handler runs inside a use case with the job's own status update, so a
  job's writes and its "succeeded" commit together, and a failure stores nothing of it.
- a domain error (bad input) fails the job at once; any other error is retried JOB_RETRIES times
  (JOB_RETRY_DELAY seconds apart), then the job is failed — never dropped; an admin may retry it.
- progress (phase, done, total) goes to huey's key-value store, not the database: a handler's own
  transaction holds SQLite's write lock, and a progress row would wait for it.
- periodic work must be idempotent (every worker host runs it); a failed run leaves a failed job.

Queue storage: Redis when REDIS_URL is set (every host), else a SQLite file beside the app's
instance folder (one host: `make run`), in memory and run at once under TESTING (JOBS_IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, deferred, mapped_column

from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import utcnow
from backend.platform.db import Base, CreatedAt, Page, db, on_commit, one_of, paginate, use_case
from backend.platform.errors import Conflict, DomainError, NotFound

log = logging.getLogger(__name__)


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


JOB_STATUS_ZH = {JobStatus.QUEUED: "排队中", JobStatus.RUNNING: "处理中", JobStatus.RETRYING: "出错，稍后重试",
                 JobStatus.SUCCEEDED: "已完成", JobStatus.FAILED: "失败"}


class Job(CreatedAt, Base):
    __tablename__ = "jobs"
    __table_args__ = (one_of("status", JobStatus), UniqueConstraint("operator_id", "idempotency_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict] = mapped_column(default=dict)
    payload: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    attempts: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict | None]
    error: Mapped[dict | None]  # {code, message, details}
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]


Handler = Callable[[Job, "Progress"], dict]
_HANDLERS: dict[str, Handler] = {}
_PERIODIC: dict[str, tuple[int, Callable[[], Any]]] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of this kind: fn(job, progress) -> result (JSON), called inside a
    use case; it raises a DomainError for bad input (the job fails, nothing it wrote is kept)."""
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn
    return register


def periodic(name: str, *, minutes: int) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register idempotent work every worker runs every `minutes` minutes (1–60)."""
    def register(fn: Callable[[], Any]) -> Callable[[], Any]:
        _PERIODIC[name] = (minutes, fn)
        return fn
    return register


class Progress:
    """A handler's progress report, kept in the queue's store for GET /jobs/<id> (at most ~2 writes a second)."""

    def __init__(self, job_id: int | None, on_report: Callable[[str, int, int], None] | None = None) -> None:
        self.job_id, self._on_report, self._last = job_id, on_report, (None, 0.0)

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self._on_report is not None:
            self._on_report(phase, done, total)
        now = time.monotonic()
        if self.job_id is None or (phase == self._last[0] and now - self._last[1] < 0.5 and done < total):
            return
        self._last = (phase, now)
        _huey().put(_progress_key(self.job_id), {"phase": phase, "done": done, "total": total})


def _progress_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


def _huey():
    return current_app.extensions["huey"]


def _make_huey(app: Flask):
    config, name = app.config, "credit-jobs"
    if config.get("JOBS_IMMEDIATE"):
        return MemoryHuey(name, immediate=True)
    if config.get("REDIS_URL"):
        return RedisHuey(name, url=config["REDIS_URL"])
    os.makedirs(app.instance_path, exist_ok=True)
    return SqliteHuey(name, filename=config.get("JOBS_SQLITE_PATH") or os.path.join(app.instance_path, "jobs.sqlite3"))


def init_app(app: Flask) -> None:
    """The app's queue and its tasks: one generic task runs every kind; periodic work is registered here."""
    huey = _make_huey(app)
    retries, delay = int(app.config["JOB_RETRIES"]), int(app.config["JOB_RETRY_DELAY"])

    @huey.task(retries=retries, retry_delay=delay, context=True, name="run_job")
    def run_job(job_id: int, task=None) -> None:
        with app.app_context():
            _run(job_id, retries_left=task.retries if task is not None else 0)

    for name, (minutes, fn) in _PERIODIC.items():
        def periodic_task(name=name, fn=fn) -> None:
            with app.app_context():
                _run_periodic(name, fn)
        huey.periodic_task(crontab(minute=f"*/{minutes}"), name=f"periodic:{name}")(periodic_task)
    app.extensions["huey"], app.extensions["run_job"] = huey, run_job


@use_case
def submit(kind: str, *, actor: str, operator_id: int | None = None, params: dict | None = None,
           payload: bytes | None = None, idempotency_key: str | None = None) -> Job:
    """Record a job and queue it once the caller's transaction commits; the same operator and
    Idempotency-Key again give the job already submitted."""
    if kind not in _HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    if idempotency_key is not None and operator_id is not None:
        found = db.session.execute(select(Job).where(Job.operator_id == operator_id,
                                                     Job.idempotency_key == idempotency_key)).scalar_one_or_none()
        if found is not None:
            return found
    job = Job(kind=kind, actor=actor, operator_id=operator_id, params=params or {}, payload=payload,
              idempotency_key=idempotency_key, status=JobStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "job.submit", "job", job.id, details={"kind": kind, "params": params or {}})
    enqueue = current_app.extensions["run_job"]
    on_commit(lambda job_id=job.id: enqueue(job_id))
    return job


@use_case
def _claim(job_id: int) -> Job | None:
    """Mark the job running (one more attempt); None when it is finished already (a duplicate delivery)."""
    claimed = db.session.execute(update(Job).where(Job.id == job_id, Job.status.in_(
        (JobStatus.QUEUED, JobStatus.RETRYING))).values(
        status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=utcnow())).rowcount
    return db.session.get(Job, job_id) if claimed else None


@use_case
def _execute(job_id: int) -> None:
    job = db.session.get(Job, job_id)
    result = _HANDLERS[job.kind](job, Progress(job.id))
    job.status, job.result, job.payload, job.finished_at = JobStatus.SUCCEEDED, result, None, utcnow()
    audit.record("jobs", "job.succeed", "job", job.id, details={"kind": job.kind})


@use_case
def _settle(job_id: int, status: JobStatus, error: dict) -> None:
    job = db.session.get(Job, job_id)
    job.status, job.error = status, error
    if status == JobStatus.FAILED:
        job.finished_at = utcnow()
        audit.record("jobs", "job.fail", "job", job.id, details={"kind": job.kind, "code": error["code"]})


def _run(job_id: int, *, retries_left: int) -> None:
    if _claim(job_id) is None:
        return
    try:
        _execute(job_id)
    except DomainError as e:  # the input is wrong: retrying cannot help
        _settle(job_id, JobStatus.FAILED, {"code": e.code, "message": e.message, "details": e.details or {}})
    except Exception as e:
        log.exception("job %s failed (%s retries left)", job_id, retries_left)
        final = retries_left <= 0
        message = "后台任务出错，" + ("已停止重试，请联系平台管理员。" if final else "将自动重试。")
        _settle(job_id, JobStatus.FAILED if final else JobStatus.RETRYING,
                {"code": "job_error", "message": message, "details": {"error": type(e).__name__}})
        if not final:
            raise  # huey retries it


def _run_periodic(name: str, fn: Callable[[], Any]) -> None:
    try:
        fn()
    except Exception as e:
        log.exception("periodic job %s failed", name)
        _record_failed_periodic(name, type(e).__name__)


@use_case
def _record_failed_periodic(name: str, error: str) -> None:
    db.session.add(Job(kind=name, actor="schedule", status=JobStatus.FAILED, attempts=1, finished_at=utcnow(),
                       error={"code": "job_error", "message": "定时任务出错，下一轮会再次执行。",
                              "details": {"error": error}}))
    audit.record("schedule", "job.fail", "job", name, details={"error": error})


def progress_of(job_id: int) -> dict | None:
    """The latest progress a running job reported, or None."""
    return _huey().get(_progress_key(job_id), peek=True)


PHASE_ZH = {"parse": "读取文件", "validate": "校验", "store": "保存", "regrade": "重新评价"}


def describe(job: Job) -> dict:
    """A job as operators see it (GET /jobs/<id>): status in Chinese, progress while it runs, result or error."""
    progress = progress_of(job.id) if job.status in (JobStatus.RUNNING, JobStatus.RETRYING) else None
    if progress is not None:
        progress = {**progress, "phase_zh": PHASE_ZH.get(progress["phase"], progress["phase"])}
    return {"id": job.id, "kind": job.kind, "status": job.status, "status_zh": JOB_STATUS_ZH[JobStatus(job.status)],
            "created_at": job.created_at, "started_at": job.started_at, "finished_at": job.finished_at,
            "attempts": job.attempts, "params": job.params, "progress": progress, "result": job.result,
            "error": job.error, "url": f"/api/dept/v1/jobs/{job.id}"}


def visible_job(op: Operator, job_id: int) -> Job:
    """The operator's own job (any job for an admin); raises NotFound (others' are never revealed)."""
    job = db.session.get(Job, job_id)
    if job is None or (op.role != "admin" and job.operator_id != op.id):
        raise NotFound(f"没有编号为 {job_id} 的后台任务。", code="job_not_found")
    return job


def list_jobs(op: Operator, status: str | None, page: int, per_page: int) -> Page:
    """Newest first: an admin sees every job (failed periodic work included), others their own."""
    query = select(Job).order_by(Job.id.desc())
    if op.role != "admin":
        query = query.where(Job.operator_id == op.id)
    if status:
        query = query.where(Job.status == status)
    return paginate(query, page, per_page)


@use_case
def retry(op: Operator, job_id: int, *, actor: str) -> Job:
    """Queue a failed job again, or one left running by a worker that died (admins); raises NotFound or Conflict."""
    job = visible_job(op, job_id)
    stale = job.status == JobStatus.RUNNING and job.started_at is not None and (
        utcnow() - job.started_at).total_seconds() > current_app.config["JOB_STALE_SECONDS"]  # its worker died
    if not (job.status == JobStatus.FAILED or stale) or job.kind not in _HANDLERS:
        raise Conflict("只有失败的（或处理超时、其工作进程已退出的）后台任务可以重试。", code="job_not_retryable")
    job.status, job.error, job.finished_at = JobStatus.QUEUED, None, None
    audit.record(actor, "job.retry", "job", job.id, details={"kind": job.kind})
    enqueue = current_app.extensions["run_job"]
    on_commit(lambda job_id=job.id: enqueue(job_id))
    return job
