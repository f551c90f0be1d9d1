"""The one CSV export helper: BOM or GBK, and cells a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import csv
import io

from backend.platform.web.csv_export import csv_bytes, neutralise


def test_formula_cells_are_prefixed_and_others_untouched():
    for cell in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"):
        assert neutralise(cell) == "'" + cell
    assert [neutralise(v) for v in ("陈记", "a=b", 12, None, -5)] == ["陈记", "a=b", "12", "", "'-5"]


def test_utf8_with_bom_and_gbk():
    data = csv_bytes(["名称", "备注"], [["马宫蚝仔档", "=HYPERLINK(\"http://x\")"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["名称", "备注"], ["马宫蚝仔档", "'=HYPERLINK(\"http://x\")"]]
    gbk = csv_bytes(["名称"], [["马宫蚝仔档"], ["😀"]], "gbk")
    assert gbk.decode("gbk").splitlines() == ["名称", "马宫蚝仔档", "?"]
