"""/api/dept/v1 for departments and admins: credit records in (one, batch, CSV), a subject's file and grade
out, red/black/watch lists, the measures catalogue and 一键查询."""

from __future__ import annotations

from flask import Response, current_app, request
from flask_smorest import Blueprint

from backend.credit import (
    commitments,
    files,
    import_jobs,
    joint,
    lists,
    marks,
    publication,
    query_record,
    record_import,
    records,
)
from backend.credit.schemas import (
    CommitmentInSchema,
    CommitmentListSchema,
    CommitmentOutSchema,
    CreditFilePageSchema,
    DepartmentArgsSchema,
    FileArgsSchema,
    FileQuerySchema,
    FulfilmentInSchema,
    GradeReportSchema,
    ImportReportSchema,
    JointQueryArgsSchema,
    JointRecordSchema,
    JointResultSchema,
    ListArgsSchema,
    ListEntryInSchema,
    ListEntryPageSchema,
    ListEntrySchema,
    MarkInSchema,
    MarkOutSchema,
    MeasureListSchema,
    PublicationClassInSchema,
    PublicationClassListSchema,
    PublicationClassSchema,
    RecordBatchSchema,
    RecordFiledSchema,
    RecordInSchema,
    RecordSchema,
    RemovalSchema,
    SuspensionSchema,
)
from backend.credit.subjects import find_subject
from backend.platform.access import current_operator, operator_actor, require_operator
from backend.platform.jobs import describe as describe_job
from backend.platform.web.http import accepts
from backend.platform.web.schemas import JobSchema, OptionalIdempotencyHeaderSchema

blp = Blueprint("credit", __name__, url_prefix="/api/dept/v1",
                description="Departments: credit records, files, grades, lists and 一键查询")
CSV_BODY = {"required": True, "content": {"text/csv": {"schema": {"type": "string", "format": "binary"},
            "example": "uscc,subject_name,category,severity,title,document_no,legal_basis,decided_on\n"}}}


@blp.route("/records", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(RecordInSchema)
@blp.response(201, RecordFiledSchema)
def file_record(body):
    """File one record; the same department and document number again updates it (re-grades at once)."""
    record, created = records.file_record(body, operator=current_operator(), actor=operator_actor())
    return {"record": record, "created": created, "grade": record.subject.grade,
            "repair_notice": publication.notice(record)}


@blp.route("/records/batch", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(RecordBatchSchema)
@blp.response(201, ImportReportSchema)
def file_batch(body):
    """File up to 1,000 records; one bad row rejects the batch and the error lists every bad row."""
    rows = [(i, r) for i, r in enumerate(RecordBatchSchema().dump(body)["records"])]
    return record_import.store_rows(rows, operator=current_operator(), actor=operator_actor(), source="json")


@blp.route("/records/import", methods=["POST"])
@blp.doc(requestBody=CSV_BODY)
@require_operator("department", "admin")
@blp.arguments(OptionalIdempotencyHeaderSchema, location="headers")
@blp.response(201, ImportReportSchema)
@blp.alt_response(202, schema=JobSchema, description="A file over CSV_ASYNC_BYTES: imported by a background job; "
                                                     "poll the job (Location) for its progress and report")
@accepts("text/csv")
def import_csv(headers):
    """Import a CSV (UTF-8 or GBK); rows are numbered by file line; any bad row rejects the whole file. Files over
    CSV_ASYNC_BYTES (2 MiB) are answered 202 at once and imported by a background job, all rows or none as well."""
    request.max_content_length = current_app.config["CSV_MAX_BYTES"]
    raw = request.get_data()
    if len(raw) > current_app.config["CSV_ASYNC_BYTES"]:
        job = import_jobs.submit_csv_import(raw, operator=current_operator(), actor=operator_actor(),
                                            idempotency_key=headers.get("idempotency_key"))
        described = JobSchema().dump(describe_job(job))  # a Response: flask-smorest would dump it as the 201 schema
        response = current_app.json.response(described)
        response.status_code, response.headers["Location"] = 202, described["url"]
        return response
    text, encoding = record_import.decode_csv(raw)
    return record_import.store_rows(record_import.parse_csv(text), operator=current_operator(), actor=operator_actor(),
                                    source="csv", encoding=encoding)


@blp.route("/records/import/template.csv", methods=["GET"])
@require_operator("department", "admin")
@blp.response(200, {"type": "string"}, content_type="text/csv", description="Header row and one example row")
def import_template():
    """The CSV template for POST /records/import: every column with its Chinese name and one example row."""
    return Response(record_import.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="credit-records-template.csv"'})


@blp.route("/records/<int:record_id>/remove", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(RemovalSchema)
@blp.response(200, RecordSchema)
def remove_record(body, record_id):
    """Withdraw one of your department's records (revoked decision, credit repair); re-grades."""
    return records.remove_record(record_id, body["reason"], operator=current_operator(), actor=operator_actor())


@blp.route("/subjects/file", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(FileArgsSchema, location="query")
@blp.response(200, CreditFilePageSchema)
def credit_file(args):
    """A subject's credit file, newest first, filterable by category and decision date (audited with purpose)."""
    return files.read_file(args, operator=current_operator(), actor=operator_actor())


@blp.route("/subjects/grade", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(FileQuerySchema, location="query")
@blp.response(200, GradeReportSchema)
def grade(args):
    """A subject's grade with its breakdown (every record, points, rule) and history (audited with purpose)."""
    return files.grade_report(args, operator=current_operator(), actor=operator_actor())


@blp.route("/list-entries", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(ListEntryInSchema)
@blp.response(201, ListEntrySchema)
def add_list_entry(body):
    """Put a subject on the red, black or watch list (legal basis and decision document required)."""
    return lists.add_entry(body, operator=current_operator(), actor=operator_actor())


@blp.route("/list-entries/<int:entry_id>/remove", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(RemovalSchema)
@blp.response(200, ListEntrySchema)
def remove_list_entry(body, entry_id):
    """Take a subject off a list, with the reason; re-grades at once."""
    return lists.remove_entry(entry_id, body["reason"], operator=current_operator(), actor=operator_actor())


@blp.route("/list-entries", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(ListArgsSchema, location="query")
@blp.response(200, ListEntryPageSchema)
def list_entries(args):
    """List entries, newest first (active only by default)."""
    return lists.list_entries(args).envelope()


@blp.route("/joint-measures/catalogue", methods=["GET"])
@require_operator("department", "admin")
@blp.response(200, MeasureListSchema)
def measures_catalogue():
    """The catalogue of joint reward and punishment measures."""
    return {"items": joint.catalogue()}


@blp.route("/joint-measures", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(JointQueryArgsSchema, location="query")
@blp.response(200, JointResultSchema)
def joint_query(args):
    """一键查询 of a subject (by uscc, resident_id or handle): list status and the measures that apply.

    The measures are those each list decision's legal basis brings (the catalogue's bases); a well-formed
    identifier without a credit file answers 200 查询无记录. Every answer has a query number and a printable
    record; the query and its purpose go to the audit log.
    """
    return joint.joint_query(args, operator=current_operator(), actor=operator_actor())


@blp.route("/joint-measures/queries/<query_no>", methods=["GET"])
@require_operator("department", "admin")
@blp.response(200, JointRecordSchema)
def joint_query_record(query_no):
    """A kept 一键查询 by its query number (your department's, or any for admins), as answered that day."""
    return query_record.read_record(query_no, operator=current_operator(), actor=operator_actor())


@blp.route("/joint-measures/queries/<query_no>/record.pdf", methods=["GET"])
@require_operator("department", "admin")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf",
              description="A4 query record, Chinese font embedded")
def joint_query_record_pdf(query_no):
    """The printable query record (number, time, purpose, operator, result) of a kept 一键查询, as PDF."""
    record = query_record.read_record(query_no, operator=current_operator(), actor=operator_actor())
    return Response(query_record.record_pdf(record), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{query_no}.pdf"', "Cache-Control": "no-store"})


@blp.route("/marks", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(MarkInSchema)
@blp.response(201, MarkOutSchema)
@blp.alt_response(409, description="The item already carries a mark for this case (already_marked)")
def add_mark(body):
    """Mark one of your department's records or list entries as under 行政复议 or 行政诉讼: every view shows the
    neutral note at once; the grade keeps counting it unless suspends_grade."""
    return marks.mark_row(marks.department_mark(body, operator=current_operator(), actor=operator_actor()))


@blp.route("/marks/<int:mark_id>/clear", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(RemovalSchema)
@blp.response(200, MarkOutSchema)
def clear_mark(body, mark_id):
    """Clear a reconsideration or litigation mark once the case is decided (objection marks clear with the outcome)."""
    return marks.mark_row(marks.department_unmark(mark_id, body["reason"], operator=current_operator(),
                                                  actor=operator_actor()))


@blp.route("/marks/<int:mark_id>/suspension", methods=["PUT"])
@require_operator("department", "admin")
@blp.arguments(SuspensionSchema)
@blp.response(200, MarkOutSchema)
def suspend_mark(body, mark_id):
    """Suspend (true) or resume (false) counting the marked item in the grade while it is decided; re-grades."""
    return marks.mark_row(marks.department_suspend(mark_id, body["suspended"], operator=current_operator(),
                                                   actor=operator_actor()))
@blp.route("/publication-classes", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(DepartmentArgsSchema, location="query")
@blp.response(200, PublicationClassListSchema)
def publication_classes(args):
    """Your department's classification table: penalty types → class 轻微/一般/严重, with the rule's reference."""
    op = current_operator()
    department = args.get("department") if op.role == "admin" else op.department
    return {"items": publication.classes_of(department or "")}


@blp.route("/publication-classes/<penalty_type>", methods=["PUT"])
@require_operator("department", "admin")
@blp.arguments(PublicationClassInSchema)
@blp.response(200, PublicationClassSchema)
def put_publication_class(body, penalty_type):
    """Set the class of a penalty type in your department's table ("*": the default for unmapped records)."""
    return publication.put_class(current_operator(), penalty_type, body, actor=operator_actor())


@blp.route("/publication-classes/<penalty_type>", methods=["DELETE"])
@require_operator("department", "admin")
@blp.arguments(DepartmentArgsSchema, location="query")
@blp.response(204)
def delete_publication_class(args, penalty_type):
    """Remove a penalty type from your department's table."""
    publication.delete_class(current_operator(), penalty_type, args.get("department"), actor=operator_actor())


@blp.route("/commitments", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(CommitmentInSchema)
@blp.response(201, CommitmentOutSchema)
def record_commitment(body):
    """Record a credit commitment your department accepted (信用承诺, national data items; 主动型 ones are signed
    by the subject in the mini-program). Public ones show on the subject's public page."""
    op = current_operator()
    subject = find_subject(body)
    row = commitments.record_commitment(subject, body, department=op.department or "信用汕尾", actor=operator_actor())
    return commitments.describe(row)


@blp.route("/commitments/<code>/fulfilment", methods=["POST"])
@require_operator("department", "admin")
@blp.arguments(FulfilmentInSchema)
@blp.response(200, CommitmentOutSchema)
def assess_commitment(body, code):
    """Record whether a commitment your department accepted was kept. 部分履行/全部未履行 is a breach: the subject
    goes on the watch list (重点关注) with the commitment as basis; a broken 信用修复型 commitment puts the
    repaired record back in publication up to its maximum window."""
    op = current_operator()
    row = commitments.assess_commitment(code, body, department=op.department or "信用汕尾", actor=operator_actor(),
                                        is_admin=op.role == "admin")
    return commitments.describe(row)


@blp.route("/commitments", methods=["GET"])
@require_operator("department", "admin")
@blp.arguments(FileQuerySchema, location="query")
@blp.response(200, CommitmentListSchema)
def list_commitments(args):
    """A subject's credit commitments, newest first (audited with purpose)."""
    return commitments.read_commitments(args, actor=operator_actor())
