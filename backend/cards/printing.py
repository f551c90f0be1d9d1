"""The resident card as a PDF: ID-1 (bank-card size, landscape) or A6 (portrait), the Chinese font embedded,
a vector QR code of the signed card, the masked name, the printed serial and the validity. Nothing else
about the person is printed."""

from __future__ import annotations

from fpdf import FPDF

import qr
from backend.cards.issuing import printed_serial
from backend.cards.models import ResidentCard
from backend.cards.vocab import CARD_SIZE_MM, CardSize
from backend.platform.clock import local_date
from backend.platform.fonts import cjk_font

TITLE = "信用汕尾 · 市民信用卡"
HINT = "出示此卡可代替手机信用码"
LOST = "遗失请到政务服务窗口挂失补办，或拨打12345"
QUIET = 4  # modules of quiet zone around the QR code


def _qr(pdf: FPDF, token: str, left: float, top: float, side: float) -> None:
    """Draw the QR code as filled rectangles (one per horizontal run: no hairlines between modules)."""
    matrix = qr.qr_matrix(token, "M", mask=None)
    unit = side / (len(matrix) + 2 * QUIET)
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(matrix, start=QUIET):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            pdf.rect(left + (start + QUIET) * unit, top + y * unit, (x - start) * unit, unit, style="F")


def _text(pdf: FPDF, text: str, pt: float, x: float, y: float, w: float, align: str = "L") -> None:
    pdf.set_font("cjk", size=pt)
    pdf.set_xy(x, y)
    pdf.cell(w=w, h=pt * 0.3528, text=text, align=align)


def card_pdf(row: ResidentCard, token: str) -> bytes:
    """The printable card; raises FontMissing (503)."""
    width, height = CARD_SIZE_MM[row.size]
    font = cjk_font()
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_margin(0)
    pdf.set_auto_page_break(False)
    pdf.set_title(f"市民信用卡 {printed_serial(row.serial)}")
    pdf.add_font("cjk", fname=font.path, collection_font_number=font.index)
    pdf.add_page()
    valid = f"有效期至 {local_date(row.expires_at).isoformat()}"
    serial = f"卡号 {printed_serial(row.serial)}"
    if row.size == CardSize.ID1:
        side = 46.0
        _qr(pdf, token, 2.0, (height - side) / 2, side)
        x, w = side + 3.0, width - side - 5.0
        for text, pt, y in ((TITLE, 8.5, 5), (row.masked_name, 16, 14), (serial, 6.5, 25), (valid, 6.5, 30),
                            (HINT, 5.5, 38), (LOST, 4.6, 43)):
            _text(pdf, text, pt, x, y, w)
    else:
        side = 90.0
        _text(pdf, TITLE, 16, 0, 8, width, "C")
        _text(pdf, row.masked_name, 22, 0, 18, width, "C")
        _qr(pdf, token, (width - side) / 2, 30, side)
        for text, pt, y in ((serial, 11, 124), (valid, 11, 130), (HINT, 9, 137), (LOST, 8, 142)):
            _text(pdf, text, pt, 0, y, width, "C")
    return bytes(pdf.output())
