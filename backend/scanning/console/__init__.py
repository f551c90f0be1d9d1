"""GET /scan: the staff scan console (server-rendered page, static JS calling /api/scan/v1)."""

from __future__ import annotations

from flask import Blueprint, render_template

console = Blueprint("scan_console", __name__, template_folder="templates", static_folder="static",
                    static_url_path="/scan/static")

# No inline script or style anywhere on the page, so the policy can forbid both.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@console.get("/scan")
def scan_page():
    """The console page; the device token stays in the tab (sessionStorage), never in the page."""
    return render_template("scan/console.html")


@console.after_request
def security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Permissions-Policy"] = "camera=(), geolocation=(), microphone=()"
    return response
