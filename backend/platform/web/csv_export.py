"""CSV downloads of list pages: UTF-8 with a BOM (Excel opens it as UTF-8) or GBK on request, and every cell that
a spreadsheet would run as a formula neutralised (OWASP "CSV injection").

The one helper for it: the console's exports and any API that answers text/csv go through csv_response.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and WPS.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ENCODINGS = {"utf-8": ("utf-8-sig", "utf-8"), "gbk": ("gbk", "gbk")}


def neutralise(value) -> str:
    """The cell as text; one starting a formula gets a leading apostrophe, so it is shown, never run."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence], encoding: str = "utf-8") -> bytes:
    """The table as CSV bytes: utf-8 (with BOM) or gbk (characters GBK lacks become '?')."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    codec = ENCODINGS.get(encoding, ENCODINGS["utf-8"])[0]
    return out.getvalue().encode(codec, errors="replace")


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], encoding: str = "utf-8") -> Response:
    """A CSV attachment named `filename` (ASCII), never cached."""
    charset = ENCODINGS.get(encoding, ENCODINGS["utf-8"])[1]
    return Response(csv_bytes(header, rows, encoding), content_type=f"text/csv; charset={charset}",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
