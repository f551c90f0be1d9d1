"""The portal's stylesheet (inlined, allowed by its CSP hash) and security headers for the supervision pages.

The pages extend the portal's base template, so they carry the portal's stylesheet — the merchant pages' own plus
the portal's few rules, read from those packages' files as the portal reads them — then the few rules only these
pages need (supervision.css). No script, no third-party asset: the portal's policy."""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from pathlib import Path

from flask import Response, current_app

HERE = Path(__file__).parent
CSS = "".join(part.rstrip("\n") + "\n" for part in (
    (resources.files("backend.merchants.public") / "page.css").read_text(encoding="utf-8"),
    (resources.files("backend.disclosure.public") / "portal.css").read_text(encoding="utf-8"),
    (HERE / "supervision.css").read_text(encoding="utf-8")))
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
TEMPLATE_VERSION = hashlib.sha256(b"".join(p.read_bytes() for p in sorted((HERE / "templates").rglob("*.html")))
                                  + CSS.encode()).hexdigest()[:12]
CSP = (f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def security_headers() -> list[tuple[str, str]]:
    found = current_app.extensions.get("supervision_page_headers")
    if found is None:
        found = [("Content-Security-Policy", CSP), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"),
                 ("X-Content-Type-Options", "nosniff"),
                 ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
                 ("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Resource-Policy", "same-origin")]
        if current_app.config["PUBLIC_BASE_URL"].startswith("https://"):
            found.append(("Strict-Transport-Security", "max-age=31536000"))
        current_app.extensions["supervision_page_headers"] = found
    return found


def add_security_headers(response: Response) -> Response:
    if "Content-Security-Policy" not in response.headers:
        response.headers.extend(security_headers())
    return response
