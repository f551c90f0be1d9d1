"""QR rendering: PNG and SVG decode back exactly (zxing-cpp), sizes, versions, options."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from qr import qr_matrix, qr_version, render_png, render_svg, sign_code
from qr.render import DEFAULT_MASK

NOW = 1_750_000_000
MERCHANT_URL = "https://credit.shanwei.gov.cn/m/91441500MA4UL0XY2K"
SVG_NS = "{http://www.w3.org/2000/svg}"


def decode(image: Image.Image) -> zxingcpp.Barcode:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1
    return found[0]


def svg_to_image(svg: str, scale: int = 4) -> Image.Image:
    """Rasterise our SVG subset (one background rect, one path of M/h/v/z) by hand."""
    root = ET.fromstring(svg)
    size = int(root.get("viewBox").split()[2])
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    (path,) = root.iter(f"{SVG_NS}path")
    assert path.get("fill") == "#000"
    commands = re.findall(r"([MhvZz])\s*(-?\d*)(?:\s+(-?\d+))?", path.get("d"))
    assert "".join(c + a + (" " + b if b else "") for c, a, b in commands) == path.get("d")
    x = y = 0
    corners: list[tuple[int, int]] = []
    for cmd, a, b in commands:
        if cmd == "M":
            x, y = int(a), int(b)
            corners = [(x, y)]
        elif cmd == "h":
            x += int(a)
            corners.append((x, y))
        elif cmd == "v":
            y += int(a)
            corners.append((x, y))
        else:  # z: close the rectangle and fill it
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            assert len(corners) == 4
            box = (min(xs) * scale, min(ys) * scale, max(xs) * scale - 1, max(ys) * scale - 1)
            draw.rectangle(box, fill=0)
    return image


@pytest.fixture
def token(key) -> str:
    return sign_code(key, sub="k3Jd9xQ2", grade="A", now=NOW).token


def test_signed_code_is_version_10_or_less_at_m(token):
    assert len(token) <= 213
    assert qr_version(token) <= 10
    assert len(qr_matrix(token, "M")) == 4 * qr_version(token) + 17


@pytest.mark.parametrize("error", ["L", "M", "Q", "H"])
def test_png_decodes_back_exactly(token, error):
    png = render_png(token, error=error)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode == "1"
    modules = 4 * qr_version(token, error) + 17
    assert image.size == ((modules + 8) * 8,) * 2
    found = decode(image)
    assert found.text == token
    assert found.extra["ECLevel"] == error
    assert int(found.extra["Version"]) == qr_version(token, error)
    assert found.extra["DataMask"] == DEFAULT_MASK


@pytest.mark.parametrize("scale,border", [(1, 4), (3, 2), (10, 4), (4, 0)])
def test_png_scale_and_border(scale, border):
    image = Image.open(io.BytesIO(render_png(MERCHANT_URL, scale=scale, border=border, error="Q")))
    modules = len(qr_matrix(MERCHANT_URL, "Q"))
    assert image.size == ((modules + 2 * border) * scale,) * 2
    if scale >= 3 and border >= 2:
        assert decode(image).text == MERCHANT_URL


@pytest.mark.parametrize("content,error", [("token", "M"), (MERCHANT_URL, "Q"), ("SWC:x", "H")])
def test_svg_structure_and_decode(token, content, error):
    content = token if content == "token" else content
    border = 4
    svg = render_svg(content, border=border, error=error)
    root = ET.fromstring(svg)
    modules = len(qr_matrix(content, error))
    size = modules + 2 * border
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == f"0 0 {size} {size}"
    assert len(list(root.iter(f"{SVG_NS}path"))) == 1
    image = svg_to_image(svg)
    assert decode(image).text == content
    # The path is exactly the matrix: compare module by module (sample module centres).
    scale = 4
    for r, row in enumerate(qr_matrix(content, error)):
        for c, dark in enumerate(row):
            pixel = image.getpixel(((c + border) * scale + 2, (r + border) * scale + 2))
            assert (pixel == 0) == dark, (r, c)


@pytest.mark.parametrize("mask", [*range(8), None])
def test_every_mask_decodes(token, mask):
    found = decode(Image.open(io.BytesIO(render_png(token, mask=mask))))
    assert found.text == token
    if mask is not None:
        assert found.extra["DataMask"] == mask


def test_unicode_content_round_trips():
    text = "信用汕尾 马宫水产品批发市场"
    assert decode(Image.open(io.BytesIO(render_png(text)))).text == text


def test_version_capacity_boundary_at_m():
    # Version 10 at level M holds 213 bytes in byte mode: the size budget of a code.
    assert qr_version("a" * 213, "M") == 10
    assert qr_version("a" * 214, "M") == 11


@pytest.mark.parametrize(
    "call",
    [
        lambda: render_png("x", error="X"),
        lambda: render_svg("x", error="m"),
        lambda: render_png("x", scale=0),
        lambda: render_png("x", border=-1),
        lambda: render_svg("x", border=-1),
        lambda: render_png("x", mask=8),
        lambda: qr_version("x" * 3000, "H"),
        lambda: qr_matrix(b"bytes", "M"),
    ],
)
def test_bad_options(call):
    with pytest.raises(ValueError):
        call()
