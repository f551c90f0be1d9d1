"""The printed 一码查信 sticker: its short URL and the printable A6 poster that carries it.

The URL is /m/<handle>-<serial> on PUBLIC_BASE_URL. The serial is the merchant's code_serial:
reissuing a sticker increments it, so an old sticker's URL resolves to a 410 "void" page.
/m/<handle> alone is the canonical page (links from market pages); only a printed URL carries the
serial. Posters: PNG at 300 dpi and PDF with an embedded font. The QR carries only the short
sticker URL (no personal data), at level H when it fits version 5, else Q, with automatic mask
selection (rendered once, then printed).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from flask import Response, current_app, send_file
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

import qr
from backend.credit import Subject
from backend.merchants.models import Market, Merchant
from backend.platform.clock import local_date
from backend.platform.db import db
from backend.platform.fonts import cjk_font

REF = re.compile(r"^([A-Za-z0-9]{4,16})(?:-([0-9]{1,6}))?$")
MAX_VERSION = 5  # keeps modules large enough to scan from a sticker at arm's length


def parse_ref(ref: str) -> tuple[str, int | None] | None:
    """(handle, serial or None) from a URL segment, or None when it cannot be a merchant ref."""
    m = REF.match(ref or "")
    if m is None:
        return None
    return m.group(1), int(m.group(2)) if m.group(2) else None


def page_path(handle: str, serial: int | None = None) -> str:
    return f"/m/{handle}" if serial is None else f"/m/{handle}-{serial}"


def absolute_url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def sticker_url(handle: str, serial: int) -> str:
    """The URL printed on the current sticker."""
    return absolute_url(page_path(handle, serial))


def longest_sticker_url(base: str) -> str:
    """The longest URL a sticker can print on `base`: an 8-character handle and a 6-digit serial."""
    return base.rstrip("/") + page_path("H" * 8, 999999)


def sticker_error_level(url: str) -> str:
    """The highest error level (H, else Q) fitting version 5; raises ValueError if even Q does not."""
    for level in ("H", "Q"):
        if qr.qr_version(url, level) <= MAX_VERSION:
            return level
    raise ValueError(f"sticker URL {url!r} needs QR version > {MAX_VERSION} at level Q; "
                     "shorten PUBLIC_BASE_URL")


A6_MM = (105.0, 148.0)
DPI = 300
PX_PER_MM = DPI / 25.4
TITLE = "一码查信"
HINT = "用手机相机扫一扫，查看本商户信用等级和产品检测结果"
QR_MM = 72.0
URL_PT = 8.5  # the printed URL: legible at arm's length, so a sticker pointing elsewhere can be spotted


@dataclass(frozen=True)
class PosterText:
    market: str
    name: str
    stall: str
    url: str
    serial: int
    issued_on: dt.date

    @property
    def issuer(self) -> str:
        """Who issued the sticker: the platform and the market office that manages the stall."""
        return f"发码单位：信用汕尾 · {self.market}管理方"

    @property
    def serial_line(self) -> str:
        return f"第 {self.serial} 版二维码 · {self.issued_on:%Y年%m月%d日}发放 · 消费投诉 12315"


def poster_text(merchant: Merchant) -> PosterText:
    subject = db.session.get(Subject, merchant.subject_id)
    market = db.session.get(Market, merchant.market_id)
    return PosterText(market.name, merchant.stall_name, f"摊位号 {merchant.stall_no}",
                      sticker_url(subject.handle, merchant.code_serial), merchant.code_serial,
                      local_date(merchant.code_issued_at))


# Vertical layout in millimetres from the top: (text attribute or literal, font size in pt, y).
LAYOUT = [("TITLE", 26, 10), ("market", 13, 24), ("name", 22, 33), ("stall", 14, 45)]
QR_TOP_MM = 54.0
BOTTOM = [("HINT", 9, 131.5), ("issuer", 8.5, 136.5), ("serial_line", 8.5, 141.5)]


def _lines(text: PosterText) -> list[tuple[str, float, float]]:
    value = {"TITLE": TITLE, "HINT": HINT}
    return [(value.get(key) or getattr(text, key), pt, y) for key, pt, y in LAYOUT + BOTTOM]


def poster_png(merchant: Merchant) -> bytes:
    """The A6 poster as a 300 dpi PNG; raises FontMissing (503) or ValueError (URL too long)."""
    text, font = poster_text(merchant), cjk_font()
    width, height = (round(v * PX_PER_MM) for v in A6_MM)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for line, pt, y in _lines(text):
        face = ImageFont.truetype(font.path, round(pt * DPI / 72), index=font.index)
        draw.text((width / 2, y * PX_PER_MM), line, font=face, fill=0, anchor="mt")
    code = Image.open(io.BytesIO(qr.render_png(text.url, scale=1, border=4, error=sticker_error_level(text.url),
                                               mask=None))).convert("L")
    side = round(QR_MM * PX_PER_MM)
    module = side // code.width  # whole pixels per module keep every module the same size
    code = code.resize((code.width * module, code.width * module), Image.Resampling.NEAREST)
    page.paste(code, ((width - code.width) // 2, round(QR_TOP_MM * PX_PER_MM)))
    small = ImageFont.truetype(font.path, round(URL_PT * DPI / 72), index=font.index)
    draw.text((width / 2, (QR_TOP_MM + QR_MM + 0.3) * PX_PER_MM), text.url, font=small, fill=0, anchor="mt")
    out = io.BytesIO()
    page.save(out, format="PNG", dpi=(DPI, DPI), optimize=True)
    return out.getvalue()


def _poster_document(title: str) -> FPDF:
    """An A6 PDF with the Chinese font added once (it is embedded once, subset to the glyphs every page uses)."""
    font = cjk_font()
    pdf = FPDF(unit="mm", format=A6_MM)
    pdf.set_margin(0)
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.add_font("cjk", fname=font.path, collection_font_number=font.index)
    return pdf


def _draw_poster(pdf: FPDF, text: PosterText) -> None:
    """One poster on a new page: the text lines, a vector QR of the sticker URL, the URL in clear."""
    pdf.add_page()
    pdf.set_text_color(0)
    for line, pt, y in _lines(text):
        pdf.set_font("cjk", size=pt)
        pdf.set_xy(0, y)
        pdf.cell(w=A6_MM[0], h=pt * 0.3528, text=line, align="C")
    matrix = qr.qr_matrix(text.url, sticker_error_level(text.url), mask=None)
    modules = len(matrix) + 8
    unit = QR_MM / modules
    left = (A6_MM[0] - QR_MM) / 2
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(matrix, start=4):
        x = 0
        while x < len(row):  # one rectangle per horizontal run: no hairlines between modules
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            pdf.rect(left + (start + 4) * unit, QR_TOP_MM + y * unit, (x - start) * unit, unit, style="F")
    pdf.set_font("cjk", size=URL_PT)
    pdf.set_xy(0, QR_TOP_MM + QR_MM + 0.3)
    pdf.cell(w=A6_MM[0], h=3.5, text=text.url, align="C")


def poster_pdf(merchant: Merchant) -> bytes:
    """The A6 poster as PDF with the font embedded and a vector QR; raises FontMissing (503) or ValueError."""
    text = poster_text(merchant)
    pdf = _poster_document(f"{text.market} {text.name} 一码查信")
    _draw_poster(pdf, text)
    return bytes(pdf.output())


def posters_pdf(market: Market, merchants: list[Merchant]) -> bytes:
    """Every stall's current poster, one A6 page each in the order given, as one PDF for printing; raises
    FontMissing (503) or ValueError (a URL too long)."""
    pdf = _poster_document(f"{market.name} 全部摊位 一码查信")
    for merchant in merchants:
        _draw_poster(pdf, poster_text(merchant))
    return bytes(pdf.output())


def market_posters_download(market: Market, merchants: list[Merchant]) -> Response:
    """All stalls' posters as one PDF download (posters-<market slug>.pdf), never cached."""
    response = send_file(io.BytesIO(posters_pdf(market, merchants)), mimetype="application/pdf", as_attachment=True,
                         download_name=f"posters-{market.slug}.pdf", etag=False, conditional=False)
    response.headers["Cache-Control"] = "no-store"
    return response


POSTER_TYPES = {"png": (poster_png, "image/png"), "pdf": (poster_pdf, "application/pdf")}
# Control characters (rows stored before names were checked) and path separators: not in a file name.
UNSAFE_IN_FILENAME = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]")


def poster_filename(merchant: Merchant, fmt: str) -> str:
    """poster-<stall number>.<fmt>, the stall number as typed (Chinese included), minus what no file name holds."""
    return f"poster-{UNSAFE_IN_FILENAME.sub('_', merchant.stall_no)}.{fmt}"


def poster_download(merchant: Merchant, fmt: str) -> Response:
    """The merchant's A6 poster as a download; raises FontMissing (503) or ValueError (URL too long).

    Content-Disposition comes from send_file (RFC 6266): the name is a quoted-string with quotes and
    backslashes escaped, and a non-ASCII name adds filename*=UTF-8''… (RFC 5987) beside an ASCII
    fallback, so no stall number can add or end a parameter.
    """
    render, mimetype = POSTER_TYPES[fmt]
    response = send_file(io.BytesIO(render(merchant)), mimetype=mimetype, as_attachment=True,
                         download_name=poster_filename(merchant, fmt), etag=False, conditional=False)
    response.headers["Cache-Control"] = "no-store"
    return response  # smorest passes a Response untouched
