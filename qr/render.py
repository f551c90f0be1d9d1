"""QR rendering of codes to PNG and SVG; raises ValueError on bad options or overflow.

qrcode's defaults take ~11-40 ms per image, nearly all of it choosing the mask by
encoding eight times and scoring each in pure Python. Every mask gives a valid code
that decoders read, so the mask is fixed (DEFAULT_MASK: over sampled signed codes at
version 10-M it had the lowest mean ISO 18004 penalty of the eight), the version is
computed once from qrcode's capacity table, and the pixels are drawn here instead of
by qrcode's per-module image factories. Pass ``mask=None`` for qrcode's automatic
choice when a render is done once and kept (printed merchant stickers).
"""

from __future__ import annotations

import io

import qrcode  # type: ignore[import-untyped]
from PIL import Image
from qrcode import constants
from qrcode.exceptions import DataOverflowError  # type: ignore[import-untyped]

DEFAULT_MASK = 1
ERROR_LEVELS = {
    "L": constants.ERROR_CORRECT_L,
    "M": constants.ERROR_CORRECT_M,
    "Q": constants.ERROR_CORRECT_Q,
    "H": constants.ERROR_CORRECT_H,
}


def _qr(content: str, error: str) -> qrcode.QRCode:
    """Return a QRCode holding content at its minimal version; raises ValueError."""
    if not isinstance(content, str):
        raise ValueError("content must be str")
    if error not in ERROR_LEVELS:
        raise ValueError("error must be one of L, M, Q, H")
    qr: qrcode.QRCode = qrcode.QRCode(error_correction=ERROR_LEVELS[error], border=0)
    qr.add_data(content)
    try:
        qr.best_fit()  # bit count against the capacity table: no trial encoding
    except DataOverflowError:
        raise ValueError("content too long for a QR code") from None
    return qr


def qr_version(content: str, error: str = "M") -> int:
    """Return the smallest QR version (1-40) holding content; raises ValueError."""
    return int(_qr(content, error).version)


def qr_matrix(content: str, error: str = "M", *, mask: int | None = DEFAULT_MASK) -> list[list[bool]]:
    """Return the module matrix (True = dark), no quiet zone; raises ValueError."""
    if mask is not None and mask not in range(8):
        raise ValueError("mask must be 0-7 or None")
    qr = _qr(content, error)
    qr.mask_pattern = mask
    qr.make(fit=False)
    return [[bool(m) for m in row] for row in qr.modules]


def _check_border(border: int) -> None:
    if not isinstance(border, int) or not 0 <= border <= 64:
        raise ValueError("border must be an int in 0..64")


def render_png(
    content: str,
    *,
    scale: int = 8,
    border: int = 4,
    error: str = "M",
    mask: int | None = DEFAULT_MASK,
) -> bytes:
    """Render content as a 1-bit PNG, scale px per module; raises ValueError."""
    if not isinstance(scale, int) or not 1 <= scale <= 64:
        raise ValueError("scale must be an int in 1..64")
    _check_border(border)
    matrix = qr_matrix(content, error, mask=mask)
    size = len(matrix) + 2 * border
    blank = b"\xff" * size
    side = b"\xff" * border
    rows = [blank] * border
    rows.extend(side + bytes(0 if m else 255 for m in row) + side for row in matrix)
    rows.extend([blank] * border)
    # One grey pixel per module, enlarged by pixel replication (NEAREST keeps edges
    # sharp), then stored as 1 bit per pixel; no dithering, values are only 0/255.
    image = Image.frombytes("L", (size, size), b"".join(rows))
    image = image.resize((size * scale, size * scale), Image.Resampling.NEAREST)
    image = image.convert("1", dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def svg_path(matrix: list[list[bool]], border: int) -> str:
    """Return SVG path data, one unit rectangle per horizontal run of dark modules; raises nothing."""
    parts: list[str] = []
    for y, row in enumerate(matrix, start=border):
        x, n = 0, len(row)
        while x < n:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < n and row[x]:
                x += 1
            run = x - start
            parts.append(f"M{start + border} {y}h{run}v1h-{run}z")
    return "".join(parts)


def render_svg(
    content: str,
    *,
    border: int = 4,
    error: str = "M",
    mask: int | None = DEFAULT_MASK,
) -> str:
    """Render content as a standalone SVG, 1 user unit per module; raises ValueError."""
    _check_border(border)
    matrix = qr_matrix(content, error, mask=mask)
    size = len(matrix) + 2 * border
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{svg_path(matrix, border)}"/></svg>'
    )
