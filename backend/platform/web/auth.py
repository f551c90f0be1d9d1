"""Bearer authentication for operators; the role check happens before the view runs."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from backend.operators import services as operators
from backend.platform.errors import Forbidden, Unauthorized


def bearer_token() -> str:
    """The token from `Authorization: Bearer …`; raises Unauthorized."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send Authorization: Bearer <token>")
    return token.strip()


def operator_actor() -> str:
    """How the audit log names the current operator."""
    return f"operator:{g.operator.id}"


def require_operator(*roles: str):
    """Authenticate the operator and require one of `roles`; raises Unauthorized or Forbidden."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            op = operators.authenticate(bearer_token())
            if op.role not in roles:
                raise Forbidden(f"this endpoint needs role {' or '.join(roles)}", code="wrong_role")
            g.operator = op
            return view(*args, **kwargs)

        return wrapper

    return decorator
