"""/api/dept/v1/supervision for departments: 抽查事项清单, inspectors, tasks (commit, draw, results), warnings,
talks, the 重大失信风险预防清单, worklists and overdue lists (CSV); and /api/public/v1/supervision (一公开)."""

from __future__ import annotations

from flask import Response, abort
from flask_smorest import Blueprint

from backend.platform.access import current_operator, operator_actor, require_operator
from backend.platform.web.schemas import PageArgsSchema
from backend.supervision import catalog, publication, results, talks, tasks, warnings, worklists
from backend.supervision.schemas import (
    AssignInSchema,
    CloseInSchema,
    CommitInSchema,
    ConflictInSchema,
    ConflictSchema,
    DrawInSchema,
    DrawnObjectSchema,
    InspectorInSchema,
    InspectorSchema,
    ItemInSchema,
    ItemPageSchema,
    ItemSchema,
    PreventionInSchema,
    PreventionSchema,
    PublicItemPageSchema,
    PublicTaskPageSchema,
    PublicTaskSchema,
    ResultInSchema,
    TalkActionInSchema,
    TalkInSchema,
    TalkSchema,
    TaskArgsSchema,
    TaskInSchema,
    TaskPageSchema,
    TaskSchema,
    TaskUpdateSchema,
    WarningArgsSchema,
    WarningPageSchema,
    WarningSchema,
    WorklistSchema,
)
from backend.supervision.vocab import TalkAction, TaskState

blp = Blueprint("supervision", __name__, url_prefix="/api/dept/v1/supervision",
                description="Departments: 双随机 sampling by grade, risk warnings and talks (约谈)")
public_blp = Blueprint("supervision_public", __name__, url_prefix="/api/public/v1/supervision",
                       description="Anyone: 双随机、一公开 — items, tasks, commitments, draws and results")
DEPT = ("department", "admin")


def _scope() -> str | None:
    op = current_operator()
    return None if op.role == "admin" else op.department


def _task(task) -> dict:
    return {**{c: getattr(task, c) for c in ("id", "number", "title", "department", "item_id", "state", "pool",
                                             "ratios", "inspector_ids", "inspectors_per_object", "commitment", "seed")},
            "counts": tasks.counts(task) if task.objects else {},
            "public_url": None if task.state == TaskState.DRAFT else f"/api/public/v1/supervision/tasks/{task.number}"}


@blp.route("/items", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(ItemInSchema)
@blp.response(201, ItemSchema)
def create_item(body):
    """Add a line to the department's 抽查事项清单 (ratios default to the published scheme)."""
    return catalog.create_item(body, operator=current_operator(), actor=operator_actor())


@blp.route("/items", methods=["GET"])
@require_operator(*DEPT)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ItemPageSchema)
def list_items(args):
    """The department's 抽查事项清单 (every department's for an admin)."""
    return catalog.list_items(_scope(), args["page"], args["per_page"]).envelope()


@blp.route("/inspectors", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(InspectorInSchema)
@blp.response(201, InspectorSchema)
def create_inspector(body):
    """Add an enforcement officer to the department's inspectors pool."""
    return catalog.create_inspector(body, operator=current_operator(), actor=operator_actor())


@blp.route("/inspectors/<int:inspector_id>/conflicts", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(ConflictInSchema)
@blp.response(201, ConflictSchema)
def declare_conflict(body, inspector_id):
    """Declare a conflict of interest: the inspector is never drawn for this subject."""
    return catalog.declare_conflict(inspector_id, body, operator=current_operator(), actor=operator_actor())


@blp.route("/tasks", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(TaskInSchema)
@blp.response(201, TaskSchema)
def create_task(body):
    """A draft sampling task: item, object pool (a filter over subjects), ratios, inspectors."""
    return _task(tasks.create_task(body, operator=current_operator(), actor=operator_actor()))


@blp.route("/tasks", methods=["GET"])
@require_operator(*DEPT)
@blp.arguments(TaskArgsSchema, location="query")
@blp.response(200, TaskPageSchema)
def list_tasks(args):
    """The department's tasks, newest first."""
    page = tasks.list_tasks(_scope(), (args["state"],) if args.get("state") else None, args["page"], args["per_page"])
    return {"items": [_task(t) for t in page.items], "meta": page.envelope()["meta"]}


@blp.route("/tasks/<int:task_id>", methods=["GET"])
@require_operator(*DEPT)
@blp.response(200, TaskSchema)
def get_task(task_id):
    """One task with its pool and drawn counts per stratum."""
    return _task(tasks.get_task(task_id, current_operator()))


@blp.route("/tasks/<int:task_id>", methods=["PATCH"])
@require_operator(*DEPT)
@blp.arguments(TaskUpdateSchema)
@blp.response(200, TaskSchema)
def update_task(body, task_id):
    """Change a draft; once committed, refused (409 task_committed) and the attempt is audited."""
    return _task(tasks.update_task(task_id, body, operator=current_operator(), actor=operator_actor()))


@blp.route("/tasks/<int:task_id>/commit", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(CommitInSchema)
@blp.response(200, TaskSchema)
def commit_task(body, task_id):
    """Freeze and publish: the sorted pool and its SHA-256, ratios, inspectors, recusals and the seed commitment."""
    return _task(tasks.commit_task(task_id, body, operator=current_operator(), actor=operator_actor()))


@blp.route("/tasks/<int:task_id>/draw", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(DrawInSchema)
@blp.response(200, TaskSchema)
def draw_task(body, task_id):
    """Reveal the shares (or the public value) and draw; a reveal that does not match is refused (seed_mismatch)."""
    return _task(tasks.draw_task(task_id, body, operator=current_operator(), actor=operator_actor()))


@blp.route("/tasks/<int:task_id>/results", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(ResultInSchema)
@blp.response(201, DrawnObjectSchema)
def record_result(body, task_id):
    """The inspection result of one drawn object, filed as a credit record (re-grades) and published."""
    return results.record_result(task_id, body, operator=current_operator(), actor=operator_actor())


@blp.route("/warnings", methods=["GET"])
@require_operator(*DEPT)
@blp.arguments(WarningArgsSchema, location="query")
@blp.response(200, WarningPageSchema)
def list_warnings(args):
    """Risk warnings the rules raised for the department, newest first. Warnings with no department (a grade drop
    with no record behind it) are the credit office's: only admins see them (`unassigned=true` lists just those)."""
    return warnings.list_warnings(_scope(), args.get("status"), args["page"], args["per_page"],
                                  unassigned=args["unassigned"]).envelope()


@blp.route("/warnings/<int:warning_id>/assign", methods=["POST"])
@require_operator("admin")
@blp.arguments(AssignInSchema)
@blp.response(200, WarningSchema)
def assign_warning(body, warning_id):
    """The credit office (admin) hands an open warning to a department; audited with the reason."""
    return warnings.assign_warning(warning_id, body["department"], body["reason"], operator=current_operator(),
                                   actor=operator_actor())


@blp.route("/warnings/<int:warning_id>/close", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(CloseInSchema)
@blp.response(200, WarningSchema)
def close_warning(body, warning_id):
    """Dismiss an open warning with a reason."""
    return warnings.close_warning(warning_id, body["reason"], operator=current_operator(), actor=operator_actor())


@blp.route("/talks", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(TalkInSchema)
@blp.response(201, TalkSchema)
def plan_talk(body):
    """Plan a 提示/警示约谈 about a warning (or a subject by handle)."""
    return talks.plan_talk(body, operator=current_operator(), actor=operator_actor())


@blp.route("/talks/<int:talk_id>", methods=["GET"])
@require_operator(*DEPT)
@blp.response(200, TalkSchema)
def get_talk(talk_id):
    """One talk with its history."""
    return talks.get_talk(talk_id, current_operator())


@blp.route("/talks/<int:talk_id>/<action>", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(TalkActionInSchema)
@blp.response(200, TalkSchema)
def act_on_talk(body, talk_id, action):
    """One step: notify, hold, no_show, rectify (deadline in working days), verify, escalate."""
    if action not in set(TalkAction):
        abort(404)
    return talks.act(talk_id, action, body, operator=current_operator(), actor=operator_actor())


@blp.route("/prevention-list", methods=["POST"])
@require_operator(*DEPT)
@blp.arguments(PreventionInSchema)
@blp.response(201, PreventionSchema)
def add_prevention_entry(body):
    """Add a 重大失信风险预防清单 entry with its basis and review date."""
    return talks.add_prevention_entry(body, operator=current_operator(), actor=operator_actor())


@blp.route("/worklist", methods=["GET"])
@require_operator(*DEPT)
@blp.response(200, WorklistSchema)
def worklist():
    """Open warnings, talks under way and the prevention list of the department."""
    return worklists.worklist(_scope())


@blp.route("/overdue.csv", methods=["GET"])
@require_operator(*DEPT)
@blp.response(200, {"type": "string"}, content_type="text/csv")
def overdue_csv():
    """Everything past its deadline (working days), as CSV (UTF-8 with BOM)."""
    return Response(worklists.overdue_csv(_scope()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=overdue.csv"})


@public_blp.route("/items", methods=["GET"])
@public_blp.arguments(PageArgsSchema, location="query")
@public_blp.response(200, PublicItemPageSchema)
def public_items(args):
    """Every department's 抽查事项清单."""
    return catalog.list_items(None, args["page"], args["per_page"]).envelope()


@public_blp.route("/tasks", methods=["GET"])
@public_blp.arguments(PageArgsSchema, location="query")
@public_blp.response(200, PublicTaskPageSchema)
def public_tasks(args):
    """Published tasks (committed or later), newest first."""
    page = tasks.list_tasks(None, (TaskState.COMMITTED, TaskState.DRAWN, TaskState.COMPLETED),
                            args["page"], args["per_page"])
    return {"items": [publication.task_summary(t) for t in page.items], "meta": page.envelope()["meta"]}


@public_blp.route("/tasks/<number>", methods=["GET"])
@public_blp.response(200, PublicTaskSchema)
def public_task(number):
    """A task as published: commitment before the draw; seed and drawn list after; results as they come. Save it
    and run `python -m sampling verify task.json` to re-run the draw."""
    return publication.published_task(tasks.task_by_number(number))
