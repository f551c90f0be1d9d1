"""Resident card helpers: issue and print at a window, decode a card's PDF back to its QR content."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.factories import bearer, operator_token


def window() -> dict:
    return bearer(operator_token("window", department="汕尾市政务服务中心"))


def issue(client, headers: dict, rid: str, name: str = "陈阿婆", size: str = "id1", **extra):
    return client.post("/api/dept/v1/resident-cards", headers=headers,
                       json={"name": name, "id_number": rid, "size": size, **extra})


def decode_pdf(pdf: bytes) -> str:
    """Render the PDF's first page at 300 dpi (pdftoppm) and decode its one QR code (zxing-cpp)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler (pdftoppm) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "card.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(path), str(Path(tmp) / "page")],
                       check=True)
        image = Image.open(Path(tmp) / "page.png")
        image.load()
    (found,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return found.text
