"""The page stylesheet (inlined, allowed by its CSP hash) and the security headers of public pages."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from flask import Response, current_app, request

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


def add_security_headers(response: Response) -> Response:
    h = response.headers
    h["Content-Security-Policy"] = CSP
    h["X-Frame-Options"] = "DENY"
    h["Referrer-Policy"] = "no-referrer"
    h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    h["Cross-Origin-Resource-Policy"] = "same-origin"
    if request.is_secure or current_app.config["PUBLIC_BASE_URL"].startswith("https://"):
        h["Strict-Transport-Security"] = "max-age=31536000"
    return response
