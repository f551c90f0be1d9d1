"""Paginated list pages: ?page=N of PER_PAGE rows on screen, the whole filtered list (up to CSV_ROWS) as CSV."""

from __future__ import annotations

from flask import request

from backend.console.views.guard import CSV_ROWS, export, render, wants_csv

PER_PAGE = 50


def page_number() -> int:
    """The ?page asked for (1 when absent or not a number within range)."""
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 100_000 else 1


def window() -> tuple[int, int]:
    """(page, per_page) to ask a use case for: one screen, or everything for an export."""
    return (1, CSV_ROWS) if wants_csv() else (page_number(), PER_PAGE)


def pages(total: int, page: int, per_page: int) -> dict:
    last = max(1, -(-total // per_page))
    return {"page": page, "last": last, "prev": page - 1 if page > 1 else None,
            "next": page + 1 if page < last else None}


def paged_listing(title: str, filename: str, columns: list[tuple[str, str]], rows: list[dict], total: int,
                  page: int, per_page: int, status: int = 200, **context):
    """A paginated list page (the generic table with a pager) or, with ?format=csv, its export."""
    if wants_csv():
        return export(filename, columns, rows)
    return render("console/supervision/list.html", status, title=title, columns=columns, rows=rows, total=total,
                  pager=pages(total, page, per_page), **context)


def in_pages(items: list, page: int, per_page: int) -> list:
    """One page of a list a use case returns whole (the worklist)."""
    return items[(page - 1) * per_page: page * per_page]
