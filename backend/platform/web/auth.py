"""Bearer authentication for every kind of caller: one decorator factory, one security scheme each.

A feature turns its own `authenticate(token) -> principal` into a view decorator with
principal_required; the decorator authenticates before the view parses anything, keeps the
principal on flask.g, runs the feature's check (a role, a binding) and documents the scheme in
/openapi.json, so a view never needs a separate blp.doc(security=…).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_limiter.util import get_remote_address

from backend.platform.errors import Unauthorized

OPERATOR_TOKEN = "operatorToken"
DEVICE_TOKEN = "deviceToken"
MP_SESSION = "mpSession"
SECURITY_SCHEMES = {
    OPERATOR_TOKEN: {"type": "http", "scheme": "bearer", "description": "Operator token (op_…)"},
    DEVICE_TOKEN: {"type": "http", "scheme": "bearer", "description": "Scanner device token (dev_…)"},
    MP_SESSION: {"type": "http", "scheme": "bearer", "description": "Mini-program session token"},
}

P = TypeVar("P")


def bearer_token() -> str:
    """The token from `Authorization: Bearer …`; raises Unauthorized."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("缺少凭证：请在请求头中发送 Authorization: Bearer <凭证>。")
    return token.strip()


def rate_limit_key() -> str:
    """Who a rate limit counts: the bearer credential when present (per client), else the remote address."""
    auth = request.headers.get("Authorization", "")
    return auth[-24:] if auth.startswith("Bearer ") else get_remote_address()


SCHEME_NEEDS = {OPERATOR_TOKEN: "operator token", DEVICE_TOKEN: "scanner device token",
                MP_SESSION: "mini-program session"}


def document_security(view: Callable, scheme: str, needs: str | None = None) -> None:
    """Record the security requirement where flask-smorest's blp.doc would (view._apidoc), and in words
    who may call (platform.web.docs writes it into the operation's summary)."""
    apidoc: dict[str, Any] = dict(getattr(view, "_apidoc", {}))
    manual = dict(apidoc.get("manual_doc", {}))
    manual["security"] = [{scheme: []}]
    manual["x-needs"] = needs or SCHEME_NEEDS[scheme]
    apidoc["manual_doc"] = manual
    view._apidoc = apidoc  # type: ignore[attr-defined]


def remember_principal(attr: str, principal: Any) -> None:
    """Keep the request's authenticated caller as g.<attr> and as g.principal (what a refusal is audited with)."""
    setattr(g, attr, principal)
    g.principal = principal


def forget_principal() -> None:
    """Before each request: no caller yet (tests share one app context, hence one g, across requests)."""
    g.pop("principal", None)


def principal_required(authenticate: Callable[[str], P], attr: str, scheme: str,
                       check: Callable[[P], None] | None = None, needs: str | None = None) -> Callable:
    """A view decorator: g.<attr> = g.principal = authenticate(bearer token), then check(principal).

    authenticate raises Unauthorized; check raises Forbidden (or another domain error). `needs` says in
    words who may call (the API docs show it).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = authenticate(bearer_token())
            remember_principal(attr, principal)  # before the check: a refusal is audited with who was refused
            if check is not None:
                check(principal)
            return view(*args, **kwargs)

        document_security(wrapper, scheme, needs)
        return wrapper

    return decorator


def principal(attr: str) -> Any:
    """The principal a principal_required decorator put on flask.g for this request."""
    return g.get(attr)
