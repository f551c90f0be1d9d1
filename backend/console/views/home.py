"""Signing in and out, the start page of every role, and background jobs (the operator's own; admins: all)."""

from __future__ import annotations

from flask import g, redirect, request, url_for

from backend.console import sessions
from backend.console.views import console
from backend.console.views.errors import set_cookie, wants_json
from backend.console.views.guard import (
    COOKIE,
    CSRF_MESSAGE,
    PRE_COOKIE,
    check_csrf,
    console_page,
    current,
    listing,
    pre_token,
    render,
)
from backend.platform import jobs
from backend.platform.access import OperatorRole
from backend.platform.errors import Forbidden, Unauthorized


def _next() -> str:
    """Where to go after signing in: a console path only (never another site)."""
    target = request.form.get("next") or request.args.get("next") or ""
    return target if target.startswith("/console/") and not target.startswith("//") else url_for("console.home")


@console.get("/sign-in")
def sign_in_form():
    pre_token()
    expired = request.args.get("expired") == "1"
    return render("console/sign_in.html", expired=expired, next=_next(), error=None)


@console.post("/sign-in")
def sign_in():
    """Token, or username + password + TOTP; the pre-session CSRF cookie must match the form's value."""
    expected = request.cookies.get(PRE_COOKIE)
    if not expected:  # no sign-in page was shown to this browser: nothing to compare the form's value with
        raise Forbidden(CSRF_MESSAGE, code="csrf_failed")
    check_csrf(expected)
    client = request.remote_addr or "-"
    try:
        if request.form.get("method") == "password":
            _row, secret = sessions.sign_in_with_password(request.form.get("username", ""),
                                                         request.form.get("password", ""),
                                                         request.form.get("totp", ""), client=client)
        else:
            _row, secret = sessions.sign_in_with_token(request.form.get("token", ""), client=client)
    except Unauthorized as e:
        if wants_json():
            raise
        return render("console/sign_in.html", 401, expired=False, next=_next(), error=e.message)
    response = redirect(_next(), code=303)
    set_cookie(response, COOKIE, secret)
    response.delete_cookie(PRE_COOKIE, path="/console")
    return response


@console.post("/sign-out")
@console_page()
def sign_out():
    sessions.sign_out(g.console_session)
    response = redirect(url_for("console.sign_in_form"), code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


@console.post("/sign-out-everywhere")
@console_page()
def sign_out_everywhere():
    sessions.sign_out_everywhere(current())
    response = redirect(url_for("console.sign_in_form"), code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


@console.get("/")
@console_page()
def home():
    """The start page: the role's tasks and this operator's open sessions."""
    return render("console/home.html", sessions=sessions.open_sessions(current()), this=g.console_session.id)


JOB_COLUMNS = [("id", "编号"), ("kind", "类型"), ("status_zh", "状态"), ("created_at", "提交时间"),
               ("finished_at", "完成时间"), ("error", "错误")]


@console.get("/jobs")
@console_page()
def jobs_page():
    status = request.args.get("status") or None
    found = jobs.list_jobs(current(), status, 1, 200)
    rows = []
    for job in found.items:
        d = jobs.describe(job)
        error = d.get("error")
        row = {**d, "error": error.get("message", "") if isinstance(error, dict) else error,
               "_links": {"id": url_for("console.job", job_id=job.id)}}
        if current().role == OperatorRole.ADMIN and d["status"] == "failed":
            row["_actions"] = [("重新排队", url_for("console.retry_job", job_id=job.id))]
        rows.append(row)
    return listing("后台任务", "jobs.csv", JOB_COLUMNS, rows, total=found.total)



@console.get("/jobs/<int:job_id>")
@console_page()
def job(job_id: int):
    d = jobs.describe(jobs.visible_job(current(), job_id))
    return render("console/job.html", job=d)


@console.post("/jobs/<int:job_id>/retry")
@console_page(OperatorRole.ADMIN)
def retry_job(job_id: int):
    jobs.retry(current(), job_id, actor=current().actor)
    return redirect(url_for("console.job", job_id=job_id), code=303)
