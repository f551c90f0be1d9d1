"""The printable record of a 一键查询 (procurement and approval files keep it): by query number, as JSON or PDF.

A record shows the query number, time, purpose, the querying department and operator, what was asked
and the answer given that day (including 查询无记录). Only the querying department and platform admins
may read it; every read is audited.
"""

from __future__ import annotations

from fpdf import FPDF

from backend.credit.accesses import operator_viewer, record_access
from backend.credit.joint import with_number
from backend.credit.models import JointQuery
from backend.credit.vocab import AccessKind
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import local_time
from backend.platform.db import db, use_case
from backend.platform.errors import NotFound
from backend.platform.fonts import cjk_font

APPLIES_TO_ZH = {"administrative_approval": "行政审批", "government_procurement": "政府采购", "subsidy": "财政补贴",
                 "public_bidding": "招标投标", "honours": "评先评优", "consumption": "消费",
                 "market_supervision": "市场监管", "appointment": "任职资格"}
KIND_ZH = {"reward": "激励", "punishment": "惩戒", "supervision": "监管"}


@use_case
def read_record(query_no: str, *, operator: Operator, actor: str) -> dict:
    """The kept query by number; raises NotFound (also for another department's query: none leak)."""
    query = db.session.query(JointQuery).filter_by(query_no=query_no).one_or_none()
    if query is None or (operator.role != "admin" and query.department != operator.department):
        raise NotFound(f"没有编号为 {query_no} 的查询记录（或它不是本部门的查询）。", code="query_not_found")
    audit.record(actor, "joint.record.read", "joint_query", query.query_no)
    if query.subject_id is not None:
        record_access(query.subject_id, AccessKind.JOINT_RECORD, operator_viewer(operator), query.purpose,
                      query.query_no)
    querier = db.session.get(Operator, query.operator_id) if query.operator_id else None
    return {**with_number(query), "operator": querier.name if querier else "命令行",
            "department": query.department or "平台管理员"}


def _row(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font("cjk", size=10)
    pdf.set_text_color(80)
    pdf.cell(w=28, h=7, text=label)
    pdf.set_text_color(0)
    pdf.multi_cell(w=0, h=7, text=value or "—", new_x="LMARGIN", new_y="NEXT")


def record_pdf(record: dict) -> bytes:
    """The query record as an A4 PDF with the Chinese font embedded; raises FontMissing (503)."""
    font = cjk_font()
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_title(f"联合奖惩一键查询记录 {record['query_no']}")
    pdf.add_font("cjk", fname=font.path, collection_font_number=font.index)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(w=0, h=12, text="联合奖惩一键查询记录", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(w=0, h=7, text="信用汕尾 · 汕尾市公共信用信息平台", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    subject = record.get("subject") or {}
    when = local_time(record["queried_at"].timestamp()).strftime("%Y-%m-%d %H:%M:%S")
    for label, value in (
        ("查询编号", record["query_no"]), ("查询时间", f"{when}（北京时间）"),
        ("查询单位", record["department"]), ("查询人", record["operator"]), ("查询事由", record["purpose"]),
        ("适用事项", APPLIES_TO_ZH.get(record.get("applies_to") or "", "全部")),
        ("查询对象", subject.get("display_name") or "—"), ("主体标识", record["queried"]),
        ("查询结果", record["result_zh"]),
    ):
        _row(pdf, label, value)
    for entry in record["lists"]:
        _row(pdf, "名单", f"{entry['list_zh']}：{entry['department']} {entry['decision_document']}，"
                          f"自 {entry['starts_on']} 起；认定依据 {entry['legal_basis']}")
    for measure in record["measures"]:
        detail = f"{measure['title']}（实施单位：{measure['implementing_body']}；依据：{measure['legal_basis']}）"
        _row(pdf, f"{KIND_ZH.get(measure['kind'], '')}措施", detail)
    for note in record.get("notes", []):
        _row(pdf, "说明", note)
    pdf.ln(6)
    pdf.set_font("cjk", size=9)
    pdf.set_text_color(80)
    pdf.multi_cell(w=0, h=6, text=f"本记录由信用汕尾平台根据查询时的信用信息自动生成，查询结果截至 "
                                  f"{record['checked_on']}。可凭查询编号 {record['query_no']} 向平台核验。")
    return bytes(pdf.output())
