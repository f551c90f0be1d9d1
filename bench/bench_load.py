"""A realistic mixed load on gunicorn (2 workers) + PostgreSQL, open loop, for minutes (issue 7, item 6).

Residents refresh their codes (GET /api/mp/v1/me/code, one session per resident), scanners verify
the codes residents just fetched and redeem a perk on the scan (POST /verify, then /redemptions with
an Idempotency-Key; some retried with the same key), shoppers open merchant pages (GET /m/<ref>),
departments file credit records (POST /api/dept/v1/records, which re-grades) and run 一键查询
(GET /api/dept/v1/joint-measures). Request i is due at start + i/rate whatever the server does
(bench.harness.paced's method, with a fixed mix instead of one URL); latency counts from the due time.
Intended 4xx (a perk over quota or refused to a C-grade resident: 409) are counted apart; anything
else that is not 2xx is an error (goal: none). At the end, GET /metrics must have counted every
answered request (the multiprocess metrics of both workers summed).

Run: ``python -m bench bench_load``. Environment (BENCH_QUICK=1 shrinks the defaults):
BENCH_LOAD_SECONDS (300; quick 20), BENCH_LOAD_RATE (total requests/s, 150), BENCH_LOAD_RESIDENTS
(600; quick 150), BENCH_LOAD_PORT (8094), BENCH_LOAD_PG_URL (scratch database, .../bench_load).
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import json
import threading
import time
import urllib.parse
import urllib.request
from http.client import HTTPConnection, HTTPException

from stdnum.cn import ric

from bench.harness import Gunicorn, bench_app, bench_secrets, knob, percentile, pg_url, scratch_database

# The mix: out of every 20 requests (a fixed, interleaved cycle).
MIX = (["code"] * 7 + ["page"] * 5 + ["verify"] * 4 + ["redeem"] * 2 + ["record"] + ["joint"])
CYCLE = [MIX[(k * 7) % len(MIX)] for k in range(len(MIX))]  # 7 is coprime with 20: kinds interleave
INTENDED = {"redeem": {409}}  # over quota / ineligible grade
CODE_MAX_AGE = 90  # scanners only use codes fetched this recently (they live CODE_TTL_SECONDS = 180 s)


def seed(url: str, app_secrets: dict, residents: int) -> dict:
    """Demo data, then residents (1 in 5 graded C) each with a bound mini-program session."""
    from backend.accounts import sessions as mp_sessions
    from backend.credit.subjects import get_or_create_person
    from backend.demo.seed import seed_demo
    from backend.models import Base
    from backend.platform.extensions import db

    app = bench_app(url, app_secrets)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        demo = seed_demo()
        people = []
        for k in range(residents):
            base = f"441502{(dt.date(1950, 1, 1) + dt.timedelta(days=k)).strftime('%Y%m%d')}{k % 1000:03d}"
            rid = base + ric.calc_check_digit(base + "0")
            person = get_or_create_person(rid, "负载测试")
            person.grade = "C" if k % 5 == 4 else "AB"[k % 2]
            people.append((person, rid))
        db.session.commit()
        sessions = []
        for k, (person, rid) in enumerate(people):
            login = mp_sessions.login(f"o-load-{k:06d}", "c2Vzc2lvbi1rZXk=")
            login.account.subject_id = person.id
            sessions.append((login.token, rid))
        db.session.commit()
        db.engine.dispose()
    devices = {d["scenario"]: d["token"] for d in demo["devices"]}
    return {"sessions": sessions, "transit": devices["transit"], "dept": demo["operator_tokens"]["department"],
            "pages": [m["page_path"] for m in demo["merchants"]]}


class Mix:
    """Builds request i of the mix from the shared pools of fresh codes and recent scans (thread-safe)."""

    def __init__(self, data: dict) -> None:
        self.d, self.lock = data, threading.Lock()
        self.codes: collections.deque = collections.deque(maxlen=500)  # (fetched at, code)
        self.scans: collections.deque = collections.deque(maxlen=500)  # (fetched at, code, scan_id)
        self.last_redeem, self.docs, self.redeems = None, itertools.count(), itertools.count()

    def request(self, i: int) -> tuple[str, str, str, bytes | None, dict]:
        kind = CYCLE[i % len(CYCLE)]
        d = self.d
        if kind == "redeem":
            with self.lock:  # one in five is a scanner's retry: the previous request again, same key
                if next(self.redeems) % 5 == 4 and self.last_redeem:
                    return self.last_redeem
                while self.scans and time.monotonic() - self.scans[0][0] > CODE_MAX_AGE:
                    self.scans.popleft()
                pick = self.scans.pop() if self.scans else None  # each scan is redeemed once, newest first
            if pick is None:
                kind = "verify"
        if kind == "verify":
            with self.lock:  # each code fetched is scanned once, newest first
                while self.codes and time.monotonic() - self.codes[0][0] > CODE_MAX_AGE:
                    self.codes.popleft()
                pick = self.codes.pop() if self.codes else None
            if pick is None:
                kind = "code"  # nothing fetched yet: the resident asks for a code instead
        if kind == "code":
            token, _ = d["sessions"][i % len(d["sessions"])]
            return kind, "GET", "/api/mp/v1/me/code", None, {"Authorization": f"Bearer {token}"}
        auth_dev = {"Authorization": f"Bearer {d['transit']}", "Content-Type": "application/json"}
        if kind == "verify":
            return kind, "POST", "/api/scan/v1/verify", json.dumps({"code": pick[1]}).encode(), auth_dev
        if kind == "redeem":
            body = {"code": pick[1], "incentive": "bus-discount", "scan_id": pick[2]}
            request = (kind, "POST", "/api/scan/v1/redemptions", json.dumps(body).encode(),
                       {**auth_dev, "Idempotency-Key": f"load-{i:09d}"})
            with self.lock:
                self.last_redeem = request
            return request
        if kind == "page":
            return kind, "GET", d["pages"][i % len(d["pages"])], None, {}
        _, rid = d["sessions"][(i * 7) % len(d["sessions"])]
        auth_op = {"Authorization": f"Bearer {d['dept']}", "Content-Type": "application/json"}
        if kind == "joint":
            query = urllib.parse.urlencode({"resident_id": rid, "purpose": "行政审批核查"})
            return kind, "GET", f"/api/dept/v1/joint-measures?{query}", None, auth_op
        body = {"resident_id": rid, "category": "honour", "title": "志愿服务表彰", "document_no": f"LOAD-{next(self.docs)}",
                "legal_basis": "《广东省社会信用条例》", "decided_on": (dt.date.today() - dt.timedelta(days=10)).isoformat()}
        return "record", "POST", "/api/dept/v1/records", json.dumps(body, ensure_ascii=False).encode(), auth_op

    def learn(self, kind: str, status: int, body: bytes) -> None:
        """Keep what the answer gives the next requests: a resident's fresh code, a valid scan."""
        if status != 200 or kind not in ("code", "verify"):
            return
        data = json.loads(body)
        with self.lock:
            if kind == "code":
                self.codes.append((time.monotonic(), data["code"]))
            elif data.get("outcome") == "valid":
                self.scans.append((time.monotonic(), data["_code"], data["scan_id"]))


def drive(port: int, mix: Mix, rate: float, seconds: float, workers: int = 48, timeout: float = 5.0) -> dict:
    """Open-loop mixed load; returns {kind: [(latency ms, status)]}, unsent count and achieved rate."""
    total, counter = int(rate * seconds), itertools.count()
    start = time.perf_counter() + 0.2
    hard_stop = start + seconds + timeout + 5
    results: list[tuple[str, float, int, float]] = []  # kind, due, status (0 = no answer), done
    append = results.append  # list.append is atomic under the GIL

    def worker() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
        while (i := next(counter)) < total:
            due = start + i / rate
            if time.perf_counter() > hard_stop:
                continue
            time.sleep(max(0.0, due - time.perf_counter()))
            kind, method, path, body, headers = mix.request(i)
            try:
                conn.request(method, path, body, headers)
                response = conn.getresponse()
                raw, status = response.read(), response.status
                if kind == "verify" and status == 200:
                    raw = json.dumps({**json.loads(raw), "_code": json.loads(body)["code"]}).encode()
                mix.learn(kind, status, raw)
            except (OSError, HTTPException):
                conn.close()
                status = 0
            append((kind, due, status, time.perf_counter()))
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    by_kind: dict[str, list] = collections.defaultdict(list)
    for kind, due, status, done in results:
        by_kind[kind].append(((done - due) * 1000, status))
    achieved = len(results) / (max(r[3] for r in results) - start) if results else 0.0
    answered = sum(1 for r in results if r[2])
    return {"by_kind": by_kind, "unsent": total - len(results), "achieved": achieved, "answered": answered}


def metrics_total(base: str, token: str) -> float:
    """Requests counted by GET /metrics over every worker, /metrics and /healthz left out."""
    from prometheus_client.parser import text_string_to_metric_families

    req = urllib.request.Request(base + "/metrics", headers={"Authorization": f"Bearer {token}"})
    text = urllib.request.urlopen(req, timeout=10).read().decode()
    return sum(s.value for f in text_string_to_metric_families(text) for s in f.samples
               if s.name == "credit_http_requests_total" and s.labels["route"] not in ("/metrics", "/healthz"))


def run() -> list[tuple[str, str, str]]:
    """Seed, start gunicorn, drive the mix, stop it; return (metric, value, goal) rows."""
    seconds, rate = knob("BENCH_LOAD_SECONDS", 300, 20), knob("BENCH_LOAD_RATE", 150)
    residents, port = knob("BENCH_LOAD_RESIDENTS", 600, 150), knob("BENCH_LOAD_PORT", 8094)
    url = scratch_database(pg_url("load"))
    app_secrets = bench_secrets()
    data = seed(url, app_secrets, residents)
    env = {**app_secrets, "DATABASE_URL": url, "METRICS_TOKEN": app_secrets["SECRET_KEY"][:24]}
    with Gunicorn(port, env) as server:
        result = drive(port, Mix(data), rate, seconds)
        counted = metrics_total(server.base, env["METRICS_TOKEN"])
    rows = [(f"mixed load, target {rate} req/s for {seconds} s (open loop)",
             f"{result['achieved']:.0f} req/s sustained, {result['answered']} answered, {result['unsent']} unsent", "")]
    unexpected = collections.Counter()
    for kind in ("code", "page", "verify", "redeem", "record", "joint"):
        got = result["by_kind"].get(kind, [])
        ok = [ms for ms, status in got if 200 <= status < 300 or status in INTENDED.get(kind, ())]
        statuses = collections.Counter(status for _, status in got)
        unexpected.update({f"{kind} {s}": n for s, n in statuses.items() if not (200 <= s < 300 or s in INTENDED.get(kind, ()))})
        rows.append((f"{kind}: p50 / p99", f"{percentile(ok, 50):.1f} / {percentile(ok, 99):.1f} ms (n={len(got)}) "
                     + " ".join(f"{s}×{n}" for s, n in sorted(statuses.items())), ""))
    rows.append(("errors other than intended 4xx", str(sum(unexpected.values())) + (f" {dict(unexpected)}" if unexpected else ""), "0"))
    rows.append(("GET /metrics counted every answered request", f"{counted == result['answered']} ({counted:.0f})", "True"))
    return rows


if __name__ == "__main__":
    for row in run():
        print(*row, sep="  |  ")
