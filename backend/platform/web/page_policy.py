"""The policy of a family of public HTML pages (the 一码查信 merchant pages, the 信用汕尾 portal, the 双随机 task
pages): one stylesheet inlined and allowed by its CSP hash, no script, no third-party asset, and the same security
headers on every page and error page. ETags carry the template version, which changes whenever a template or the
stylesheet does, so old renderings stop matching."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from flask import Response, current_app

BASE_HEADERS = (("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"),
                ("X-Content-Type-Options", "nosniff"),
                ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
                ("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Resource-Policy", "same-origin"))


class PagePolicy:
    """css: the whole stylesheet the pages inline; templates: their folder; img_src: where images may come from."""

    def __init__(self, name: str, css: str, templates: Path, *, img_src: str = "'self' data:") -> None:
        self.name, self.css = name, css
        self.css_hash = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        self.template_version = hashlib.sha256(
            b"".join(p.read_bytes() for p in sorted(templates.rglob("*.html"))) + css.encode()).hexdigest()[:12]
        self.csp = (f"default-src 'none'; style-src 'sha256-{self.css_hash}'; img-src {img_src}; "
                    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

    def headers(self) -> list[tuple[str, str]]:
        """The headers every page carries, computed once per app (they depend only on its config)."""
        key = f"page_policy.{self.name}"
        found = current_app.extensions.get(key)
        if found is None:
            found = [("Content-Security-Policy", self.csp), *BASE_HEADERS]
            if current_app.config["PUBLIC_BASE_URL"].startswith("https://"):
                found.append(("Strict-Transport-Security", "max-age=31536000"))
            current_app.extensions[key] = found
        return found

    def add_headers(self, response: Response) -> Response:
        """after_request for the pages' blueprint: error pages get the headers too."""
        if "Content-Security-Policy" not in response.headers:
            response.headers.extend(self.headers())
        return response
