"""Printable A6 posters: the QR decodes to the sticker URL; the PDF embeds its Chinese font."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

import qr
from backend.merchants import stickers as posters
from backend.merchants.stickers import MAX_VERSION, sticker_error_level, sticker_url
from backend.platform import fonts
from backend.platform.clock import local_date
from tests.factories import bearer, uscc_code
from tests.merchants.helpers import handle_of, market_operator, merchant

ROOT = Path(__file__).resolve().parents[2]
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_png_poster_is_a6_at_300dpi_and_decodes_to_the_page_url(app, client):
    row = merchant("阿海鲜活水产")
    image = Image.open(io.BytesIO(posters.poster_png(row)))
    assert image.size == (1240, 1748) and round(image.info["dpi"][0]) == 300
    url = f"http://127.0.0.1:8000/m/{handle_of(row)}-1"
    assert decode(image) == [url]
    assert client.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 200


def test_sticker_qr_is_level_q_or_higher_and_small(app):
    row = merchant()
    url = sticker_url(handle_of(row), 12345)
    level = sticker_error_level(url)
    assert level in ("Q", "H") and qr.qr_version(url, level) <= MAX_VERSION
    with pytest.raises(ValueError, match="shorten PUBLIC_BASE_URL"):
        sticker_error_level("https://credit.shanwei.gov.cn/a/much/longer/prefix/than/a/sticker/allows/m/x-1")


@needs_poppler
def test_pdf_poster_has_chinese_text_an_embedded_font_and_a_readable_qr(app, tmp_path):
    row = merchant("郑家海鲜", stall_no="M009")
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(posters.poster_pdf(row))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "郑家海鲜" in text and "马宫水产品批发市场" in text and "摊位号 M009" in text and "一码查信" in text
    # Who issued it, which serial and when: a fake sticker pointing elsewhere is easier to spot.
    issued = local_date(row.code_issued_at)
    assert "发码单位：信用汕尾 · 马宫水产品批发市场管理方" in text
    assert f"第 1 版二维码 · {issued:%Y年%m月%d日}发放" in text
    assert f"http://127.0.0.1:8000/m/{handle_of(row)}-1" in text.replace("\n", "")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("NotoSansCJKSC" in r[0] and r[-5] == "yes" for r in rows), fonts  # emb column
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert (float(size[1]), float(size[2])) == pytest.approx((105 / 25.4 * 72, 148 / 25.4 * 72), abs=0.1)  # A6
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    assert decode(Image.open(tmp_path / "page.png")) == [f"http://127.0.0.1:8000/m/{handle_of(row)}-1"]


def test_the_font_comes_from_the_pinned_package_not_the_system():
    font = fonts.cjk_font()
    assert "/site-packages/noto_cjk_sans_otc/" in font.path and font.index == 2  # the SC face of the collection
    requirements = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^noto-cjk-sans-otc==[\d.]+\s", requirements, re.M)
    product = [p for top in ("backend", "miniprogram_api", "qr") for p in (ROOT / top).rglob("*")
               if p.suffix in (".py", ".html", ".css", ".js", ".toml") and "vendor" not in p.parts]
    assert not [p for p in product if "/usr/share/fonts" in p.read_text(encoding="utf-8")]


def test_missing_font_is_a_503_in_chinese_not_a_500(client, monkeypatch):
    monkeypatch.setattr(fonts, "FONT_PACKAGE", "no_such_font_package")
    token = market_operator()
    row = merchant()
    with pytest.raises(fonts.FontMissing):
        posters.poster_pdf(row)
    for fmt in ("png", "pdf"):
        resp = client.get(f"/api/dept/v1/merchants/{row.id}/poster.{fmt}", headers=bearer(token))
        assert resp.status_code == 503 and resp.get_json()["error"]["code"] == "font_missing"
        assert "中文字体" in resp.get_json()["error"]["message"]


def test_operator_downloads_posters_of_the_current_sticker(client, db):
    token = market_operator()
    row = merchant()
    client.post(f"/api/dept/v1/merchants/{row.id}/reissue-code", json={"reason": "换摊位"}, headers=bearer(token))
    assert row.code_serial == 2 and row.code_issued_at is not None  # reissued now: the poster prints this date
    png = client.get(f"/api/dept/v1/merchants/{row.id}/poster.png", headers=bearer(token))
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert decode(Image.open(io.BytesIO(png.data))) == [f"http://127.0.0.1:8000/m/{handle_of(row)}-2"]
    pdf = client.get(f"/api/dept/v1/merchants/{row.id}/poster.pdf", headers=bearer(token))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert client.get(f"/api/dept/v1/merchants/{row.id}/poster.pdf").status_code == 401


def download_name(resp) -> tuple[str, dict]:
    from werkzeug.http import parse_options_header

    return parse_options_header(resp.headers["Content-Disposition"])


def test_a_stall_number_cannot_add_parameters_to_the_download_header(client):
    token = market_operator()
    hostile = "x\";filename*=UTF-8''a.exe;x=\""
    created = client.post("/api/dept/v1/merchants", headers=bearer(token),
                          json={"uscc": uscc_code(), "name": "黄记冰鲜", "stall_no": hostile})
    assert created.status_code == 201, created.get_json()
    resp = client.get(f"/api/dept/v1/merchants/{created.get_json()['id']}/poster.png", headers=bearer(token))
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    disposition, params = download_name(resp)
    assert (disposition, params) == ("attachment", {"filename": f"poster-{hostile}.png"})


def test_a_chinese_stall_number_downloads_under_its_own_name(client):
    token = market_operator()
    row = merchant(stall_no="马宫A区-07")
    resp = client.get(f"/api/dept/v1/merchants/{row.id}/poster.pdf", headers=bearer(token))
    assert resp.status_code == 200
    header = resp.headers["Content-Disposition"]
    assert "filename*=UTF-8''poster-%E9%A9%AC%E5%AE%ABA%E5%8C%BA-07.pdf" in header  # RFC 5987
    assert header.isascii() and download_name(resp) == ("attachment", {"filename": "poster-马宫A区-07.pdf"})


def test_a_line_break_in_a_stall_number_is_refused_not_a_500(client, db):
    token = market_operator()
    for stall in ("A\r\n1", "A\n1", "A\r1"):
        resp = client.post("/api/dept/v1/merchants", headers=bearer(token),
                           json={"uscc": uscc_code(), "name": "黄记冰鲜", "stall_no": stall})
        assert resp.status_code == 422, resp.get_json()
        assert resp.get_json()["error"]["details"]["json"]["stall_no"] == [
            "不能包含控制字符（换行、回车、制表符等），请只填写一行文字。"]
    row = merchant(stall_no="M201")
    patched = client.patch(f"/api/dept/v1/merchants/{row.id}", json={"stall_no": "M201\r\nX-Evil: 1"},
                           headers=bearer(token))
    assert patched.status_code == 422 and db.session.get(type(row), row.id).stall_no == "M201"


def test_a_stall_number_stored_before_the_check_still_downloads(client, db):
    """Rows written before control characters were refused: the file name drops them and path separators."""
    token = market_operator()
    row = merchant(stall_no="A\t1/2\x1b\\3")
    resp = client.get(f"/api/dept/v1/merchants/{row.id}/poster.pdf", headers=bearer(token))
    assert resp.status_code == 200 and download_name(resp) == ("attachment", {"filename": "poster-A_1_2__3.pdf"})
