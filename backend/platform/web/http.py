"""Small helpers shared by the blueprints: accepted body types, pagination envelopes, poster downloads."""

from __future__ import annotations

from flask import Response

from backend.models import Merchant
from backend.merchants import posters

POSTER_TYPES = {"png": (posters.poster_png, "image/png"), "pdf": (posters.poster_pdf, "application/pdf")}


def accepts(*mimetypes: str):
    """Declare the request body types a view takes (default: JSON only)."""

    def decorator(view):
        view.accepts = mimetypes
        return view

    return decorator


def page_of(items: list, total: int, page: int, per_page: int) -> dict:
    """The list envelope every paginated endpoint returns."""
    return {"items": items, "meta": {"page": page, "per_page": per_page, "total": total}}


def poster_download(merchant: Merchant, fmt: str) -> Response:
    """The merchant's A6 poster as a download; raises PosterFontMissing or ValueError (URL too long)."""
    render, mimetype = POSTER_TYPES[fmt]
    headers = {"Content-Disposition": f'attachment; filename="poster-{merchant.stall_no}.{fmt}"',
               "Cache-Control": "no-store"}
    return Response(render(merchant), mimetype=mimetype, headers=headers)  # smorest passes a Response untouched
