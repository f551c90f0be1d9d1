"""What each operation needs, written into its summary in /openapi.json (and so in /docs).

An apispec plugin: after flask-smorest and the marshmallow plugin have built an operation, it appends
"needs: …" to the summary: who may call it (from the auth decorator), the required body fields, the
required query parameters and headers. Written from the code itself, it cannot drift from it.
"""

from __future__ import annotations

from apispec import BasePlugin

NEEDS_KEY = "x-needs"  # set by platform.web.auth.document_security, removed here
IDENTIFIERS = ("uscc", "resident_id", "handle")  # subject references: exactly one of them


class NeedsPlugin(BasePlugin):
    def init_spec(self, spec) -> None:
        self.spec = spec

    def _schema(self, node: dict | None) -> dict:
        if not node:
            return {}
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            return self.spec.components.schemas.get(ref.rsplit("/", 1)[1], {})
        return node

    def _needs(self, operation: dict) -> list[str]:
        needs = [operation.pop(NEEDS_KEY, None) or "no authentication"]
        content = (operation.get("requestBody") or {}).get("content", {})
        for mimetype, media in content.items():
            if mimetype == "application/json":
                required = self._schema(media.get("schema")).get("required", [])
                if required:
                    needs.append("body " + ", ".join(required))
            else:
                needs.append(f"a {mimetype} body")
        params = operation.get("parameters", [])
        queried = [p["name"] for p in params if p.get("in") == "query"]
        required = [p["name"] for p in params if p.get("in") == "query" and p.get("required")]
        if required:
            needs.append("query " + ", ".join(required))
        refs = [name for name in IDENTIFIERS if name in queried]
        if len(refs) > 1:
            needs.append("one of " + " / ".join(refs))
        headers = [p["name"] for p in params if p.get("in") == "header" and p.get("required")]
        if headers:
            needs.append("header " + ", ".join(headers))
        return needs

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for operation in (operations or {}).values():
            if not isinstance(operation, dict):
                continue
            summary = operation.get("summary") or ""
            operation["summary"] = f"{summary.rstrip('.')} — needs: {'; '.join(self._needs(operation))}"
