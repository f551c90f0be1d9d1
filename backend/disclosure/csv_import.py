"""CSV rows of 双公示 decisions: the header is the national codes (CF_WSH …) or their Chinese names."""

from __future__ import annotations

import csv
import io

from backend.disclosure.items import field_names
from backend.disclosure.vocab import PREFIX, DecisionKind, item_key
from backend.platform.errors import InvalidInput

EXTRAS = {"严重程度": "severity", "失信信息分类": "severity", "是否公示": "publish", "报送部门": "department",
          "severity": "severity", "publish": "publish", "department": "department"}
SEVERITY = {"轻微": "minor", "一般": "general", "严重": "serious"}


def _header(kind: str) -> dict[str, str]:
    prefix, names = PREFIX[DecisionKind(kind)], field_names(kind)
    by_name = {}
    for code, zh in names.items():
        key = item_key(prefix, code)
        by_name[key] = by_name[zh] = key
    return {**by_name, **EXTRAS}


def parse(kind: str, text: str) -> list[tuple[int, dict]]:
    """(line number, row) pairs; raises InvalidInput (unknown columns, malformed CSV)."""
    if "\x00" in text:
        raise InvalidInput("文件中含有 NUL 字符，不是有效的 CSV 文本。", code="bad_csv")
    known = _header(kind)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader, [])]
        unknown = [h for h in header if h not in known]
        if not header or unknown:
            raise InvalidInput(f"表头有误：{'不认识的列 ' + '、'.join(unknown) if unknown else '缺少表头'}"
                               "（列名用双公示数据项代码如 CF_WSH，或其中文名称）。", code="bad_header",
                               details={"errors": [{"row": 1, "field": h, "message": "不认识的列"} for h in unknown]})
        fields = [known[h] for h in header]
        rows = []
        for cells in reader:
            if any(c.strip() for c in cells):
                row = {f: c.strip() for f, c in zip(fields, cells, strict=False) if c.strip()}
                if "severity" in row:
                    row["severity"] = SEVERITY.get(row["severity"], row["severity"])
                if "publish" in row:
                    row["publish"] = row["publish"] not in ("否", "false", "0", "暂缓")
                rows.append((reader.line_num, row))
        return rows
    except csv.Error:
        raise InvalidInput(f"第 {reader.line_num} 行不是有效的 CSV（引号不成对或单元格过长）。",
                           code="bad_csv") from None
