"""GET /me/credit counts list periods in China dates, as departments do (a UTC date showed a list entry
that starts today as inactive between 00:00 and 08:00 Shanwei time)."""

from __future__ import annotations

import datetime as dt

from tests.factories import bearer, operator_token, resident_id

SHANWEI = dt.timezone(dt.timedelta(hours=8))


def test_a_list_entry_starting_today_is_active_for_the_resident_at_one_in_the_morning(client, mp, clock):
    clock.now = dt.datetime(2026, 6, 1, 1, 0, tzinfo=SHANWEI).timestamp()  # 2026-05-31 17:00 UTC
    rid = resident_id()
    assert mp.bind(rid, name="陈晓明").status_code == 200
    dept = bearer(operator_token("department"))
    entry = {"resident_id": rid, "list_type": "watch", "reason": "多次违规占道经营", "legal_basis": "《广东省社会信用条例》",
             "decision_document": "汕市监〔2026〕88号", "starts_on": "2026-06-01"}
    assert client.post("/api/dept/v1/list-entries", json=entry, headers=dept).status_code == 201

    active = client.get("/api/dept/v1/list-entries", query_string={"list_type": "watch"}, headers=dept).get_json()
    assert [e["decision_document"] for e in active["items"]] == ["汕市监〔2026〕88号"]  # departments: active today
    mine = mp.get("/me/credit").get_json()
    assert mine["list_status"]["watch"] is True
    assert [e["active"] for e in mine["lists"]] == [True]
