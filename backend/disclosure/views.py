"""/api/dept/v1 for departments and admins: 双公示 decisions in (one, batch, CSV), listed, publish, withdraw, the
publication report (JSON or CSV); and reports at a service window or for a department's file."""

from __future__ import annotations

from flask import Response, current_app, request
from flask_smorest import Blueprint

from backend.credit import decode_csv, operator_viewer
from backend.disclosure import csv_import, deadlines, filing, listing, reports
from backend.disclosure.schemas import (
    DisclosureListArgsSchema,
    DisclosurePageSchema,
    DisclosureRowSchema,
    FiledSchema,
    ImportedSchema,
    LicenceBatchSchema,
    LicenceInSchema,
    OperatorReportInSchema,
    PenaltyBatchSchema,
    PenaltyInSchema,
    PublicationReportSchema,
    ReportArgsSchema,
    ReportSchema,
    WithdrawalSchema,
)
from backend.disclosure.subjects import organisation_by_uscc, person_at_counter
from backend.disclosure.vocab import Requester
from backend.platform.access import check_role, current_operator, operator_actor, require_operator
from backend.platform.web.http import accepts
from backend.platform.web.schemas import OptionalIdempotencyHeaderSchema

blp = Blueprint("disclosure", __name__, url_prefix="/api/dept/v1",
                description="Departments: 双公示 licences and penalties, the publication report, credit reports")
CSV_BODY = {"required": True, "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}}}


def _file(kind: str, body: dict):
    decision, created = filing.file_decision(kind, body, operator=current_operator(), actor=operator_actor())
    return {"decision": decision, "created": created}, 201 if created else 200


@blp.route("/disclosures/penalties", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(PenaltyInSchema)
@blp.response(201, FiledSchema)
def file_penalty(body):
    """File one 行政处罚 decision with the CF_ items; it is published now (publish=false holds it) and filed as a
    credit record (re-graded at once). The same number again corrects it."""
    return _file("penalty", body)


@blp.route("/disclosures/licences", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(LicenceInSchema)
@blp.response(201, FiledSchema)
def file_licence(body):
    """File one 行政许可 decision with the XK_ items (positive file data)."""
    return _file("licence", body)


@blp.route("/disclosures/penalties/batch", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(PenaltyBatchSchema)
@blp.response(201, ImportedSchema)
def file_penalties(body):
    """Up to 1,000 penalties; one bad row rejects all (details.errors lists every bad row)."""
    rows = list(enumerate(body["items"], start=1))
    return filing.file_decisions("penalty", rows, operator=current_operator(), actor=operator_actor())


@blp.route("/disclosures/licences/batch", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(LicenceBatchSchema)
@blp.response(201, ImportedSchema)
def file_licences(body):
    """Up to 1,000 licences; one bad row rejects all."""
    rows = list(enumerate(body["items"], start=1))
    return filing.file_decisions("licence", rows, operator=current_operator(), actor=operator_actor())


def _import(kind: str):
    request.max_content_length = current_app.config["CSV_MAX_BYTES"]
    text, encoding = decode_csv(request.get_data())
    return filing.file_decisions(kind, csv_import.parse(kind, text), operator=current_operator(),
                                 actor=operator_actor(), source="csv", encoding=encoding)


@blp.route("/disclosures/penalties/import", methods=["POST"])
@blp.doc(requestBody=CSV_BODY)
@require_operator("department", "admin")
@blp.response(201, ImportedSchema)
@accepts("text/csv")
def import_penalties():
    """A CSV (UTF-8 or GBK) of penalties whose header is the national codes (CF_WSH …) or their Chinese names;
    rows are numbered by file line; any bad row rejects the whole file."""
    return _import("penalty")


@blp.route("/disclosures/licences/import", methods=["POST"])
@blp.doc(requestBody=CSV_BODY)
@require_operator("department", "admin")
@blp.response(201, ImportedSchema)
@accepts("text/csv")
def import_licences():
    """A CSV (UTF-8 or GBK) of licences (XK_ codes or their Chinese names); all rows or none."""
    return _import("licence")


@blp.route("/disclosures", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(DisclosureListArgsSchema, location="query")
@blp.response(200, DisclosurePageSchema)
def list_decisions(args):
    """Your department's decisions (admins: every department's, or one), newest decision first, with their
    publication and withdrawal deadlines; filter by kind, state, decision date and part of the document number."""
    return listing.decisions(args, operator=current_operator()).envelope()


@blp.route("/disclosures/<int:disclosure_id>", methods=["GET"])
@require_operator("department", "admin")
@blp.response(200, DisclosureRowSchema)
def get_decision(disclosure_id):
    """One of your department's decisions (admins: any); another department's is 404."""
    return listing.decision(disclosure_id, operator=current_operator())


@blp.route("/disclosures/<int:disclosure_id>/publish", methods=["POST"])
@require_operator("department", "admin")
@blp.response(200, FiledSchema)
def publish(disclosure_id):
    """Publish a held decision now (lateness is counted against its 7-working-day deadline)."""
    return {"decision": filing.publish_decision(disclosure_id, operator=current_operator(), actor=operator_actor()),
            "created": False}


@blp.route("/disclosures/<int:disclosure_id>/withdraw", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(WithdrawalSchema)
@blp.response(200, FiledSchema)
def withdraw(body, disclosure_id):
    """Withdraw a changed or revoked decision with its reason and document (due 3 working days after the change);
    its credit record is removed and the subject re-graded."""
    return {"decision": filing.withdraw_decision(disclosure_id, body, operator=current_operator(),
                                                 actor=operator_actor()), "created": False}


@blp.route("/publication-report", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(ReportArgsSchema, location="query")
@blp.response(200, PublicationReportSchema)
def publication_report(args):
    """Per department: what was published late, withdrawn late, and what is overdue now (your department's,
    or every department's for admins)."""
    return deadlines.publication_report(args, operator=current_operator())


@blp.route("/publication-report.csv", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(ReportArgsSchema, location="query")
@blp.response(200, {"type": "string"}, content_type="text/csv", description="One line per late or overdue decision")
def publication_report_csv(args):
    """The publication report as CSV (UTF-8 with BOM): department, problem, kind, number, dates, working days late."""
    report = deadlines.publication_report(args, operator=current_operator())
    return Response(deadlines.report_csv(report), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="publication-report.csv"'})


@blp.route("/credit-reports", methods=["POST"])
@require_operator("window", "department", "admin")
@blp.arguments(OperatorReportInSchema)
@blp.arguments(OptionalIdempotencyHeaderSchema, location="headers")
@blp.response(201, ReportSchema)
def issue_report(body, headers):
    """A 专项信用报告 about an organisation (USCC): at a service window for the organisation, or by a department
    for a procurement or approval file; at a service window also for the resident at the counter (resident_id and
    name from the ID card the clerk checked; not counted against the free reports). Logged as a look at the file."""
    op = current_operator()
    if body.get("resident_id"):  # a resident at the counter, the ID card checked in person: windows only
        check_role(op, ("window", "admin"))
        subject = person_at_counter(body["resident_id"], body["name"])
    else:
        subject = organisation_by_uscc(body["uscc"])
    requester = Requester.WINDOW if op.role == "window" else Requester.DEPARTMENT
    report = reports.request_report(subject, {**body, "idempotency_key": headers.get("idempotency_key")},
                                    requester=requester, viewer=operator_viewer(op),
                                    actor=operator_actor(), operator_id=op.id)
    return reports.described(report) | {"download_path": f"/api/dept/v1/credit-reports/{report.report_no}.pdf"}


@blp.route("/credit-reports/<report_no>.pdf", methods=["GET"])
@require_operator("window", "department", "admin")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
def report_pdf(report_no):
    """The PDF of a report you issued."""
    report = reports.operator_report(current_operator().id, report_no)
    return Response(report.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{report.report_no}.pdf"', "Cache-Control": "no-store"})
