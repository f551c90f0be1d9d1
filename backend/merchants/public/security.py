"""The page stylesheet (inlined, allowed by its CSP hash) and the security headers of public pages."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from flask import Response, current_app

HERE = Path(__file__).parent
CSS = (HERE / "page.css").read_text(encoding="utf-8")
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
# Changes whenever a template or the stylesheet changes, so ETags of old renderings stop matching.
TEMPLATE_VERSION = hashlib.sha256(b"".join(p.read_bytes() for p in sorted((HERE / "templates").rglob("*.html")))
                                  + CSS.encode()).hexdigest()[:12]

# No script at all; the one inline <style> is allowed by hash; photos may come from any HTTPS host.
CSP = ("default-src 'none'; "
       f"style-src 'sha256-{CSS_HASH}'; img-src 'self' https: data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def security_headers() -> list[tuple[str, str]]:
    """The headers every public page carries, computed once per app (they only depend on config)."""
    found = current_app.extensions.get("public_page_headers")
    if found is None:
        found = [("Content-Security-Policy", CSP), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"),
                 ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
                 ("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Resource-Policy", "same-origin")]
        if current_app.config["PUBLIC_BASE_URL"].startswith("https://"):
            found.append(("Strict-Transport-Security", "max-age=31536000"))
        current_app.extensions["public_page_headers"] = found
    return found


def add_security_headers(response: Response) -> Response:
    """after_request for the pages blueprint: error pages get the headers too."""
    if "Content-Security-Policy" not in response.headers:
        response.headers.extend(security_headers())
    return response
