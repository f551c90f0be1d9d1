"""专项信用报告: requested in the mini-program (two free a year), at a window and by a department; the PDF holds
the summary (pdftotext), its QR code opens the verification page (zxing-cpp on a pdftoppm render), the signed
summary verifies with joserfc against the JWKS, and an altered report or another number is told apart."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser import ARTIFACTS
from tests.credit.helpers import dept
from tests.disclosure.helpers import penalty
from tests.factories import bearer, operator_token, resident_id, uscc_code

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) not installed")
BODY = {"period_from": "2026-01-01", "period_to": "2026-11-30", "purpose": "招投标",
        "domains": ["admin_penalty", "admin_enforcement", "serious_dishonesty", "criminal"]}


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                              text=True).stdout


def qr_texts(data: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.pdf"
        path.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(path), str(Path(tmp) / "p")],
                       check=True)
        page = next(Path(tmp).glob("p*.png"))
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(page, ARTIFACTS / "report-cover.png")
        image = Image.open(page)
        return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.fixture
def resident(mp):
    rid = resident_id(15)
    assert mp.bind(rid, name="陈晓明").status_code == 200
    return rid


@needs_poppler
def test_a_resident_report_pdf_qr_and_signed_summary(client, mp, resident):
    report = mp.post("/me/reports", json=BODY)
    assert report.status_code == 201, report.get_json()
    r = report.get_json()
    assert r["report_no"].startswith("SW2026") and len(r["report_no"]) == 18
    pdf = mp.get(f"/me/reports/{r['report_no']}.pdf")
    assert pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "经查询，陈晓明自2026年01月01日至2026年11月30日在所选领域未发现违法违规记录" in text.replace(" ", "").replace("\n", "")
    assert r["report_no"] in text and "行政强制" in text and "暂未归集" in text
    [url] = qr_texts(pdf.data)
    assert url == r["verify_url"]
    parsed = urlparse(url)
    page = client.get(parsed.path + "?" + parsed.query)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "报告真实有效" in html and "报告生成后信息可能已变化" in html
    assert "陈晓明" not in html and resident not in html  # the verification page is public: masked only

    from joserfc import jws
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    verified = jws.deserialize_compact(r["token"], keys, algorithms=["EdDSA"])
    import json

    claims = json.loads(verified.payload)
    assert verified.protected["typ"] == "sw-credit-report+jwt"
    assert claims["rno"] == r["report_no"] and claims["period"] == ["2026-01-01", "2026-11-30"]
    assert claims["digest"] == "sha256:" + __import__("hashlib").sha256(pdf.data).hexdigest()
    assert claims["exp"] - claims["iat"] == 30 * 86400

    ok = client.post(f"/api/public/v1/reports/{r['report_no']}/verify", data=pdf.data,
                     headers={"Content-Type": "application/pdf"}).get_json()
    assert ok["outcome"] == "genuine"
    altered = pdf.data.replace(b"/Title", b"/Titlf", 1)
    bad = client.post(f"/api/public/v1/reports/{r['report_no']}/verify", data=altered,
                      headers={"Content-Type": "application/pdf"}).get_json()
    assert bad["outcome"] == "altered" and bad["genuine"] is False
    upload = client.post(f"/r/{r['report_no']}/verify", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(altered), "r.pdf")})
    assert "可能被篡改" in upload.get_data(as_text=True)
    other_no = r["report_no"][:-1] + "9"
    assert client.get(f"/r/{other_no}?k=ABC").status_code == 404
    assert "没有出具过" in client.get(f"/r/{other_no}?k=ABC").get_data(as_text=True)
    wrong = client.get(f"/api/public/v1/reports/{r['report_no']}?k=WRONGONE").get_json()
    assert wrong["outcome"] == "wrong_code"
    queries = mp.get("/me/queries").get_json()["items"]
    assert queries[0]["kind"] == "report" and queries[0]["ref"] == r["report_no"]


def test_two_free_reports_a_year_and_the_count_is_shown(client, mp, resident):
    for _ in range(2):
        assert mp.post("/me/reports", json=BODY).status_code == 201
    listed = mp.get("/me/reports").get_json()
    assert listed["quota"] == {"year": 2026, "free_per_year": 2, "free_used": 2, "free_left": 0}
    assert len(listed["items"]) == 2
    third = mp.post("/me/reports", json=BODY)
    assert third.status_code == 409 and third.get_json()["error"]["code"] == "report_quota_exhausted"


@needs_poppler
def test_a_window_report_lists_the_penalties_found(client):
    filed = client.post("/api/dept/v1/disclosures/penalties", json=penalty(n=301, CF_JDRQ="2026-06-01"),
                        headers=dept())
    assert filed.status_code == 201
    window = bearer(operator_token("window", department="汕尾市政务服务中心"))
    resp = client.post("/api/dept/v1/credit-reports", headers=window, json={**BODY, "uscc": uscc_code(301)})
    assert resp.status_code == 201, resp.get_json()
    r = resp.get_json()
    assert r["summary"]["result"] == "found" and r["summary"]["findings"] == 1
    pdf = client.get(f"/api/dept/v1/credit-reports/{r['report_no']}.pdf", headers=window)
    text = pdf_text(pdf.data).replace(" ", "").replace("\n", "")
    assert "经查询，汕尾市海丰鲜活水产有限公司301自2026年01月01日至2026年11月30日在所选领域发现以下记录" in text
    assert penalty(n=301)["CF_WSH"] in text
    other_window = bearer(operator_token("window", department="海丰县政务服务中心"))
    assert client.get(f"/api/dept/v1/credit-reports/{r['report_no']}.pdf", headers=other_window).status_code == 404


def test_a_retried_request_gets_the_same_report(client, mp, resident):
    headers = {"Idempotency-Key": "report-retry-0001"}
    first = client.post("/api/mp/v1/me/reports", json=BODY, headers={**headers, **bearer(mp.token)}).get_json()
    again = client.post("/api/mp/v1/me/reports", json=BODY, headers={**headers, **bearer(mp.token)}).get_json()
    assert first["report_no"] == again["report_no"]
    assert mp.get("/me/reports").get_json()["quota"]["free_used"] == 1


def test_report_period_is_checked(client, mp, resident):
    bad = mp.post("/me/reports", json={**BODY, "period_from": "2026-12-01", "period_to": "2026-11-01"})
    assert bad.status_code == 422


def test_my_file_lists_my_decisions(client, mp, resident):
    body = penalty("person", n=310, CF_XDR_ZJHM=resident, CF_XDR_MC="陈晓明")
    assert client.post("/api/dept/v1/disclosures/penalties", json=body, headers=dept()).status_code == 201
    mine = mp.get("/me/file").get_json()["items"]
    assert [(d["document_no"], d["kind_zh"], d["state"]) for d in mine] == [(body["CF_WSH"], "行政处罚", "published")]
    assert "XDR_ZJHM" not in mine[0]["items"]  # identity items stay encrypted, even for the subject's own view


def test_a_report_past_its_validity_is_told_expired_and_checks_are_logged(client, clock, mp, resident):
    from backend.models import ReportVerification
    from backend.platform.extensions import db

    r = mp.post("/me/reports", json=BODY).get_json()
    query = urlparse(r["verify_url"]).query
    assert client.get(f"/api/public/v1/reports/{r['report_no']}?{query}").get_json()["outcome"] == "genuine"
    clock.advance(31 * 86400)
    late = client.get(f"/api/public/v1/reports/{r['report_no']}?{query}").get_json()
    assert late["outcome"] == "expired" and late["genuine"] is True
    assert [v.outcome for v in db.session.query(ReportVerification).order_by(ReportVerification.id)] == [
        "genuine", "expired"]


def test_a_listed_merchant_report_names_its_list_entries(client):
    """List entries carry no publication state of their own: the report shows them (a 500 before)."""
    from backend.models import Subject
    from backend.platform.extensions import db
    from tests.merchants.helpers import listing, merchant

    row = merchant()
    uscc = db.session.get(Subject, row.subject_id).uscc
    listing(row, "watch")
    listing(row, "black")
    window = bearer(operator_token("window", department="汕尾市政务服务中心"))
    body = {**BODY, "domains": ["serious_dishonesty", "watch_list"], "uscc": uscc}
    resp = client.post("/api/dept/v1/credit-reports", headers=window, json=body)
    assert resp.status_code == 201, resp.get_json()
    summary = resp.get_json()["summary"]
    assert summary["result"] == "found" and summary["findings"] == 2
