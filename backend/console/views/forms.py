"""Forms of the console, parsed by the API's own schemas (the same validation, the same Chinese messages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from backend.console.views.guard import form_data
from backend.platform.errors import DomainError


def parse(schema: Schema, data: dict | None = None) -> tuple[dict | None, dict]:
    """(loaded, {}) or (None, {field: messages}) for the submitted form."""
    try:
        return schema.load(form_data() if data is None else data), {}
    except ValidationError as e:
        return None, e.messages if isinstance(e.messages, dict) else {"_": e.messages}


def field(name: str, label: str, type: str = "text", *, required: bool = False, options=None, help: str = "",
          value: str = "") -> dict:
    return {"name": name, "label": label, "type": type, "required": required, "options": options or [],
            "help": help, "value": value}


def labels_of(fields: list[dict]) -> dict:
    return {f["name"]: f["label"] for f in fields}


def attempt(action: Callable[[], Any]) -> tuple[Any, dict]:
    """(result, {}) or (None, {field: [message]}) when the use case refused the input (409, 410, 422: shown on
    the form); a refusal (403) or a missing object (404) propagates to the error page, and so does every error
    when the client asked for JSON (it gets the one JSON envelope)."""
    try:
        return action(), {}
    except DomainError as e:
        if e.status in (401, 403, 404) or request.accept_mimetypes.best == "application/json":
            raise
        field = e.details.get("field", "_") if isinstance(e.details, dict) else "_"
        return None, {field: [e.message]}
