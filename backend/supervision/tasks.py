"""Sampling tasks: a draft, committed (pool, ratios, inspectors and seed source frozen and published), drawn
(seed revealed, objects and inspectors drawn by sampling.draw), then completed as results come in.

Once committed nothing the draw depends on may change: a change, or a revealed seed that does not match the
commitment, is refused and the refusal is kept in the audit log (committed before the error is raised).
"""

from __future__ import annotations

from sqlalchemy import func, select

from backend.platform import audit, dbio
from backend.platform.access import Operator
from backend.platform.clock import china_today, utcnow
from backend.platform.db import Page, commit_then_raise, db, paginate, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound
from backend.supervision import pool as pools
from backend.supervision.catalog import check_scope, department_of, get_item
from backend.supervision.models import DrawnObject, Inspector, SamplingTask
from backend.supervision.vocab import TaskState
from sampling import DrawError, commitment_of, derive_seed, draw
from sampling.draw import commitment_document, revealed_bytes

DRAWN_COLUMNS = ("task_id", "subject_id", "handle", "stratum", "position", "rank", "inspectors")


def get_task(task_id: int, op: Operator | None = None) -> SamplingTask:
    task = db.session.get(SamplingTask, task_id)
    if task is None:
        raise NotFound(f"没有编号为 {task_id} 的双随机抽查任务。")
    if op is not None:
        check_scope(op, task.department)
    return task


def task_by_number(number: str) -> SamplingTask:
    task = db.session.scalar(select(SamplingTask).where(SamplingTask.number == number))
    if task is None or task.state == TaskState.DRAFT:  # drafts are not public
        raise NotFound(f"没有编号为 {number} 的已公示抽查任务。")
    return task


def _inspector_ids(ids: list[int], department: str) -> list[int]:
    found = set(db.session.scalars(select(Inspector.id).where(Inspector.id.in_(ids), Inspector.department == department,
                                                              Inspector.active.is_(True))))
    missing = sorted(set(ids) - found)
    if missing:
        raise InvalidInput(f"inspector_ids：执法人员 {missing} 不属于本部门或已停用。",
                           details={"field": "inspector_ids"})
    return sorted(found)


@use_case
def create_task(data: dict, *, operator: Operator, actor: str) -> SamplingTask:
    """A draft task for one item of the department's list; raises NotFound, Forbidden, InvalidInput."""
    department = department_of(operator, data.get("department"))
    item = get_item(data["item_id"])
    check_scope(operator, item.department)
    task = SamplingTask(number="", item_id=item.id, department=department, title=data["title"],
                        state=TaskState.DRAFT, pool=data.get("pool") or {},
                        ratios={**item.ratios, **(data.get("ratios") or {})},
                        inspector_ids=_inspector_ids(data.get("inspector_ids") or [], department),
                        inspectors_per_object=data.get("inspectors_per_object", 2))
    db.session.add(task)
    db.session.flush()
    task.number = f"SSJ{china_today().year}-{task.id:05d}"
    audit.record(actor, "supervision.task.create", "sampling_task", task.id,
                 details={"number": task.number, "pool": task.pool, "ratios": task.ratios})
    return task


def _refuse_after_commitment(task: SamplingTask, actor: str, what: dict) -> None:
    audit.record(actor, "supervision.task.change_refused", "sampling_task", task.id,
                 details={"number": task.number, "state": task.state, "attempted": what})
    commit_then_raise(Conflict(f"任务 {task.number} 已公示承诺，抽查对象、比例、执法人员和随机种子来源不能再更改。",
                               code="task_committed", details={"state": task.state}))


@use_case
def update_task(task_id: int, data: dict, *, operator: Operator, actor: str) -> SamplingTask:
    """Change a draft's pool, ratios, inspectors or title; after commitment refused (audited) with task_committed."""
    task = get_task(task_id, operator)
    if task.state != TaskState.DRAFT:
        _refuse_after_commitment(task, actor, data)
    if "pool" in data:
        task.pool = data["pool"]
    if "ratios" in data:
        task.ratios = {**task.ratios, **data["ratios"]}
    if "inspector_ids" in data:
        task.inspector_ids = _inspector_ids(data["inspector_ids"], task.department)
    for field in ("title", "inspectors_per_object"):
        if field in data:
            setattr(task, field, data[field])
    audit.record(actor, "supervision.task.update", "sampling_task", task.id, details=data)
    return task


@use_case
def commit_task(task_id: int, data: dict, *, operator: Operator, actor: str) -> SamplingTask:
    """Freeze the pool (sorted handles and strata), recusals, ratios and seed source; publish the commitment.

    Raises Conflict (task_committed) when already committed (audited), InvalidInput for an empty pool.
    """
    task = get_task(task_id, operator)
    if task.state != TaskState.DRAFT:
        _refuse_after_commitment(task, actor, {"commit": data})
    objects = pools.resolve(task.pool, task.department)
    if not objects:
        raise InvalidInput("pool：该筛选条件下没有抽查对象。", details={"field": "pool"})
    refs = sorted(db.session.scalars(select(Inspector.ref).where(Inspector.id.in_(task.inspector_ids))))
    recusals = pools.recusals({h: sid for h, _, _, sid in objects}, task.inspector_ids, task.department)
    if data["seed_method"] == "shares":
        source = {"method": "shares", "share_sha256": [h.lower() for h in data.get("share_sha256") or []]}
    else:
        source = {"method": "public_value", "description": data.get("public_value_source") or ""}
    try:
        document = commitment_document(task_number=task.number, objects=[(h, s) for h, s, _, _ in objects],
                                       ratios=task.ratios, inspectors=refs,
                                       inspectors_per_object=task.inspectors_per_object if refs else 0,
                                       recusals=recusals, seed_source=source)
    except DrawError as e:
        raise InvalidInput("随机种子来源不完整：需要两名人员各自份额的 SHA-256（share_sha256），"
                           "或事先确定的公开数值说明（public_value_source）。",
                           code="invalid_seed_source", details={"field": "seed_method", "reason": str(e)}) from None
    task.objects, task.recusals = [list(o) for o in objects], recusals
    task.commitment_document, task.commitment = document, commitment_of(document)
    task.state, task.committed_at = TaskState.COMMITTED, utcnow()
    audit.record(actor, "supervision.task.commit", "sampling_task", task.id, details={
        "number": task.number, "commitment": task.commitment, "objects": len(objects),
        "objects_sha256": document["objects_sha256"]})
    return task


@use_case
def draw_task(task_id: int, data: dict, *, operator: Operator, actor: str) -> SamplingTask:
    """Reveal the seed and draw; raises Conflict (task_state) unless committed, InvalidInput (seed_mismatch,
    audited) when the revealed shares or value do not match the commitment."""
    task = get_task(task_id, operator)
    if task.state != TaskState.COMMITTED:
        raise Conflict(f"任务 {task.number} 当前状态不能抽取（需先公示承诺，且只能抽取一次）。", code="task_state",
                       details={"state": task.state})
    shares = data.get("shares")
    reveal = {"shares": shares} if shares is not None else {"public_value": data.get("public_value")}
    document = task.commitment_document
    try:
        revealed = revealed_bytes(document["seed_source"], reveal)
    except DrawError as e:
        audit.record(actor, "supervision.task.seed_refused", "sampling_task", task.id,
                     details={"number": task.number, "why": str(e)})
        commit_then_raise(InvalidInput("公开的随机种子份额（或公开数值）与事先公示的承诺不符，拒绝抽取。",
                                       code="seed_mismatch", details={"reason": str(e)}))
    seed = derive_seed(task.commitment, revealed)
    drawn = draw(seed, ((o[0], o[1]) for o in task.objects), document["ratios"], inspectors=document["inspectors"],
                 inspectors_per_object=document["inspectors_per_object"], recusals=task.recusals)
    ids = {h: sid for h, _, _, sid in task.objects}
    # COPY on PostgreSQL (platform.dbio): executemany and multi-row VALUES both spent most of the draw storing
    # ~16 k rows (bench/bench_supervision.py, docs/supervision.md §6).
    stored = dbio.copy_rows(DrawnObject.__table__, DRAWN_COLUMNS, (
        (task.id, ids[d["handle"]], d["handle"], d["stratum"], i + 1, d["rank"], d["inspectors"])
        for i, d in enumerate(drawn)), json_columns=("inspectors",))
    task.reveal, task.seed, task.state, task.drawn_at = reveal, seed.hex(), TaskState.DRAWN, utcnow()
    audit.record(actor, "supervision.task.draw", "sampling_task", task.id,
                 details={"number": task.number, "seed": task.seed, "drawn": stored})
    return task


def list_tasks(department: str | None, states: tuple[str, ...] | None, page: int, per_page: int) -> Page:
    query = select(SamplingTask).order_by(SamplingTask.id.desc())
    if department:
        query = query.where(SamplingTask.department == department)
    if states:
        query = query.where(SamplingTask.state.in_(states))
    return paginate(query, page, per_page)


def drawn_objects(task: SamplingTask) -> list[DrawnObject]:
    return list(db.session.scalars(select(DrawnObject).where(DrawnObject.task_id == task.id)
                                   .order_by(DrawnObject.position)))


def counts(task: SamplingTask) -> dict:
    """Pool and drawn counts per stratum."""
    pool: dict[str, int] = {}
    for _, stratum, _, _ in task.objects or []:
        pool[stratum] = pool.get(stratum, 0) + 1
    drawn = dict(db.session.execute(select(DrawnObject.stratum, func.count()).where(DrawnObject.task_id == task.id)
                                    .group_by(DrawnObject.stratum)).all())
    return {"pool": pool, "drawn": drawn}
