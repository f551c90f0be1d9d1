"""Portal pages of 双随机、一公开: the published tasks, a task's page, and the verifier's source (draw.py)."""

from __future__ import annotations

from importlib import resources

from flask import current_app, render_template, request

from backend.platform.errors import DomainError, InvalidInput, NotFound
from backend.platform.web.http import conditional_get, etag_of
from backend.supervision import publication, tasks
from backend.supervision.public import pages
from backend.supervision.public.security import CSS, TEMPLATE_VERSION, add_security_headers, security_headers
from backend.supervision.vocab import TaskState

PER_PAGE = 20
DRAWN_PER_PAGE = 50
PUBLISHED = (TaskState.COMMITTED, TaskState.DRAWN, TaskState.COMPLETED)
VERIFIER = (resources.files("sampling") / "draw.py").read_bytes()

pages.after_request(add_security_headers)


def _html(data: dict, template: str, **names):
    def response():
        html = render_template(template, css=CSS, base_url=current_app.config["PUBLIC_BASE_URL"], **names)
        return current_app.response_class(html.encode(), status=200, mimetype="text/html")

    return conditional_get(etag_of(data, "html" + TEMPLATE_VERSION), current_app.config["MERCHANT_PAGE_MAX_AGE"],
                           response, headers=security_headers())


def _page_arg() -> int:
    raw = request.args.get("page", "")
    if not raw:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 100000:
        raise InvalidInput("参数 page 应为 1 到 100000 之间的整数。")
    return int(raw)


@pages.route("/credit/supervision")
def task_list():
    """The published sampling tasks (committed or later), newest first."""
    found = tasks.list_tasks(None, PUBLISHED, _page_arg(), PER_PAGE)
    data = {"items": [publication.task_summary(t) for t in found.items], "meta": found.envelope()["meta"]}
    return _html(data, "supervision_portal/tasks.html", d=data)


@pages.route("/credit/supervision/draw.py")
def verifier():
    """The verifier's one file (standard library only): `python draw.py verify task.json`."""
    response = current_app.response_class(VERIFIER, mimetype="text/x-python")
    response.headers["Content-Disposition"] = "attachment; filename=draw.py"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@pages.route("/credit/supervision/<number>")
def task_page(number: str):
    """A task as published: before the draw its commitment, after it the seed and the drawn list, then results."""
    data = publication.task_page(tasks.task_by_number(number[:40]), _page_arg(), DRAWN_PER_PAGE)
    return _html(data, "supervision_portal/task.html", t=data)


@pages.errorhandler(NotFound)
@pages.errorhandler(InvalidInput)
def lost(e: DomainError):
    title = "没有找到该页面" if isinstance(e, NotFound) else "请求有误"
    html = render_template("portal/error.html", css=CSS, title=title, message=e.message)
    response = current_app.response_class(html, status=e.status, mimetype="text/html")
    response.headers.extend(security_headers())
    return response
