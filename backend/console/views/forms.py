"""Forms of the console, parsed by the API's own schemas (the same validation, the same Chinese messages)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError

from backend.console.views.guard import form_data


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
