"""GET /scan: the staff scan console (server-rendered page, static JS calling /api/scan/v1).

Green, amber or red at a glance (scanning.verdicts), a countdown that clears the result, optional beeps,
quotas by period, receipts as text, today's grants on this device, and camera scanning with jsQR
(vendored from npm, served from here) besides the keyboard-wedge field. The device token is kept in
the browser's localStorage: entered once per device, forgotten with one tap.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, render_template

from backend.scanning.verdicts import console_texts

console = Blueprint("scan_console", __name__, template_folder="templates", static_folder="static",
                    static_url_path="/scan/static")

# No inline script or style anywhere on the page, so the policy can forbid both; the camera stream is
# shown through a MediaStream (no URL), decoded by the project's own copy of jsQR.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@console.get("/scan")
def scan_page():
    """The console page; the device token stays in this browser (localStorage), never in the page."""
    settings = {"clear_seconds": current_app.config["SCAN_CONSOLE_CLEAR_SECONDS"], **console_texts()}
    return render_template("scan/console.html", settings=json.dumps(settings, ensure_ascii=False))


@console.after_request
def security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Permissions-Policy"] = "camera=(self), geolocation=(), microphone=()"
    return response
