"""专项信用报告 (发改财金〔2025〕565号) replacing 无违法违规证明: requested by the subject in the mini-program, by
an organisation at a service window, or by a department for a procurement file; a PDF with a QR code of the
verification page and a summary signed with the platform key ring (typ sw-credit-report+jwt, exp from
REPORT_VALIDITY_DAYS) that verifies offline against /.well-known/jwks.json."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import func, select

import qr
from backend.credit import CreditRecord, ListEntry, Subject, Viewer, record_access
from backend.credit.vocab import SEVERITY_ZH, AccessKind, ListType, RecordCategory, RecordStatus
from backend.disclosure import report_pdf, visibility
from backend.disclosure.models import CreditReport
from backend.disclosure.vocab import (
    DOMAIN_ZH,
    REQUESTER_ZH,
    UNCOLLECTED_DOMAINS,
    ReportDomain,
    ReportState,
    Requester,
)
from backend.keys import keyring
from backend.platform import audit
from backend.platform.clock import china_today, local_time, now_ts
from backend.platform.crypto import decrypt
from backend.platform.db import db, paginate, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound

REPORT_TYP = "sw-credit-report+jwt"
MAX_PERIOD_DAYS = 5 * 366
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def verify_url(report_no: str, check_code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/r/{report_no}?k={check_code}"


def free_used(subject_id: int, year: int) -> int:
    """Free reports a resident had this (China) year."""
    return db.session.scalar(select(func.count()).select_from(CreditReport).where(
        CreditReport.subject_id == subject_id, CreditReport.free.is_(True),
        CreditReport.report_no.like(f"SW{year}%"))) or 0


def quota(subject_id: int) -> dict:
    year, per_year = china_today().year, current_app.config["REPORT_FREE_PER_YEAR"]
    used = free_used(subject_id, year)
    return {"year": year, "free_per_year": per_year, "free_used": used, "free_left": max(per_year - used, 0)}


def _check(body: dict) -> None:
    today = china_today()
    if body["period_from"] > body["period_to"]:
        raise InvalidInput("period_from：报告期间的开始日期不能晚于结束日期。", details={"field": "period_from"})
    if body["period_to"] > today:
        raise InvalidInput("period_to：报告期间不能晚于今天。", details={"field": "period_to"})
    if (body["period_to"] - body["period_from"]).days > MAX_PERIOD_DAYS:
        raise InvalidInput("period_from：报告期间最长五年。", details={"field": "period_from"})


def _records(subject_id: int, category: str, body: dict) -> list[CreditRecord]:
    return list(db.session.execute(select(CreditRecord).where(
        CreditRecord.subject_id == subject_id, CreditRecord.category == category,
        CreditRecord.status == RecordStatus.ACTIVE, CreditRecord.decided_on >= body["period_from"],
        CreditRecord.decided_on <= body["period_to"]).order_by(CreditRecord.decided_on)).scalars())


def _entries(subject_id: int, list_type: str, body: dict) -> list[ListEntry]:
    return list(db.session.execute(select(ListEntry).where(
        ListEntry.subject_id == subject_id, ListEntry.list_type == list_type, ListEntry.removed_at.is_(None),
        ListEntry.starts_on <= body["period_to"],
        (ListEntry.ends_on.is_(None)) | (ListEntry.ends_on >= body["period_from"]))
        .order_by(ListEntry.starts_on)).scalars())


def _marks(item) -> list[str]:
    repair, objection = visibility.repair_status(item), visibility.objection_mark(item)
    return [m for m in ((repair or {}).get("label"), objection) if m]


def _section(subject_id: int, domain: str, body: dict) -> dict:
    items: list[dict] = []
    if domain in UNCOLLECTED_DOMAINS:
        return {"domain": domain, "domain_zh": DOMAIN_ZH[domain], "collected": False,
                "status_zh": "本平台暂未归集该领域信息，不作结论", "items": []}
    if domain in (ReportDomain.ADMIN_PENALTY, ReportDomain.COURT_DISHONESTY):
        category = RecordCategory.ADMIN_PENALTY if domain == ReportDomain.ADMIN_PENALTY else \
            RecordCategory.COURT_DISHONESTY
        for r in _records(subject_id, category, body):
            severity = f"，{SEVERITY_ZH[r.severity]}失信" if r.severity else ""
            items.append({"text": f"{r.decided_on} {r.department} {r.document_no}：{r.title}{severity}",
                          "marks": _marks(r)})
    else:
        list_type = ListType.BLACK if domain == ReportDomain.SERIOUS_DISHONESTY else ListType.WATCH
        for e in _entries(subject_id, list_type, body):
            until = f"至 {e.ends_on}" if e.ends_on else "至今"
            items.append({"text": f"{e.starts_on} {until} {e.department} {e.decision_document}：{e.reason}"
                                  f"（认定依据：{e.legal_basis}）", "marks": _marks(e)})
    return {"domain": domain, "domain_zh": DOMAIN_ZH[domain], "collected": True, "items": items,
            "status_zh": f"{len(items)} 条记录" if items else "未发现记录"}


def summary_text(name: str, body: dict, sections: list[dict]) -> str:
    """经查询，X自…至…在所选领域未发现… — or what was found, domain by domain."""
    span = f"{name}自{body['period_from']:%Y年%m月%d日}至{body['period_to']:%Y年%m月%d日}"
    collected = [s for s in sections if s["collected"]]
    found = [s for s in collected if s["items"]]
    uncollected = [s["domain_zh"] for s in sections if not s["collected"]]
    if not found:
        chosen = "、".join(s["domain_zh"] for s in collected)
        text = (f"经查询，{span}在所选领域未发现违法违规记录（所选领域：{chosen}）。"
                if collected else f"经查询，{span}所选领域均未归集数据，不作结论。")
    else:
        listed = "；".join(f"{s['domain_zh']} {len(s['items'])} 条" for s in found)
        clear = [s["domain_zh"] for s in collected if not s["items"]]
        text = f"经查询，{span}在所选领域发现以下记录：{listed}（详见查询明细）。"
        if clear:
            text += f"在{'、'.join(clear)}领域未发现记录。"
    if uncollected:
        text += f"{'、'.join(uncollected)}领域本平台暂未归集信息，本报告对此不作结论。"
    return text


def _subject_shown(subject: Subject) -> tuple[str, str, str]:
    """(name on the report, name in the signed summary, id in both): a person's name in full only in the PDF."""
    if subject.kind == "person":
        full = decrypt(subject.name_enc).decode() if subject.name_enc else subject.display_name
        return full, subject.display_name, subject.resident_id_masked or ""
    return subject.display_name, subject.display_name, subject.uscc or ""


def _fmt(moment: dt.datetime) -> str:
    return local_time(moment.timestamp()).strftime("%Y-%m-%d %H:%M:%S")


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def build(report: CreditReport, subject: Subject) -> None:
    """Render the PDF, sign the summary; in the caller's transaction."""
    body = {"period_from": report.period_from, "period_to": report.period_to}
    sections = [_section(subject.id, d, body) for d in report.domains]
    pdf_name, signed_name, subject_id = _subject_shown(subject)
    ts = now_ts()
    generated = dt.datetime.fromtimestamp(ts, dt.UTC)
    validity = current_app.config["REPORT_VALIDITY_DAYS"]
    valid_until = local_time(ts + validity * 86400).date()
    content = {"report_no": report.report_no, "check_code": report.check_code, "subject_name": pdf_name,
               "subject_id": subject_id, "period_from": str(report.period_from), "period_to": str(report.period_to),
               "domains_zh": [DOMAIN_ZH[d] for d in report.domains], "purpose": report.purpose,
               "requester_zh": REQUESTER_ZH[Requester(report.requester)] + (f"（{report.organisation}）"
                                                                          if report.organisation else ""),
               "generated_at": _fmt(generated) + "（北京时间）", "data_as_of": _fmt(generated) + "（北京时间）",
               "generated_at_dt": generated, "valid_until": str(valid_until),
               "verify_url": verify_url(report.report_no, report.check_code),
               "summary_text": summary_text(pdf_name, body, sections), "sections": sections}
    pdf = report_pdf.render(content)
    digest = "sha256:" + hashlib.sha256(pdf).hexdigest()
    claims = {"iss": "信用汕尾", "rno": report.report_no, "sub_name": signed_name, "sub_id": subject_id,
              "period": [str(report.period_from), str(report.period_to)], "domains": list(report.domains),
              "purpose": report.purpose, "result": "found" if any(s["items"] for s in sections) else "clear",
              "findings": sum(len(s["items"]) for s in sections), "digest": digest,
              "gen": _iso(generated), "asof": _iso(generated), "iat": ts,
              "exp": ts + validity * 86400}
    report.summary, report.digest, report.pdf = claims, digest, pdf
    report.token = qr.sign_document(keyring().signer, REPORT_TYP, claims)
    report.generated_at = report.data_as_of = generated
    report.state = ReportState.READY


@use_case
def request_report(subject: Subject, body: dict, *, requester: Requester, viewer: Viewer, actor: str,
                   account_id: int | None = None, operator_id: int | None = None) -> CreditReport:
    """Issue a report now (logged as a look at the file and in the audit log); raises InvalidInput, Conflict
    (a resident's free reports for the year used up)."""
    _check(body)
    key = body.get("idempotency_key")
    if key:
        who = CreditReport.account_id == account_id if account_id is not None else \
            CreditReport.operator_id == operator_id
        earlier = db.session.execute(select(CreditReport).where(who, CreditReport.idempotency_key == key)
                                     ).scalar_one_or_none()
        if earlier is not None:
            return earlier
    free = requester == Requester.RESIDENT
    if free and quota(subject.id)["free_left"] <= 0:
        raise Conflict(f"本年度 {current_app.config['REPORT_FREE_PER_YEAR']} 份免费信用报告已用完，"
                       "如需更多请到政务服务窗口办理。", code="report_quota_exhausted", details=quota(subject.id))
    report = CreditReport(subject_id=subject.id, requester=requester, requested_by=actor[:100],
                          account_id=account_id, operator_id=operator_id, idempotency_key=key,
                          organisation=viewer.organisation if requester in (Requester.WINDOW, Requester.DEPARTMENT)
                          else None,
                          period_from=body["period_from"], period_to=body["period_to"],
                          domains=list(dict.fromkeys(body["domains"])), purpose=body["purpose"], free=free,
                          state=ReportState.PENDING,
                          check_code="".join(secrets.choice(CODE_ALPHABET) for _ in range(8)))
    db.session.add(report)
    db.session.flush()
    report.report_no = f"SW{china_today():%Y%m%d}{report.id:08d}"  # the row id: a serial no race can repeat
    build(report, subject)
    record_access(subject.id, AccessKind.REPORT, viewer, body["purpose"], report.report_no)
    audit.record(actor, "report.issue", "credit_report", report.report_no,
                 details={"requester": requester, "domains": report.domains, "subject": subject.handle})
    return report


def described(report: CreditReport) -> dict:
    return {"report_no": report.report_no, "state": report.state, "period_from": report.period_from,
            "period_to": report.period_to, "domains": report.domains, "purpose": report.purpose,
            "generated_at": report.generated_at, "digest": report.digest, "free": report.free,
            "summary": report.summary, "token": report.token,
            "verify_url": verify_url(report.report_no, report.check_code),
            "download_path": f"/api/mp/v1/me/reports/{report.report_no}.pdf"}


def my_reports(account_id: int, subject_id: int | None, page: int, per_page: int) -> dict:
    """Reports this account asked for, newest first, with the resident's free count."""
    query = select(CreditReport).where(CreditReport.account_id == account_id).order_by(CreditReport.id.desc())
    found = paginate(query, page, per_page)
    return {**found.envelope(quota=quota(subject_id) if subject_id else None),
            "items": [described(r) for r in found.items]}


def my_report(account_id: int, report_no: str) -> CreditReport:
    """One of this account's reports; raises NotFound (others' reports too)."""
    report = db.session.execute(select(CreditReport).where(CreditReport.report_no == report_no,
                                                           CreditReport.account_id == account_id)).scalar_one_or_none()
    if report is None or report.state != ReportState.READY:
        raise NotFound(f"没有编号为 {report_no} 的本人信用报告。", code="report_not_found")
    return report


def operator_report(operator_id: int, report_no: str) -> CreditReport:
    """A report this operator issued; raises NotFound."""
    report = db.session.execute(select(CreditReport).where(
        CreditReport.report_no == report_no, CreditReport.operator_id == operator_id)).scalar_one_or_none()
    if report is None:
        raise NotFound(f"没有编号为 {report_no} 的信用报告（或不是您出具的）。", code="report_not_found")
    return report
