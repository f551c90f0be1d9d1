"""The console's 双公示 decisions list: the department's own (admin all), filters, CSV, one decision's page,
publishing a held one and withdrawing a revoked one from the form; another department's is 404 and audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backend.models import AuditEntry, CreditRecord, Disclosure
from backend.platform.audit import DENIED
from backend.platform.extensions import db
from tests.console.helpers import signed_in, text_of
from tests.credit.helpers import SAMR, TAX, admin, dept
from tests.disclosure.helpers import at_china, filed, licence, penalty

API = "/api/dept/v1/disclosures"



def test_the_list_filters_exports_and_shows_only_the_departments_own(client, clock):
    at_china(clock, dt.date(2026, 11, 30))
    mine = filed(client, "penalties", penalty(n=401, CF_JDRQ="2026-11-18", publish=False), dept())
    lic = filed(client, "licences", licence(n=402, XK_JDRQ="2026-11-27"), dept())
    theirs = filed(client, "penalties", penalty(n=403, CF_JDRQ="2026-11-27"), dept(TAX))
    d = signed_in(client.application.test_client(), "department", department=SAMR)
    page = d.get("/console/disclosures")
    text = text_of(page)
    assert page.status_code == 200 and mine["document_no"] in text and lic["document_no"] in text
    assert theirs["document_no"] not in text and "共 2 条" in text
    # Held past its 7 working days (18 Nov + 7 = 27 Nov): the deadline is red with the working days past.
    assert "已逾期 1 个工作日" in text and 'class="overdue"' in page.get_data(as_text=True)
    assert "双公示决定" in text  # in the header
    only = text_of(d.get("/console/disclosures?kind=licence"))
    assert lic["document_no"] in only and mine["document_no"] not in only
    csv = d.get("/console/disclosures?format=csv").data.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("编号,类别,决定书文号") and mine["document_no"] in csv
    assert theirs["document_no"] not in csv
    bad = d.get("/console/disclosures?date_from=昨天")
    assert bad.status_code == 422 and "查询条件有误" in text_of(bad)
    everyone = text_of(signed_in(client.application.test_client(), "admin").get("/console/disclosures"))
    assert theirs["document_no"] in everyone and mine["document_no"] in everyone


def test_a_revoked_decision_is_withdrawn_from_its_page(client, clock):
    at_china(clock, dt.date(2026, 11, 30))
    decision = filed(client, "penalties", penalty(n=411, CF_JDRQ="2026-11-20"), dept())
    record_id = decision["credit_record_id"]
    d = signed_in(client.application.test_client(), "department", department=SAMR)
    page = d.get(f"/console/disclosures/{decision['id']}")
    assert page.status_code == 200 and "撤回公示" in text_of(page) and "CF_WFXW" in text_of(page)
    assert "CF_XDR_ZJHM" not in text_of(page) and "ZJHM" not in text_of(page)
    url = f"/console/disclosures/{decision['id']}/withdraw"
    missing = d.post(url, {"cause": "revoked", "changed_on": "2026-11-27"})
    assert missing.status_code == 422 and "撤回理由" in text_of(missing)
    too_early = d.post(url, {"cause": "revoked", "changed_on": "2026-11-01", "reason": "经行政复议撤销",
                             "document": "汕府复决〔2026〕9号"})
    assert too_early.status_code == 422 and "变更或撤销日期应在原决定日期和今天之间" in text_of(too_early)
    assert db.session.get(Disclosure, decision["id"]).state == "published"
    done = d.post(url, {"cause": "revoked", "changed_on": "2026-11-27", "reason": "经行政复议撤销",
                        "document": "汕府复决〔2026〕9号"})
    assert done.status_code == 303
    after = d.get(done.headers["Location"])
    text = text_of(after)
    assert "已撤回公示" in text and "行政决定被撤销" in text and "2026-12-02" in text  # 27 Nov + 3 working days
    assert "withdraw-form" not in after.get_data(as_text=True)
    record = db.session.get(CreditRecord, record_id)
    assert record.status == "removed" and record.publication_state == "withdrawn"
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "disclosure.withdraw")).scalar_one()
    assert entry.actor.startswith("operator:")
    again = d.post(url, {"cause": "revoked", "changed_on": "2026-11-27", "reason": "再次撤回", "document": "同上"})
    assert again.status_code == 422 and "该决定已撤回公示" in text_of(again)


def test_another_departments_decision_is_404_and_audited(client, clock):
    at_china(clock, dt.date(2026, 11, 30))
    decision = filed(client, "penalties", penalty(n=421, CF_JDRQ="2026-11-20"), dept())
    tax = signed_in(client.application.test_client(), "department", department=TAX)
    assert tax.get(f"/console/disclosures/{decision['id']}").status_code == 404
    resp = tax.post(f"/console/disclosures/{decision['id']}/withdraw", {"cause": "error", "changed_on": "2026-11-27",
                                                                   "reason": "信息有误", "document": "说明"})
    assert resp.status_code == 404 and db.session.get(Disclosure, decision["id"]).state == "published"
    denied = db.session.execute(select(AuditEntry).where(AuditEntry.action == DENIED)).scalars().all()
    assert [e.details.get("code") for e in denied].count("decision_not_found") == 2
    assert client.get(f"{API}/{decision['id']}", headers=dept(TAX)).status_code == 404
    assert client.get(f"{API}/{decision['id']}", headers=admin()).get_json()["state_zh"] == "公示中"
