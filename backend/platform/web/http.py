"""HTTP helpers shared by the blueprints: accepted body types, strong ETags and conditional GETs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

from flask import Response, current_app, request


def accepts(*mimetypes: str):
    """Declare the request body types a view takes (default: JSON only)."""

    def decorator(view):
        view.accepts = mimetypes
        return view

    return decorator


def etag_of(data, salt: str = "") -> str:
    """A strong validator: the hash of exactly what is shown (plus the representation's salt)."""
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str) + salt
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def conditional_get(etag: str, max_age: int, render: Callable[[], object], *,
                    public: bool = True, headers: Iterable[tuple[str, str]] = ()):
    """304 when the client already holds this version, else render() with the caching headers.

    render() returns what a view may return: a body (JSON-able or bytes) or a Response.
    """
    cache_headers = [("ETag", f'"{etag}"'),
                     ("Cache-Control", f"{'public' if public else 'private'}, max-age={max_age}"), *headers]
    if request.if_none_match.contains(etag):
        return current_app.response_class(status=304, headers=cache_headers)
    body = render()
    if isinstance(body, Response):
        body.headers.extend(cache_headers)
        return body
    return body, 200, cache_headers
