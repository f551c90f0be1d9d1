"""The Chinese font the project renders with (posters, printable query records), from a pinned PyPI package.

requirements.txt pins `noto-cjk-sans-otc` (Noto Sans CJK, SIL OFL 1.1); the file is located through
importlib.resources, never through a system font directory, so a machine with Python only renders
Chinese the same as CI. The Simplified Chinese face is found in the collection by name. If the package
is somehow missing, callers get FontMissing: a 503 with a Chinese message, never a 500.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources

from backend.platform.errors import Unavailable

FONT_PACKAGE = "noto_cjk_sans_otc"
FONT_FILE = "NotoSansCJK-Regular.ttc"
FACE_NAME = "Noto Sans CJK SC"  # the Simplified Chinese face of the collection


class FontMissing(Unavailable):
    """The Chinese font package is not installed (a broken deployment)."""

    code = "font_missing"


@dataclass(frozen=True)
class Font:
    path: str
    index: int  # face number inside the .ttc collection (Pillow's index, fpdf2's collection_font_number)


_found: dict[str, Font] = {}
_lock = threading.Lock()


def _locate(package: str) -> Font:
    try:
        path = resources.files(package).joinpath(FONT_FILE)
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise FontMissing("服务器缺少中文字体，暂时无法生成该文件，请联系平台管理员"
                          "（按 requirements.txt 重新安装依赖）。")
    from fontTools.ttLib import TTCollection

    faces = TTCollection(str(path), lazy=True).fonts
    index = next((i for i, face in enumerate(faces) if face["name"].getDebugName(4) == FACE_NAME), 0)
    return Font(str(path), index)


def cjk_font() -> Font:
    """The font file and face to draw Chinese with; raises FontMissing (503)."""
    package = FONT_PACKAGE
    found = _found.get(package)
    if found is None:
        with _lock:
            found = _found[package] = _locate(package)
    return found
