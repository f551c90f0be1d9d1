"""Checking a report: GET /r/<report-no>?k=<check code> (the QR code on the report) and an uploaded PDF, each
logged. A report is genuine when the number and check code match a report we issued and, for a PDF, when its
SHA-256 is the digest in the signed summary; a changed PDF or another number is told apart."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json

from sqlalchemy import select

from backend.credit import ListEntry, Subject
from backend.credit.vocab import LIST_ZH, ListType, grade_label
from backend.disclosure.models import CreditReport, ReportVerification
from backend.disclosure.reports import REPORT_TYP
from backend.disclosure.vocab import DOMAIN_ZH, ReportState, VerificationOutcome
from backend.keys import keyring
from backend.platform.clock import china_today, local_time, now_ts, utcnow
from backend.platform.db import db, use_case

OUTCOME_ZH = {
    VerificationOutcome.GENUINE: "报告真实有效：报告编号、核验码与平台出具的报告一致",
    VerificationOutcome.EXPIRED: "报告为平台出具，但已超过建议使用期，请申请新的报告",
    VerificationOutcome.UNKNOWN_NUMBER: "平台没有出具过该编号的报告，请核对报告编号",
    VerificationOutcome.WRONG_CODE: "报告编号与核验码不符：该报告可能被篡改或伪造",
    VerificationOutcome.ALTERED: "文件与平台出具的报告不一致（内容摘要不符）：该文件可能被篡改",
}
CHANGED_NOTE = "报告生成后信息可能已变化，以下为主体当前状态。"


def _log(report: CreditReport | None, asked: str, outcome: VerificationOutcome, method: str) -> None:
    db.session.add(ReportVerification(at=utcnow(), report_id=report.id if report else None, asked_no=asked[:40],
                                      outcome=outcome, method=method))


def _current(subject_id: int) -> dict:
    subject = db.session.get(Subject, subject_id)
    today = china_today()
    lists = db.session.execute(select(ListEntry.list_type).where(ListEntry.subject_id == subject_id,
                                                                 ListEntry.active_on(today))).scalars().all()
    return {"grade": subject.grade, "grade_zh": grade_label(subject.grade), "as_of": today.isoformat(),
            "lists": sorted({LIST_ZH[ListType(t)] for t in lists}), "note": CHANGED_NOTE}


def _jwk(kid: str) -> dict | None:
    return next((k for k in keyring().published(now_ts()) if k["kid"] == kid), None)


def _local(iso_utc: str) -> str:
    moment = dt.datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
    return local_time(moment.timestamp()).strftime("%Y-%m-%d %H:%M:%S") + "（北京时间）"


def _header(token: str) -> dict:
    segment = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _shown(report: CreditReport, outcome: VerificationOutcome) -> dict:
    claims = report.summary
    header = _header(report.token)
    return {"outcome": outcome, "outcome_zh": OUTCOME_ZH[outcome], "genuine": outcome in (
        VerificationOutcome.GENUINE, VerificationOutcome.EXPIRED), "report_no": report.report_no,
        "summary": claims, "generated_local": _local(claims["gen"]),
        "domains_zh": [DOMAIN_ZH[d] for d in claims["domains"]], "token": report.token,
        "typ": REPORT_TYP, "kid": header.get("kid"), "jwk": _jwk(header.get("kid")),
        "current": _current(report.subject_id)}


def _find(report_no: str) -> CreditReport | None:
    return db.session.execute(select(CreditReport).where(CreditReport.report_no == report_no,
                                                         CreditReport.state == ReportState.READY)).scalar_one_or_none()


@use_case
def check_number(report_no: str, code: str | None) -> dict:
    """What the verification page shows for a number and check code (logged)."""
    report = _find(report_no)
    if report is None:
        _log(None, report_no, VerificationOutcome.UNKNOWN_NUMBER, "page")
        return {"outcome": VerificationOutcome.UNKNOWN_NUMBER, "genuine": False, "report_no": report_no,
                "outcome_zh": OUTCOME_ZH[VerificationOutcome.UNKNOWN_NUMBER]}
    if not code or not hmac.compare_digest(code.strip().upper().encode(), report.check_code.encode()):
        _log(report, report_no, VerificationOutcome.WRONG_CODE, "page")
        return {"outcome": VerificationOutcome.WRONG_CODE, "genuine": False, "report_no": report_no,
                "outcome_zh": OUTCOME_ZH[VerificationOutcome.WRONG_CODE], "needs_code": not code}
    outcome = VerificationOutcome.EXPIRED if now_ts() > report.summary["exp"] else VerificationOutcome.GENUINE
    _log(report, report_no, outcome, "page")
    return _shown(report, outcome)


@use_case
def check_file(report_no: str, data: bytes) -> dict:
    """Compare an uploaded PDF with the report of that number (logged)."""
    report = _find(report_no)
    if report is None:
        _log(None, report_no, VerificationOutcome.UNKNOWN_NUMBER, "upload")
        return {"outcome": VerificationOutcome.UNKNOWN_NUMBER, "genuine": False, "report_no": report_no,
                "outcome_zh": OUTCOME_ZH[VerificationOutcome.UNKNOWN_NUMBER]}
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    if not hmac.compare_digest(digest, report.digest):
        _log(report, report_no, VerificationOutcome.ALTERED, "upload")
        return {"outcome": VerificationOutcome.ALTERED, "genuine": False, "report_no": report_no, "digest": digest,
                "outcome_zh": OUTCOME_ZH[VerificationOutcome.ALTERED]}
    outcome = VerificationOutcome.EXPIRED if now_ts() > report.summary["exp"] else VerificationOutcome.GENUINE
    _log(report, report_no, outcome, "upload")
    return {**_shown(report, outcome), "digest": digest}
