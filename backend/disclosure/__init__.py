"""双公示 (administrative licences and penalties with the national data items and deadlines), the 信用汕尾 public
portal (search, subject pages, red and black lists, the change feed) and verifiable 专项信用报告.

The seams the integrator swaps at merge (issues 13 and 14) are all in `visibility`: record_shown_clause,
list_entry_shown_clause, repair_status, objection_mark, public_commitments, verified_declarations; the repair
feature adds feed lines through record_repair_event."""

from backend.disclosure.deidentify import PERSON_SHOWN, scrub
from backend.disclosure.feed import record_repair_event
from backend.disclosure.filing import my_file
from backend.disclosure.models import CreditReport, Disclosure, DisclosureEvent, ReportVerification
from backend.disclosure.reports import REPORT_TYP, described, my_report, my_reports, quota, request_report
from backend.disclosure.visibility import (
    list_entry_shown_clause,
    objection_mark,
    public_commitments,
    record_shown_clause,
    repair_status,
    verified_declarations,
)

__all__ = ["PERSON_SHOWN", "REPORT_TYP", "CreditReport", "Disclosure", "DisclosureEvent", "ReportVerification",
           "described", "list_entry_shown_clause", "my_file", "my_report", "my_reports", "objection_mark",
           "public_commitments", "quota", "record_repair_event", "record_shown_clause", "repair_status",
           "request_report", "scrub", "verified_declarations"]
