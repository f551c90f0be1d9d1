"""/api/dept/v1 for platform admins: operators, signing-key rotation, audit-log verification, background jobs and
the working-day calendar."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.keys import rotate
from backend.operators import services as operators
from backend.operators.schemas import (
    AuditReportSchema,
    CalendarYearDaysSchema,
    CalendarYearsSchema,
    NewOperatorSchema,
    OperatorCreatedSchema,
    OperatorPageSchema,
    OperatorSchema,
    RotatedKeySchema,
)
from backend.platform import calendar, calendar_entry, jobs
from backend.platform.access import current_operator, operator_actor, require_operator
from backend.platform.audit_checkpoints import verify_log
from backend.platform.db import Page
from backend.platform.web.schemas import JobArgsSchema, JobSchema, PageArgsSchema, page_schema

JobPageSchema = page_schema(JobSchema, "JobPage")

blp = Blueprint("operators", __name__, url_prefix="/api/dept/v1",
                description="Platform admins: operators, signing keys, the audit log, jobs, the working-day calendar")
EVERY_ROLE = ("admin", "department", "market", "partner", "window")


@blp.route("/operators", methods=["GET"])
@require_operator("admin")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, OperatorPageSchema)
def list_operators(args):
    """List operators (tokens are never shown again)."""
    return operators.list_operators(args["page"], args["per_page"]).envelope()


@blp.route("/operators", methods=["POST"])
@require_operator("admin")
@blp.arguments(NewOperatorSchema)
@blp.response(201, OperatorCreatedSchema)
def create_operator(body):
    """Create an operator; the response carries its token, shown this once."""
    op, token = operators.create_operator(actor=operator_actor(), **body)
    return {"operator": op, "token": token}


@blp.route("/operators/<int:operator_id>/revoke", methods=["POST"])
@require_operator("admin")
@blp.response(200, OperatorSchema)
def revoke_operator(operator_id):
    """Revoke an operator's token at once."""
    return operators.revoke_operator(operator_id, actor=operator_actor())


@blp.route("/signing-keys/rotate", methods=["POST"])
@require_operator("admin")
@blp.response(201, RotatedKeySchema)
def rotate_signing_key():
    """Start signing with a new key; the old one stays published until its codes expire."""
    return rotate(actor=operator_actor())


@blp.route("/audit-log/verify", methods=["GET"])
@require_operator("admin")
@blp.response(200, AuditReportSchema)
def verify_audit_log():
    """Recompute the audit log's hash chain, verify every signed checkpoint, and report the first problem."""
    return verify_log()


@blp.route("/jobs", methods=["GET"])
@require_operator("admin", "department", "market", "partner", "window")
@blp.arguments(JobArgsSchema, location="query")
@blp.response(200, JobPageSchema)
def list_jobs(args):
    """Background jobs, newest first: an admin sees every job (failed ones and failed periodic work included,
    `status=failed`), other operators the jobs they submitted."""
    found = jobs.list_jobs(current_operator(), args.get("status"), args["page"], args["per_page"])
    return Page([jobs.describe(j) for j in found.items], found.total, found.page, found.per_page).envelope()


@blp.route("/jobs/<int:job_id>", methods=["GET"])
@require_operator("admin", "department", "market", "partner", "window")
@blp.response(200, JobSchema)
def get_job(job_id):
    """One job: its status, progress while it runs, and its result (an import's report) or error."""
    return jobs.describe(jobs.visible_job(current_operator(), job_id))


@blp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@require_operator("admin")
@blp.response(200, JobSchema)
def retry_job(job_id):
    """Queue a failed job again (or one whose worker died while running it)."""
    return jobs.describe(jobs.retry(current_operator(), job_id, actor=operator_actor()))


@blp.route("/calendar/years", methods=["GET"])
@require_operator(*EVERY_ROLE)
@blp.response(200, CalendarYearsSchema)
def list_calendar_years():
    """The years whose holidays and adjusted working days are entered; deadlines in other years count weekdays."""
    return {"years": calendar.year_summaries(),
            "fallback": "未登记的年份按周一至周五计算工作日，请尽快按国务院办公厅通知登记。"}


@blp.route("/calendar/years/<int:year>", methods=["GET"])
@require_operator(*EVERY_ROLE)
@blp.response(200, CalendarYearDaysSchema)
def get_calendar_year(year):
    """One year's holidays and adjusted working days (404 calendar_year_unknown when not entered)."""
    return calendar.year_entry(year)


@blp.route("/calendar/years/<int:year>", methods=["PUT"])
@require_operator("admin")
@blp.arguments(CalendarYearDaysSchema)
@blp.response(200, CalendarYearDaysSchema)
def put_calendar_year(body, year):
    """Enter (or replace) a year from the State Council's notice: every holiday and adjusted working day."""
    days = [(d["day"], d["kind"], d["name"]) for d in body["days"]]
    calendar_entry.put_year(year, days, source=body["source"], actor=operator_actor())
    return calendar.year_entry(year)
