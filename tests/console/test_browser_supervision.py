"""Supervision and credit-office pages in headless Chromium with JavaScript off: a department draws a sampling
task and records its results, cannot open another department's task by editing the URL, takes a warning through a
talk to its working-day deadline (overdue in red); the credit office enters a calendar year and a classification
row; the record form shows the windows and the 信用修复告知书. Screenshots in test-artifacts/ (some in docs)."""

# ruff: noqa: F811
from __future__ import annotations

from sqlalchemy import select

from backend.models import RiskWarning, SamplingTask
from backend.platform.extensions import db
from tests.browser import needs_chromium

# The fixtures live_server and browser are test_browser.py's, imported so pytest finds them (hence F401/F811).
from tests.console.test_browser import browser, fits, live_server, new_page, shot, sign_in  # noqa: F401
from tests.credit.helpers import SAMR, days_ago, dept, penalty
from tests.factories import merchant_subject, operator_token, uscc_code
from tests.supervision.helpers import SHARE_HASHES, SHARES, Supervisor, graded_merchants

pytestmark = needs_chromium


def test_a_department_draws_a_task_records_results_and_cannot_reach_anothers(app, live_server, browser):
    graded_merchants({"A": 3, "B": 5, "C": 3, "D": 2})
    api = Supervisor(app.test_client(), "国家税务总局汕尾市税务局")
    theirs = api.task(api.item(code="SW-001")["id"])
    page = new_page(browser)
    sign_in(page, live_server, operator_token("department", department=SAMR))
    page.click("nav >> text=双随机抽查")
    page.click("#page-links >> text=抽查事项清单")
    page.fill("#f-code", "SJ-001")
    page.fill("#f-name", "食用农产品市场销售质量安全检查")
    page.fill("#f-basis", "《中华人民共和国食品安全法》第八十七条")
    page.fill("#f-object_type", "市场内经营户")
    page.click("#main-form button[type=submit]")
    assert "已加入抽查事项清单" in page.inner_text("#notice")
    page.click("#page-links >> text=执法人员")
    for ref in ("ZF001", "ZF002", "ZF003"):
        page.fill("#f-ref", ref)
        page.fill("#f-name", f"执法员{ref[-1]}")
        page.click("#main-form button[type=submit]")
        assert ref in page.inner_text("#notice")
    page.click("#page-links >> text=抽查任务")
    page.fill("#f-title", "2026年第四季度马宫市场抽查")
    page.fill("#f-pool_market", "magong")
    page.fill("#f-ratio_B", "0.20")
    page.fill("#f-inspector_refs", "ZF001 ZF002 ZF003")
    page.fill("#f-inspectors_per_object", "2")
    page.click("#main-form button[type=submit]")
    assert "已创建草稿任务" in page.inner_text("#notice") and page.inner_text("#task-state") == "待提交"
    page.fill("#f-share_sha256_1", SHARE_HASHES[0])
    page.fill("#f-share_sha256_2", SHARE_HASHES[1])
    page.click("#commit-form button[type=submit]")
    assert page.inner_text("#task-state") == "已承诺（待抽取）" and len(page.inner_text("#commitment")) == 64
    shot(page, "supervision-committed")
    page.fill("#f-share_1", SHARES[0])
    page.fill("#f-share_2", "不是承诺的份额")
    page.click("#draw-form button[type=submit]")
    assert "与事先公示的承诺不符" in page.inner_text("#form-errors")
    page.fill("#f-share_1", SHARES[0])
    page.fill("#f-share_2", SHARES[1])
    page.click("#draw-form button[type=submit]")
    assert page.inner_text("#task-state") == "已抽取（检查中）"
    rows = page.locator("#drawn tbody tr")
    assert rows.count() >= 1
    first = rows.first
    first.locator("select[name=outcome]").select_option("fail")
    first.locator("input[name=inspected_on]").fill(days_ago(1))
    first.locator("button[type=submit]").click()
    assert "必须填写发现的问题" in page.inner_text("#form-errors")
    first = page.locator("#drawn tbody tr").first
    first.locator("select[name=outcome]").select_option("fail")
    first.locator("input[name=inspected_on]").fill(days_ago(1))
    first.locator("input[name=findings]").fill("未建立进货查验台账")
    first.locator("button[type=submit]").click()
    assert "已录入检查结果" in page.inner_text("#notice")
    assert "不合格" in page.locator("#drawn tbody tr").first.inner_text()
    shot(page, "supervision-task")
    assert fits(page)
    task = db.session.execute(select(SamplingTask).where(SamplingTask.department == SAMR)).scalar_one()
    public = page.context.request.get(f"{live_server}/api/public/v1/supervision/tasks/{task.number}").json()
    assert public["drawn"][0]["outcome"] == "fail"
    tablet = new_page(browser, 768, 1024)
    sign_in(tablet, live_server, operator_token("department", department=SAMR))
    tablet.goto(f"{live_server}/console/supervision/tasks/{task.id}")
    assert fits(tablet)  # the drawn list scrolls inside its box
    shot(tablet, "supervision-task-tablet")
    resp = page.goto(f"{live_server}/console/supervision/tasks/{theirs['id']}")  # the URL edited by hand
    assert resp.status == 404 and theirs["title"] not in page.content()
    assert "本部门没有这个抽查任务" in page.inner_text("#error-message")
    shot(page, "supervision-other-department-404")


def test_a_warning_becomes_a_talk_with_a_working_day_deadline_then_overdue(app, live_server, browser, clock):
    subject = merchant_subject("海味行", "B")
    assert app.test_client().post("/api/dept/v1/records", headers=dept(), json=penalty(
        {"uscc": subject.uscc, "subject_name": "海味行"}, severity="minor")).status_code == 201
    warning = db.session.execute(select(RiskWarning)).scalar_one()
    page = new_page(browser)
    token = operator_token("department", department=SAMR)
    sign_in(page, live_server, token)
    page.click("nav >> text=预警与约谈")
    assert subject.handle in page.inner_text("#list")
    shot(page, "supervision-warnings")
    page.click(f"a[href$='warning_id={warning.id}']")
    assert page.input_value("#f-warning_id") == str(warning.id)
    page.select_option("#f-kind", "warning")
    page.fill("#f-scheduled_at", "2026-12-08T09:30")
    page.fill("#f-place", "市市场监管局三楼会议室")
    page.fill("#f-attendees", "经营者本人、执法人员")
    page.fill("#f-content", "告知失信风险及后果")
    page.fill("#f-rectification", "建立进货查验台账")
    page.fill("#f-rectification_days", "5")
    page.click("#main-form button[type=submit]")
    assert "已安排约谈" in page.inner_text("#notice") and page.inner_text("#talk-state") == "已计划"
    page.click("#step-notify button[type=submit]")
    page.fill("#step-hold [name=commitment_text]", "五个工作日内建立台账")
    page.fill("#step-hold [name=commitment_signer]", "经营者 王某")
    page.click("#step-hold button[type=submit]")
    page.click("#step-rectify button[type=submit]")
    assert page.inner_text("#talk-state") == "整改中" and "按工作日历计算" in page.inner_text("#talk-summary")
    shot(page, "supervision-talk")
    clock.advance(14 * 86400)  # past the five working days
    sign_in(page, live_server, token)
    page.goto(f"{live_server}/console/supervision/talks")
    late = page.locator("#list td.overdue")
    assert late.count() >= 1 and "逾期" in page.inner_text("#list")
    assert page.eval_on_selector("#list td.overdue", "e => getComputedStyle(e).color") == "rgb(179, 38, 30)"  # red
    shot(page, "supervision-talks-overdue")


def test_the_credit_office_enters_a_year_and_a_classification_row(app, live_server, browser):
    page = new_page(browser)
    sign_in(page, live_server, operator_token("admin"))
    page.click("nav >> text=工作日历")
    assert "2026" in page.inner_text("#list")
    page.click("text=登记年份")
    page.fill("#f-year", "2031")
    page.fill("#f-source", "国办发明电〔2030〕1号")
    page.fill("#f-days", "2031-01-01,holiday,元旦\n2031-01-22,holiday,春节\n2031-01-26,workday,春节")
    page.click("#main-form button[type=submit]")
    assert page.url.endswith("/console/calendar/2031") and "调休上班日" in page.inner_text("#list")
    shot(page, "admin-calendar-year")
    page.click("nav >> text=分类标准")
    page.fill("#filters input[name=department]", SAMR)
    page.click("#filters button[type=submit]")
    page.fill("#f-penalty_type", "罚款")
    page.select_option("#f-severity_class", "general")
    page.fill("#f-reference", "汕尾市市场监管领域失信信息分类标准第五条")
    page.click("#main-form button[type=submit]")
    assert "已保存" in page.inner_text("#notice") and "罚款" in page.inner_text("#list")
    shot(page, "admin-publication-classes")


def test_the_record_form_shows_the_windows_and_the_repair_notice(app, live_server, browser):
    page = new_page(browser)
    sign_in(page, live_server, operator_token("department", department=SAMR))
    page.click("text=登记信用记录")
    page.fill("#f-uscc", uscc_code(1))
    page.fill("#f-subject_name", "马宫蚝仔档")
    page.select_option("#f-category", "admin_penalty")
    page.select_option("#f-severity", "general")
    page.fill("#f-title", "销售不合格水产品")
    page.fill("#f-document_no", "汕市监罚〔2026〕1号")
    page.fill("#f-legal_basis", "《中华人民共和国食品安全法》第一百二十四条")
    page.fill("#f-decided_on", days_ago(3))
    page.click("#preview-button")  # a button outside the form, bound to it by form=: no script needed
    assert "预览（尚未登记）" in page.inner_text("#preview") and page.input_value("#f-title") == "销售不合格水产品"
    shot(page, "department-record-preview")
    page.click("#main-form button[type=submit]")
    assert page.inner_text("#record-class") == "一般失信信息"
    assert page.inner_text("#publish-from") == days_ago(3) and page.inner_text("#max-until")
    assert page.inner_text("#repair-notice").startswith("信用修复告知书")
    shot(page, "department-record-notice")
    tablet = new_page(browser, 768, 1024)
    sign_in(tablet, live_server, operator_token("department", department=SAMR))
    tablet.goto(f"{live_server}/console/supervision/tasks")
    assert fits(tablet)
