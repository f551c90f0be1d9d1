"""Bulk filing (JSON batches, CSV in UTF-8 or GBK): all rows valid or nothing stored, Core statements."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable

from marshmallow import ValidationError
from sqlalchemy import bindparam, insert, select, update

from backend.credit.events import RECORD_FILED, emit, listening
from backend.credit.grades import recompute_many
from backend.credit.models import CreditRecord, Subject
from backend.credit.publication import table_of, window_values
from backend.credit.records import RECORD_FIELDS, acting_department, record_problems
from backend.credit.schemas import RecordInSchema
from backend.credit.subjects import NAME_MISMATCH, kind_for_uscc, unique_handles
from backend.credit.vocab import VALUE_ALIASES, RecordStatus, SubjectKind
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import china_today, utcnow
from backend.platform.crypto import decrypt, encrypt, keyed_hash
from backend.platform.db import db, use_case
from backend.platform.errors import DomainError, Forbidden, InvalidInput
from backend.platform.identifiers import mask_name, mask_resident_id, valid_resident_id, valid_uscc

CHUNK = 1000
Progress = Callable[[str, int, int], None]  # (phase, done, total)
TEMPLATE_COLUMNS = {  # field → the Chinese column name the template uses (any alias below is accepted too)
    "uscc": "统一社会信用代码", "resident_id": "居民身份证号", "subject_name": "主体名称", "category": "类别",
    "severity": "严重程度", "result": "结果", "title": "标题", "content": "内容", "department": "决定部门",
    "document_no": "决定文书号", "legal_basis": "法律依据", "decided_on": "决定日期", "expires_on": "有效期至",
    "tolerant_first_offence": "包容审慎", "emergency": "应急", "penalty_type": "处罚种类",
    "severity_class": "失信信息分类", "publish_months": "公示期限（月）", "window_basis": "公示期限依据",
}
TEMPLATE_EXAMPLE = {
    "uscc": "92441502MA4T000011", "subject_name": "汕尾市城区示例海鲜档", "category": "行政处罚", "severity": "一般",
    "title": "销售不合格食用农产品", "content": "抽检不合格，责令改正并处罚款", "document_no": "汕市监罚〔2026〕1号",
    "legal_basis": "《中华人民共和国食品安全法》第一百二十四条", "decided_on": "2026-01-15",
    "tolerant_first_offence": "否", "emergency": "否", "penalty_type": "罚款",
}
HEADER_ALIASES = {
    "统一社会信用代码": "uscc", "身份证号": "resident_id", "居民身份证号": "resident_id", "主体名称": "subject_name",
    "类别": "category", "严重程度": "severity", "结果": "result", "标题": "title", "内容": "content",
    "决定部门": "department", "文书号": "document_no", "决定文书号": "document_no", "法律依据": "legal_basis",
    "决定日期": "decided_on", "有效期至": "expires_on", "包容审慎": "tolerant_first_offence", "应急": "emergency",
    "处罚种类": "penalty_type", "失信信息分类": "severity_class", "公示分类": "severity_class",
    "公示期限（月）": "publish_months", "公示期限": "publish_months", "公示期限依据": "window_basis",
}


def decode_csv(raw: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM), else GBK (read as its superset GB18030)."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        raise InvalidInput("文件编码无法识别：请保存为 UTF-8 或 GBK 编码的 CSV。", code="bad_encoding") from None


def template_csv() -> bytes:
    """Every column (Chinese names) and one example row, UTF-8 with a BOM so spreadsheet programs read it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS.values())
    writer.writerow(TEMPLATE_EXAMPLE.get(field, "") for field in TEMPLATE_COLUMNS)
    return out.getvalue().encode("utf-8-sig")


def parse_csv(text: str) -> list[tuple[int, dict]]:
    """(line number, row) pairs; empty cells are left out; raises InvalidInput (unknown columns, malformed CSV)."""
    if "\x00" in text:  # PostgreSQL text cannot hold NUL
        raise InvalidInput("文件中含有 NUL 字符，不是有效的 CSV 文本。", code="bad_csv")
    reader = csv.reader(io.StringIO(text))
    try:
        return _rows(reader)
    except csv.Error:  # e.g. a field over the csv module's 128 KiB limit (was a 500)
        raise InvalidInput(f"第 {reader.line_num} 行不是有效的 CSV（引号不成对或单元格过长）。", code="bad_csv",
                           details={"errors": [{"row": reader.line_num,
                                                "message": "不是有效的 CSV（引号不成对或单元格过长）"}]}) from None


def _rows(reader) -> list[tuple[int, dict]]:
    header = [HEADER_ALIASES.get(h.strip(), h.strip()) for h in next(reader, [])]
    unknown = [h for h in header if h not in RecordInSchema().fields]
    if not header or unknown:
        raise InvalidInput(f"表头有误：{'不认识的列 ' + '、'.join(unknown) if unknown else '缺少表头'}"
                           "（列名见 GET /api/dept/v1/records/import/template.csv）。", code="bad_header",
                           details={"errors": [{"row": 1, "field": h, "message": "不认识的列"} for h in unknown]})
    rows = []
    for cells in reader:
        if any(c.strip() for c in cells):
            row = {h: c.strip() for h, c in zip(header, cells, strict=False) if c.strip()}
            for field, aliases in VALUE_ALIASES.items():  # 行政处罚, 一般, 不合格 … as well as the codes
                if field in row:
                    row[field] = aliases.get(row[field], row[field])
            if row.get("publish_months", "").isdigit():  # a JSON integer in the API; text in a CSV cell
                row["publish_months"] = int(row["publish_months"])
            rows.append((reader.line_num, row))
    return rows


class _Plan:
    """Validated rows and the subjects they name, collected before anything is written."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.errors: list[dict] = []
        self.forbidden: list[dict] = []
        self.orgs: dict[str, tuple[int, str | None]] = {}  # uscc -> (row, name)
        self.persons: dict[str, tuple[int, str | None]] = {}  # resident id -> (row, name)
        self.mismatched: set[int] = set()  # rows naming a filed person by another name


def _validate(rows: list[tuple[int, dict]], operator: Operator | None, progress: Progress) -> _Plan:
    plan, schema, as_of, seen = _Plan(), RecordInSchema(), china_today(), {}
    for i, (row_no, raw) in enumerate(rows):
        if i % CHUNK == 0:
            progress("validate", i, len(rows))
        def bad(field, message, row_no=row_no):
            plan.errors.append({"row": row_no, "field": field, "message": message})
        try:
            data = schema.load(raw)
        except ValidationError as e:
            for field, messages in e.messages.items():
                bad(field, "; ".join(map(str, messages)) if isinstance(messages, list) else str(messages))
            continue
        try:
            data["department"] = acting_department(operator, data.get("department"))
        except Forbidden as e:
            plan.forbidden.append({"row": row_no, "field": "department", "message": e.message})
            continue
        except DomainError as e:
            bad("department", e.message)
            continue
        for field, why in record_problems(data, as_of):
            bad(field, why)
        try:
            if bool(data.get("uscc")) == bool(data.get("resident_id")):
                raise InvalidInput("请只填写统一社会信用代码或居民身份证号中的一项", details={"field": "uscc"})
            if data.get("uscc"):
                data["uscc"] = valid_uscc(data["uscc"])
                plan.orgs.setdefault(data["uscc"], (row_no, data.get("subject_name")))
            else:
                data["resident_id"] = valid_resident_id(data["resident_id"], field="resident_id")
                first_row, first_name = plan.persons.setdefault(data["resident_id"], (row_no, data.get("subject_name")))
                if data.get("subject_name") and first_name and data["subject_name"] != first_name:
                    bad("subject_name", f"与第 {first_row} 行同一身份证号的姓名不一致")
        except DomainError as e:
            bad(e.details["field"], e.message)
        key = (data["department"], data["document_no"])
        if key in seen:
            bad("document_no", f"与第 {seen[key]} 行的决定部门和文书号相同")
        seen.setdefault(key, row_no)
        data["_row"] = row_no
        plan.rows.append(data)
    return plan


def _lookup(plan: _Plan) -> dict[str, int]:
    ids: dict[str, int] = {}
    codes = list(plan.orgs)
    for i in range(0, len(codes), CHUNK):
        ids.update(db.session.execute(select(Subject.uscc, Subject.id)
                                      .where(Subject.uscc.in_(codes[i:i + CHUNK]))).all())
    hashes = {keyed_hash(rid): rid for rid in plan.persons}
    hash_list = list(hashes)
    for i in range(0, len(hash_list), CHUNK):
        for h, sid, name_enc in db.session.execute(select(Subject.resident_id_hash, Subject.id, Subject.name_enc)
                                                   .where(Subject.resident_id_hash.in_(hash_list[i:i + CHUNK]))):
            rid = hashes[h]
            ids[rid] = sid
            row_no, name = plan.persons[rid]
            if name and name_enc and decrypt(name_enc).decode() != name:
                plan.mismatched.add(row_no)
    return ids


def _subject_ids(plan: _Plan) -> dict[str, int]:
    """Ids of every named subject; missing ones are created (keyed like get_or_create_person) if no row is bad."""
    ids, new = _lookup(plan), []
    for row_no in sorted(plan.mismatched):
        plan.errors.append({"row": row_no, "field": "subject_name", "message": NAME_MISMATCH})
    for code, (row_no, name) in plan.orgs.items():
        if code not in ids:
            if not name:
                plan.errors.append({"row": row_no, "field": "subject_name",
                                    "message": "首次报送的企业或组织需要填写主体名称"})
            new.append({"kind": kind_for_uscc(code), "display_name": name or code,
                        "uscc": code, "name_enc": None, "resident_id_hash": None, "resident_id_enc": None,
                        "resident_id_masked": None})
    if plan.errors or plan.forbidden:
        return ids
    for rid, (_, name) in plan.persons.items():
        if rid not in ids:
            new.append({"kind": SubjectKind.PERSON, "display_name": mask_name(name) if name else "*",
                        "uscc": None, "name_enc": encrypt(name) if name else None,
                        "resident_id_hash": keyed_hash(rid), "resident_id_enc": encrypt(rid),
                        "resident_id_masked": mask_resident_id(rid)})
    for row, handle in zip(new, unique_handles(len(new)), strict=True):
        row.update(handle=handle, grade=None, score=None)  # graded by recompute_many below
    for i in range(0, len(new), CHUNK):
        db.session.execute(insert(Subject.__table__), new[i:i + CHUNK])
    return _lookup(plan) if new else ids


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


@use_case
def store_rows(rows: list[tuple[int, dict]], *, operator: Operator | None, actor: str,
               source: str = "json", encoding: str | None = None, progress: Progress = _no_progress) -> dict:
    """Validate every row, then store all of them or none; raises InvalidInput listing every bad row.
    progress(phase, done, total) follows validate → store → regrade."""
    plan = _validate(rows, operator, progress)
    progress("validate", len(rows), len(rows))
    if plan.forbidden:
        raise Forbidden("有的行填写了其他部门，不能代其他部门报送；未保存任何记录。", code="outside_department",
                        details={"errors": plan.forbidden})
    ids = _subject_ids(plan)
    if plan.errors:
        plan.errors.sort(key=lambda e: e["row"])
        raise InvalidInput(f"{len({e['row'] for e in plan.errors})} 行有误，未保存任何记录（每行的问题见 details）。",
                           code="rows_rejected", details={"errors": plan.errors})
    progress("store", 0, len(plan.rows))
    created, updated, affected, inserted = _upsert(plan.rows, ids)
    progress("store", len(plan.rows), len(plan.rows))
    regraded = recompute_many(affected, reason=f"批量报送 {len(plan.rows)} 条记录", progress=progress)
    _tell_filed(inserted)
    departments = sorted({r["department"] for r in plan.rows})
    audit.record(actor, "records.import", "credit_records", ",".join(departments)[:64],
                 details={"source": source, "encoding": encoding, "rows": len(plan.rows), "created": created,
                          "updated": updated})
    return {"rows": len(plan.rows), "created": created, "updated": updated, "subjects_regraded": regraded,
            "encoding": encoding}


def _tell_filed(inserted: list[tuple[str, str]]) -> None:
    """Emit RECORD_FILED for every record the import created (only when someone listens: it loads them)."""
    if not inserted or not listening(RECORD_FILED):
        return
    by_dept = defaultdict(list)
    for department, document_no in inserted:
        by_dept[department].append(document_no)
    for department, docs in by_dept.items():
        for i in range(0, len(docs), CHUNK):
            for record in db.session.scalars(select(CreditRecord).where(
                    CreditRecord.department == department, CreditRecord.document_no.in_(docs[i:i + CHUNK]))):
                emit(RECORD_FILED, record=record, created=True)


def _upsert(rows: list[dict], ids: dict[str, int]) -> tuple[int, int, set[int], list[tuple[str, str]]]:
    by_dept = defaultdict(list)
    for r in rows:
        by_dept[r["department"]].append(r)
    inserts, updates, affected, now = [], [], set(), utcnow()
    t = CreditRecord.__table__
    for department, group in by_dept.items():
        table = table_of(department)
        docs = [r["document_no"] for r in group]
        existing = {}
        for i in range(0, len(docs), CHUNK):
            existing.update({doc: (rid, sid) for doc, rid, sid in db.session.execute(
                select(t.c.document_no, t.c.id, t.c.subject_id).where(
                    t.c.department == department, t.c.document_no.in_(docs[i:i + CHUNK])))})
        for r in group:
            sid = ids[r.get("uscc") or r["resident_id"]]
            values = {f: r.get(f) for f in RECORD_FIELDS} | window_values(r, table)
            affected.add(sid)
            if r["document_no"] in existing:
                rid, old_sid = existing[r["document_no"]]
                affected.add(old_sid)
                values.pop("publication_state")  # re-filing does not re-publish a repaired or expired record
                updates.append({"rid": rid, "v_subject_id": sid, "v_updated_at": now,
                                **{f"v_{k}": v for k, v in values.items()}})
            else:
                inserts.append({"department": department, "document_no": r["document_no"], "subject_id": sid,
                                "status": RecordStatus.ACTIVE, **values})
    for i in range(0, len(inserts), CHUNK):
        db.session.execute(insert(t), inserts[i:i + CHUNK])
    if updates:
        cols = {k[2:]: bindparam(k) for k in updates[0] if k != "rid"}
        db.session.execute(update(t).where(t.c.id == bindparam("rid")).values(**cols), updates)
    return len(inserts), len(updates), affected, [(r["department"], r["document_no"]) for r in inserts]
