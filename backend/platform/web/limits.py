"""Rate limiting: Flask-Limiter checks only the views that carry a limit."""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_qualified_name

_unlimited: dict[str | None, bool] = {}


def view_without_limits(limiter) -> bool:
    """Skip Flask-Limiter's per-request work (~0.15 ms) for views that carry no limit of their own.

    There are no default or application-wide limits, so only views decorated with limiter.limit or
    shared_limit (the mini-program's login and binding) have anything to check. Answered once per endpoint;
    if Flask-Limiter stops marking decorated views, nothing is skipped.
    """
    endpoint = request.endpoint
    found = _unlimited.get(endpoint)
    if found is None:
        view = current_app.view_functions.get(endpoint or "")
        marked = getattr(limiter, "_marked_for_limiting", None)
        found = _unlimited[endpoint] = (view is not None and marked is not None
                                        and get_qualified_name(view) not in marked
                                        and not limiter.limit_manager.has_hints(endpoint or ""))
    return found
