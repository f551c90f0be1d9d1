"""Large CSV imports as background jobs (backend.platform.jobs): the request is answered 202 at once, the
worker validates and stores the file exactly as a small import would (all rows or none), and the job's
status shows its progress."""

from __future__ import annotations

from backend.credit.record_import import decode_csv, parse_csv, store_rows
from backend.platform import jobs
from backend.platform.access import Operator
from backend.platform.db import db, use_case
from backend.platform.errors import Forbidden

KIND = "records.import_csv"


@use_case
def submit_csv_import(raw: bytes, *, operator: Operator, actor: str, idempotency_key: str | None = None) -> jobs.Job:
    """Queue the import of a CSV file; raises InvalidInput at once for an encoding that is neither UTF-8 nor GBK."""
    _, encoding = decode_csv(raw)
    return jobs.submit(KIND, actor=actor, operator_id=operator.id, payload=raw, idempotency_key=idempotency_key,
                       params={"encoding": encoding, "bytes": len(raw)})


@jobs.handler(KIND)
def run_csv_import(job: jobs.Job, progress: jobs.Progress) -> dict:
    """Inside the job's use case: the same validation and storage as POST /records/import answers inline."""
    operator = db.session.get(Operator, job.operator_id)
    if operator is None or operator.revoked_at is not None:
        raise Forbidden("提交这次导入的操作员已停用，未保存任何记录。", code="operator_revoked")
    progress("parse", 0, 1)
    text, encoding = decode_csv(job.payload)
    rows = parse_csv(text)
    progress("parse", 1, 1)
    return store_rows(rows, operator=operator, actor=job.actor, source=f"csv:job:{job.id}", encoding=encoding,
                      progress=progress)
