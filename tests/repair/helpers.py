"""Repair test helpers: proof files, forms, department calls."""

from __future__ import annotations

import io

from tests.credit.helpers import dept

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def form(record_id: int, *files: tuple[bytes, str], **extra) -> dict:
    return {"record_id": str(record_id), "statement": "已缴纳罚款并完成整改", "sign_commitment": "true",
            "files": [(io.BytesIO(data), name) for data, name in files], **extra}


def mp_apply(mp, record_id: int, *files, path: str = "/me/repairs", **extra):
    return mp.post(path, data=form(record_id, *files, **extra), content_type="multipart/form-data")


def act(client, ref: str, action: str, body: dict | None = None, headers: dict | None = None):
    return client.post(f"/api/dept/v1/repairs/{ref}/{action}", json=body or {}, headers=headers or dept())
