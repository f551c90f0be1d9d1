"""Uploaded evidence (repair proof, objection evidence, declarations): checked, stored in the database, never public.

A file is kept only when its bytes are one of the allowed types (PDF, PNG, JPEG — told by their signature, not
by the name or the client's Content-Type), within UPLOAD_MAX_BYTES, and its name is a plain file name (no
folder, no "..", no control characters). It is stored in the database row itself, inside the caller's use case,
so a failed application leaves no orphan file and every worker sees it; it is reached only through the feature
that owns it (`owner_kind`, `owner_ref`), with that feature's ownership checks. The name shown back is the
sanitised one; downloads go out as attachments (never rendered inline).
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

from flask import current_app
from sqlalchemy import Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, deferred, mapped_column

from backend.platform.db import Base, CreatedAt, db
from backend.platform.errors import InvalidInput, NotFound

SIGNATURES = {  # the types evidence comes as, told by their first bytes
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
TYPE_ZH = "PDF、PNG 或 JPEG"


class Upload(CreatedAt, Base):
    """One uploaded file, owned by one feature's item (e.g. owner_kind "repair_application", owner_ref its number)."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True)  # opaque, not guessable
    owner_kind: Mapped[str] = mapped_column(String(40), index=True)
    owner_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(64))  # the actor
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))


def size_zh(n: int) -> str:
    return f"{n / 1048576:g} MiB" if n >= 1048576 else f"{n / 1024:g} KiB"


def clean_filename(name: str | None) -> str:
    """The name as stored and shown. Raises InvalidInput (upload_name) for a path, "..", control characters or
    an empty or over-long name."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise InvalidInput("请给出文件名。", code="upload_name")
    if "/" in name or "\\" in name or ".." in name or any(unicodedata.category(c)[0] == "C" for c in name):
        raise InvalidInput("文件名不能含有路径（/ \\ ..）或控制字符，请只写文件名本身。", code="upload_name")
    if len(name) > 120:
        raise InvalidInput("文件名不能超过 120 个字符。", code="upload_name")
    return name


def sniff_type(data: bytes) -> str:
    """The content type the bytes really are. Raises InvalidInput (upload_type) for anything but PDF/PNG/JPEG."""
    for content_type, prefixes in SIGNATURES.items():
        if data.startswith(prefixes):
            return content_type
    raise InvalidInput(f"文件类型不支持：请上传 {TYPE_ZH} 文件。", code="upload_type")


def store(data: bytes, filename: str | None, *, owner_kind: str, owner_ref: str | None, actor: str) -> Upload:
    """Check and keep one file in the caller's transaction (never commits). Raises InvalidInput (upload_empty,
    upload_too_large, upload_type, upload_name)."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if not data:
        raise InvalidInput("上传的文件是空的。", code="upload_empty")
    if len(data) > limit:
        raise InvalidInput(f"文件过大：每个文件不超过 {size_zh(limit)}。", code="upload_too_large",
                           details={"max_bytes": limit, "bytes": len(data)})
    name = clean_filename(filename)
    upload = Upload(ref="UP" + secrets.token_hex(11), owner_kind=owner_kind, owner_ref=owner_ref, uploaded_by=actor,
                    filename=name, content_type=sniff_type(data), size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(), data=data)
    db.session.add(upload)
    db.session.flush()
    return upload


def attach(uploads: list[Upload], owner_ref: str) -> None:
    """Name the item the files belong to once it has its number (in the caller's transaction)."""
    for upload in uploads:
        upload.owner_ref = owner_ref


def of_owner(owner_kind: str, owner_ref: str) -> list[Upload]:
    return list(db.session.scalars(select(Upload).where(Upload.owner_kind == owner_kind, Upload.owner_ref == owner_ref)
                                   .order_by(Upload.id)))


def get(ref: str, *, owner_kind: str, owner_ref: str) -> Upload:
    """The file `ref` of that owner. Raises NotFound (upload_not_found) otherwise: whoever asks has already
    been checked against the owner by its feature, so a file of another item stays unseen."""
    found = db.session.scalar(select(Upload).where(Upload.ref == ref, Upload.owner_kind == owner_kind,
                                                   Upload.owner_ref == owner_ref))
    if found is None:
        raise NotFound("没有这个附件。", code="upload_not_found")
    return found


def describe(upload: Upload) -> dict:
    return {"ref": upload.ref, "filename": upload.filename, "content_type": upload.content_type,
            "size": upload.size, "sha256": upload.sha256, "uploaded_at": upload.created_at}
