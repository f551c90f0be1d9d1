"""/docs: Swagger UI served from the project's own (vendored, pinned) files, reading /openapi.json; every
operation's summary says what it needs; vendored files are exactly what the pinned npm packages ship."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, launch, needs_chromium
from tests.scanning.servers import thread_server

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "post", "put", "patch", "delete")


def operations(client):
    spec = client.get("/openapi.json").get_json()
    return {(m.upper(), path): op for path, ops in spec["paths"].items() for m, op in ops.items() if m in METHODS}


def test_every_summary_says_what_the_operation_needs(client):
    ops = operations(client)
    assert ops and all(" — needs: " in op["summary"] for op in ops.values())
    reissue = ops[("POST", "/api/dept/v1/merchants/{merchant}/reissue-code")]["summary"]
    assert "operator token, role market" in reissue and "body reason" in reissue
    joint = ops[("GET", "/api/dept/v1/joint-measures")]["summary"]
    assert "query purpose" in joint and "one of uscc / resident_id / handle" in joint
    assert "header Idempotency-Key" in ops[("POST", "/api/scan/v1/redemptions")]["summary"]
    assert "bound to a person" in ops[("GET", "/api/mp/v1/me/code")]["summary"]
    assert ops[("GET", "/healthz")]["summary"].endswith("needs: no authentication")
    assert not [op for op in ops.values() if "x-needs" in op]


def test_vendored_files_are_the_pinned_packages_files():
    manifests = sorted(ROOT.glob("backend/**/vendor/*/SOURCE.json"))
    assert {m.parent.name for m in manifests} == {"swagger-ui-dist-5.35.0", "jsqr-1.4.0"}
    for manifest in manifests:
        source = json.loads(manifest.read_text())
        assert manifest.parent.name == f"{source['package']}-{source['version']}"
        assert json.loads((manifest.parent / "package.json").read_text())["version"] == source["version"]
        shipped = {p.name for p in manifest.parent.iterdir()} - {"SOURCE.json"}
        assert shipped == set(source["sha256"]), manifest
        for name, digest in source["sha256"].items():
            assert hashlib.sha256((manifest.parent / name).read_bytes()).hexdigest() == digest, name


def test_docs_page_has_a_strict_policy_and_no_inline_script(client):
    resp = client.get("/docs")
    csp = resp.headers["Content-Security-Policy"]
    assert resp.status_code == 200 and "script-src 'self';" in csp and "unsafe-eval" not in csp
    assert "<script>" not in resp.get_data(as_text=True) and "http" not in resp.get_data(as_text=True)


@needs_chromium[0]
@needs_chromium[1]
def test_docs_render_in_a_real_browser_from_local_files_only(app):
    sync_api = pytest.importorskip("playwright.sync_api")
    outside, violations = [], []
    with thread_server(app) as base, sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:")) else None)
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(f"{base}/docs")
            reissue = page.locator(".opblock-summary-description", has_text="body reason").first
            sync_api.expect(reissue).to_be_visible(timeout=15000)
            sync_api.expect(page.locator(".opblock")).not_to_have_count(0)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "api-docs-1280.png"))
        finally:
            browser.close()
    assert outside == [] and violations == []
