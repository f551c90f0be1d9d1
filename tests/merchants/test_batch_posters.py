"""All stalls of a market as one PDF for printing: one A6 page per stall by stall number, each page's QR decoding
(zxing-cpp) to that stall's current sticker URL; the API and the console serve the same file."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from backend.merchants import stickers
from backend.platform.extensions import db
from tests.console.helpers import ConsoleClient
from tests.factories import bearer, operator_token
from tests.merchants.helpers import handle_of, market_operator, merchant

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")


def stalls(n: int, slug: str = "magong") -> list:
    return [merchant(f"第{i:02d}号档口", slug=slug, stall_no=f"A-{i:02d}") for i in range(1, n + 1)]


@needs_poppler
def test_thirty_stalls_as_one_pdf_each_page_decoding_to_its_sticker(client, tmp_path):
    token = market_operator()
    rows = stalls(30)
    rows[4].code_serial = 3  # a reissued sticker: its page carries the current serial
    db.session.commit()
    merchant("别的市场", slug="sanmalu", stall_no="A-00")
    resp = client.get("/api/dept/v1/merchants/posters.pdf", headers=bearer(token))
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "posters-magong.pdf" in resp.headers["Content-Disposition"]
    pdf = tmp_path / "all.pdf"
    pdf.write_bytes(resp.data)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+30\b", info)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(fonts.splitlines()[2:]) == 1  # the Chinese font embedded once, not thirty times
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 30
    expected = [f"http://127.0.0.1:8000/m/{handle_of(r)}-{r.code_serial}" for r in rows]
    decoded = [[b.text for b in zxingcpp.read_barcodes(Image.open(p))] for p in pages]
    assert decoded == [[url] for url in expected]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "第05号档口" in text and "别的市场" not in text


def test_the_console_serves_the_same_batch_and_only_market_operators_get_it(client):
    stalls(2)
    c = ConsoleClient(client)
    c.sign_in(market_operator())
    resp = c.get("/console/posters.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert client.get("/api/dept/v1/merchants/posters.pdf", headers=bearer(operator_token("admin"))).status_code == 403


def test_posters_pdf_of_an_empty_market_is_an_empty_document(app):
    from tests.merchants.helpers import market

    pdf = stickers.posters_pdf(market(), [])
    assert pdf.startswith(b"%PDF")
