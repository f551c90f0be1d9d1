"""Small helpers shared by the blueprints: accepted body types and pagination envelopes."""

from __future__ import annotations


def accepts(*mimetypes: str):
    """Declare the request body types a view takes (default: JSON only)."""

    def decorator(view):
        view.accepts = mimetypes
        return view

    return decorator


def page_of(items: list, total: int, page: int, per_page: int) -> dict:
    """The list envelope every paginated endpoint returns."""
    return {"items": items, "meta": {"page": page, "per_page": per_page, "total": total}}
