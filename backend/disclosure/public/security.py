"""The portal's stylesheet (inlined, allowed by its CSP hash) and security headers: no script, no third-party
asset, the same policy as the merchant pages (platform.web.page_policy). The stylesheet is the merchant pages' own
(one look for every public page) followed by the few rules only the portal needs (portal.css)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from backend.platform.web.page_policy import PagePolicy

HERE = Path(__file__).parent
PAGE_CSS = (resources.files("backend.merchants.public") / "page.css").read_text(encoding="utf-8")
CSS = PAGE_CSS.rstrip("\n") + "\n" + (HERE / "portal.css").read_text(encoding="utf-8")
POLICY = PagePolicy("portal", CSS, HERE / "templates")
CSS_HASH, CSP, TEMPLATE_VERSION = POLICY.css_hash, POLICY.csp, POLICY.template_version
security_headers, add_security_headers = POLICY.headers, POLICY.add_headers
