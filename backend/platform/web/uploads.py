"""Files in a request (multipart/form-data, as wx.uploadFile and HTML forms send them) and files sent back.

Views that take evidence declare `@accepts("multipart/form-data")`, call `files_in_request()` and hand the
bytes to a use case that stores them with backend.platform.uploads.store inside its transaction."""

from __future__ import annotations

import io

from flask import Response, current_app, request, send_file

from backend.platform.errors import InvalidInput
from backend.platform.uploads import Upload

FORM_OVERHEAD = 64 * 1024  # the other form fields and the multipart framing


def files_in_request(field: str = "files", *, max_files: int | None = None) -> list[tuple[bytes, str | None]]:
    """The files of `field` as (bytes, client file name). Raises InvalidInput (upload_count) past the limit;
    a body larger than the limit allows is refused by werkzeug (413) before it is read."""
    max_files = max_files or current_app.config["UPLOAD_MAX_FILES"]
    request.max_content_length = max_files * current_app.config["UPLOAD_MAX_BYTES"] + FORM_OVERHEAD
    given = [f for f in request.files.getlist(field) if f.filename or f.content_length]
    if len(given) > max_files:
        raise InvalidInput(f"一次最多上传 {max_files} 个文件。", code="upload_count")
    return [(f.read(), f.filename) for f in given]


def form_fields() -> dict[str, str]:
    """The form's text fields (the rest of a multipart request), for the view's schema to validate."""
    return {key: request.form[key] for key in request.form}


def send_upload(upload: Upload) -> Response:
    """The file as a download with its sanitised name (RFC 6266), never inline, never cached by others."""
    response = send_file(io.BytesIO(upload.data), mimetype=upload.content_type, as_attachment=True,
                         download_name=upload.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
