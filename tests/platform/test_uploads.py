"""Evidence uploads: the bytes decide the type, sizes and names are checked, and a refused file stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.platform import uploads
from backend.platform.errors import InvalidInput, NotFound
from backend.platform.extensions import db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(uploads.Upload))


def test_a_pdf_is_kept_with_its_digest_and_clean_name(app):
    kept = uploads.store(PDF, " 缴款凭证.pdf ", owner_kind="repair_application", owner_ref=None, actor="mp:1")
    uploads.attach([kept], "XF1")
    assert kept.content_type == "application/pdf" and kept.filename == "缴款凭证.pdf"
    assert uploads.get(kept.ref, owner_kind="repair_application", owner_ref="XF1").data == PDF
    with pytest.raises(NotFound):  # another item's number does not reach it
        uploads.get(kept.ref, owner_kind="repair_application", owner_ref="XF2")


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"MZ\x90\x00 an exe named like a pdf", "proof.pdf", "upload_type"),
    (b"<html><script>alert(1)</script>", "proof.png", "upload_type"),
    (PNG, "../../etc/passwd", "upload_name"),
    (PNG, "C:\\evidence\\a.png", "upload_name"),
    (PNG, "a\x00.png", "upload_name"),
    (PNG, "", "upload_name"),
    (b"", "a.pdf", "upload_empty"),
])
def test_wrong_types_paths_and_empty_files_are_refused(app, data, name, code):
    with pytest.raises(InvalidInput) as refused:
        uploads.store(data, name, owner_kind="x", owner_ref=None, actor="t")
    assert refused.value.code == code
    assert count() == 0


def test_an_oversize_file_is_refused(app):
    app.config["UPLOAD_MAX_BYTES"] = 1024
    with pytest.raises(InvalidInput) as refused:
        uploads.store(PDF + b"0" * 2000, "big.pdf", owner_kind="x", owner_ref=None, actor="t")
    assert refused.value.code == "upload_too_large" and "1 KiB" in refused.value.message
    assert count() == 0
