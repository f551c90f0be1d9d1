"""The portal's 双随机、一公开 pages: the list of published tasks and each task's page, parsed as HTML, before and
after the draw and with results; no personal data; the links on the page are enough to verify the draw."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser

from backend.models import Subject
from backend.platform.extensions import db
from tests.credit.helpers import days_ago
from tests.factories import person
from tests.supervision.helpers import SHARES, Supervisor, graded_merchants

VOID = {"meta", "link", "br", "img", "input", "hr"}


class Page(HTMLParser):
    """The text under each element with an id, every link, every tag name; fails on a tag closed out of order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: dict[str, str] = {}
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.feed(html)
        assert [t for t, _ in self.stack] == [], self.stack

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag not in VOID:
            self.stack.append((tag, attrs.get("id")))
            if attrs.get("id"):
                self.texts[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, (tag, self.stack[-3:])
        self.stack.pop()

    def handle_data(self, data):
        for _, ident in self.stack:
            if ident:
                self.texts[ident] += " " + data

    def text(self, ident: str) -> str:
        return " ".join(self.texts[ident].split())


def get_page(client, path, status=200):
    resp = client.get(path)
    assert resp.status_code == status, path
    assert resp.mimetype == "text/html"
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and resp.headers["X-Frame-Options"] == "DENY"
    page = Page(resp.get_data(as_text=True))
    assert "script" not in page.tags
    return page, resp


def setup_task(client):
    s = Supervisor(client)
    handles = graded_merchants({"A": 3, "B": 4, "D": 2})
    resident = person("欧阳小梅", grade="C", rid=None)
    item = s.item()
    inspectors = s.inspectors(3)
    task = s.task(item["id"], [i["id"] for i in inspectors], pool={"handles": [*handles, resident.handle]},
                  ratios={"C": "0.60"})
    return s, task, resident


def test_a_task_page_before_and_after_the_draw_and_with_results(client, tmp_path):
    s, task, resident = setup_task(client)
    draft, _ = get_page(client, f"/credit/supervision/{task['number']}", status=404)  # drafts are not public
    assert "没有找到" in draft.text("error")
    s.commit(task["id"])
    published = s.public(task["number"])

    before, resp = get_page(client, f"/credit/supervision/{task['number']}")
    assert before.text("task-title") == "2026年第四季度马宫市场抽查"
    assert "食用农产品市场销售质量安全检查" in before.text("task") and "《中华人民共和国食品安全法》第八十七条" in before.text("task")
    assert published["commitment"]["sha256"] in before.text("commitment")
    assert published["commitment"]["document"]["objects_sha256"] in before.text("commitment")
    assert all(h in before.text("commitment") for h in published["commitment"]["document"]["seed_source"]["share_sha256"])
    strata = before.text("strata")
    assert "优 0.05 3 1" in strata and "良 0.10 4 1" in strata and "中 0.60 1 1" in strata and "差 0.70 2 2" in strata
    assert "drawn" not in before.texts and "尚未抽取" in before.text("not-drawn")
    assert "抽取前只能核对承诺" in before.text("verify")
    etag = resp.headers["ETag"]
    assert client.get(f"/credit/supervision/{task['number']}", headers={"If-None-Match": etag}).status_code == 304

    s.draw(task["id"])
    after, _ = get_page(client, f"/credit/supervision/{task['number']}")
    published = s.public(task["number"])
    assert published["seed"] in after.text("draw") and all(share in after.text("draw") for share in SHARES)
    drawn = published["drawn"]
    assert len(drawn) == 5 and all(d["handle"] in after.text("drawn") for d in drawn)
    assert "待录入 5 个" in after.text("results")
    assert "自然人（已去标识化）" in after.text("drawn")  # the resident: drawn (⌈0.60 × 1⌉), never named
    assert f"/credit/s/{resident.handle}" not in after.links
    merchants = [d for d in drawn if d["name"]]
    assert all(f"/credit/s/{d['handle']}" in after.links for d in merchants)

    findings = "经营者欧阳小梅（电话13800138000）未建立进货查验记录"
    for d in drawn:
        outcome = "fail" if d["handle"] == resident.handle else "pass"
        body = {"handle": d["handle"], "outcome": outcome, "inspected_on": days_ago(1)}
        s.post(f"/tasks/{task['id']}/results", {**body, "findings": findings} if outcome == "fail" else body, expect=201)
    done, resp = get_page(client, f"/credit/supervision/{task['number']}")
    assert "合格 4 个，不合格 1 个，待录入 0 个" in done.text("results") and "全部录入" in done.text("results")
    assert "经营者某某（电话***）未建立进货查验记录" in done.text("drawn")
    html = resp.get_data(as_text=True)
    subject = db.session.get(Subject, resident.id)
    for secret in ("欧阳小梅", "13800138000", subject.resident_id_masked, subject.display_name):
        assert secret not in html, secret
    final = s.public(task["number"])
    assert "欧阳小梅" not in json.dumps(final, ensure_ascii=False) and "13800138000" not in json.dumps(final)

    # The page's own links are enough to verify: the task JSON and the one-file verifier.
    json_link = next(href for href in done.links if href.startswith("/api/public/v1/supervision/tasks/"))
    (tmp_path / "task.json").write_bytes(client.get(json_link).get_data())
    verifier = client.get("/credit/supervision/draw.py")
    assert verifier.status_code == 200 and "draw.py" in verifier.headers["Content-Disposition"]
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "draw.py").write_bytes(verifier.get_data())
    run = subprocess.run([sys.executable, "-I", str(alone / "draw.py"), "verify", str(tmp_path / "task.json")],
                         capture_output=True, text=True, cwd=alone, check=False)
    assert run.returncode == 0 and run.stdout.startswith("一致 MATCH"), run.stdout + run.stderr
    shutil.rmtree(alone)


def test_the_list_of_published_tasks(client):
    s, task, _ = setup_task(client)
    other = s.task(s.item(code="SJ-002")["id"], title="三马路商圈抽查")
    empty, _ = get_page(client, "/credit/supervision")
    assert "目前没有已公示的抽查任务" in empty.text("tasks")
    s.commit(task["id"])
    listed, _ = get_page(client, "/credit/supervision")
    assert f"/credit/supervision/{task['number']}" in listed.links
    assert f"/credit/supervision/{other['number']}" not in listed.links  # a draft is not published
    assert "已承诺（待抽取）" in listed.text("tasks") and "10 个" in listed.text("tasks")
    bad, _ = get_page(client, "/credit/supervision?page=x", status=422)
    assert "page" in bad.text("error")
