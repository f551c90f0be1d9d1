"""The 专项信用报告 as an A4 PDF (fpdf2, the project's Chinese font embedded): cover, summary, details with
objection and repair marks, and a QR code of the verification page."""

from __future__ import annotations

import io

from fpdf import FPDF

import qr
from backend.platform.fonts import cjk_font

NOTE = ("本报告由信用汕尾平台根据报告生成时归集的公共信用信息自动生成，用于替代有无违法违规记录证明"
        "（发改财金〔2025〕565号）。报告生成后信息可能已变化，请扫描二维码或访问核验地址查看核验结果和当前状态。")

OBJECTION = " 对报告内容有异议的，可向作出决定的部门或信用汕尾平台提出异议（谁产生、谁负责）。"


def _row(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font("cjk", size=10)
    pdf.set_text_color(80)
    pdf.cell(w=30, h=7, text=label)
    pdf.set_text_color(0)
    pdf.multi_cell(w=0, h=7, text=value or "—", new_x="LMARGIN", new_y="NEXT")


def render(report: dict) -> bytes:
    """The PDF bytes of a report dict (see reports.report_content); raises FontMissing (503)."""
    font = cjk_font()
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_title(f"专项信用报告 {report['report_no']}")
    pdf.set_creator("信用汕尾")
    pdf.set_creation_date(report["generated_at_dt"])
    pdf.add_font("cjk", fname=font.path, collection_font_number=font.index)
    pdf.add_page()
    pdf.set_font("cjk", size=22)
    pdf.ln(20)
    pdf.cell(w=0, h=14, text="专项信用报告", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(w=0, h=8, text="（代替有无违法违规记录证明）", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    for label, value in (("报告编号", report["report_no"]), ("核验码", report["check_code"]),
                         ("信用主体", report["subject_name"]), ("主体标识", report["subject_id"]),
                         ("报告期间", f"{report['period_from']} 至 {report['period_to']}"),
                         ("查询领域", "、".join(report["domains_zh"])), ("报告用途", report["purpose"]),
                         ("申请方式", report["requester_zh"]), ("生成时间", report["generated_at"]),
                         ("数据截至", report["data_as_of"]), ("建议使用期", f"至 {report['valid_until']}")):
        _row(pdf, label, value)
    pdf.ln(6)
    pdf.image(io.BytesIO(qr.render_png(report["verify_url"], scale=6, border=4)), x=80, w=50, h=50)
    pdf.set_font("cjk", size=9)
    pdf.cell(w=0, h=6, text="扫码核验", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(w=0, h=5, text=f"核验地址：{report['verify_url']}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.cell(w=0, h=10, text="一、报告摘要", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(w=0, h=7, text=report["summary_text"], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=14)
    pdf.cell(w=0, h=10, text="二、查询明细", new_x="LMARGIN", new_y="NEXT")
    for section in report["sections"]:
        pdf.set_font("cjk", size=12)
        pdf.cell(w=0, h=9, text=f"{section['domain_zh']}：{section['status_zh']}", new_x="LMARGIN", new_y="NEXT")
        for item in section["items"]:
            text = f"· {item['text']}"
            for mark in item["marks"]:
                text += f"【{mark}】"
            pdf.set_font("cjk", size=10)
            pdf.multi_cell(w=0, h=6, text=text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=14)
    pdf.cell(w=0, h=10, text="三、说明", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.set_text_color(80)
    pdf.multi_cell(w=0, h=5, text=NOTE + OBJECTION,
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
