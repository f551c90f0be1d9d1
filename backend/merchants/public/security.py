"""The 一码查信 pages' stylesheet (inlined, allowed by its CSP hash) and security headers: no script at all;
photos may come from any HTTPS host (platform.web.page_policy)."""

from __future__ import annotations

from pathlib import Path

from backend.platform.web.page_policy import PagePolicy

HERE = Path(__file__).parent
CSS = (HERE / "page.css").read_text(encoding="utf-8")
POLICY = PagePolicy("merchant_pages", CSS, HERE / "templates", img_src="'self' https: data:")
CSS_HASH, CSP, TEMPLATE_VERSION = POLICY.css_hash, POLICY.csp, POLICY.template_version
security_headers, add_security_headers = POLICY.headers, POLICY.add_headers
