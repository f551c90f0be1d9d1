"""The supervision pages' stylesheet (inlined, allowed by its CSP hash) and security headers.

The pages extend the portal's base template, so they carry the portal's stylesheet — the merchant pages' own plus
the portal's few rules, read from those packages' files as the portal reads them — then the few rules only these
pages need (supervision.css). No script, no third-party asset: the portal's policy (platform.web.page_policy)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from backend.platform.web.page_policy import PagePolicy

HERE = Path(__file__).parent
CSS = "".join(part.rstrip("\n") + "\n" for part in (
    (resources.files("backend.merchants.public") / "page.css").read_text(encoding="utf-8"),
    (resources.files("backend.disclosure.public") / "portal.css").read_text(encoding="utf-8"),
    (HERE / "supervision.css").read_text(encoding="utf-8")))
POLICY = PagePolicy("supervision_pages", CSS, HERE / "templates")
CSS_HASH, CSP, TEMPLATE_VERSION = POLICY.css_hash, POLICY.csp, POLICY.template_version
security_headers, add_security_headers = POLICY.headers, POLICY.add_headers
