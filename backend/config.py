"""Configuration read from the environment (names are a published contract: see README)."""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import time
from collections import Counter
from pathlib import Path
from typing import ClassVar

INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", Path(__file__).resolve().parent.parent / "instance"))


def _default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'credit.sqlite3'}"


def engine_options(url: str) -> dict:
    """Pool and timeout settings so a dead database answers 503 quickly instead of hanging.

    hide_parameters: a database error's message (logged with the traceback of a 500) names the SQL
    but not the values bound to it, which are record text, names and ids.
    """
    if url.startswith("sqlite"):
        return {"hide_parameters": True, "connect_args": {"timeout": 5}}
    return {
        "hide_parameters": True,
        # No pre-ping (a round trip per checkout): a dropped connection fails one request with 503
        # and SQLAlchemy then invalidates the whole pool, so the next request reconnects.
        "pool_pre_ping": os.environ.get("DB_POOL_PRE_PING", "0") == "1",
        "pool_recycle": 600,
        "pool_size": int(os.environ.get("DB_POOL_SIZE", "5")),
        "max_overflow": int(os.environ.get("DB_MAX_OVERFLOW", "5")),
        "pool_timeout": 3,
        # connect_timeout bounds a refused/unroutable server; statement_timeout a stuck query;
        # tcp_user_timeout (ms) a connection whose packets stop being acknowledged (network partition),
        # which statement_timeout cannot bound: the server never sees the timeout's cancel.
        "connect_args": {"connect_timeout": 3, "tcp_user_timeout": 5000, "options": "-c statement_timeout=5000"},
    }


class Config:
    """Production-shaped defaults; every secret comes from the environment."""

    ENV_NAME = os.environ.get("APP_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # Fernet keys, comma-separated, newest first: the first encrypts, all decrypt (rotation).
    KEY_ENCRYPTION_KEY = os.environ.get("KEY_ENCRYPTION_KEY")
    # Pepper for the keyed hash that finds resident ids; never rotated without a re-hash.
    ID_HASH_KEY = os.environ.get("ID_HASH_KEY")

    WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
    WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")
    WECHAT_API_BASE_URL = os.environ.get("WECHAT_API_BASE_URL", "https://api.weixin.qq.com")
    WECHAT_TIMEOUT = float(os.environ.get("WECHAT_TIMEOUT", "3"))
    # Subscribe-message templates by event (backend/notifications/vocab.PushEvent), as JSON:
    # {"risk_warning": {"template_id": "…", "page": "pages/credit/index", "title": "信用风险提示",
    #                   "fields": {"thing1": "title", "thing2": "summary", "thing3": "department", "date4": "date"}}}
    # An event without a template is not pushed.
    SUBSCRIBE_TEMPLATES = json.loads(os.environ.get("SUBSCRIBE_TEMPLATES") or "{}")
    # Words that place a penalty in a key sector (食品药品 …) for the risk-warning rule, as JSON {sector: [words]};
    # empty: backend/supervision/warnings.DEFAULT_SECTOR_WORDS.
    SUPERVISION_KEY_SECTORS = json.loads(os.environ.get("SUPERVISION_KEY_SECTORS") or "{}")
    # Warn this many working days before a penalty's minimum publication window ends with its obligations unmet.
    SUPERVISION_WINDOW_NEAR_DAYS = int(os.environ.get("SUPERVISION_WINDOW_NEAR_DAYS", "10"))

    # The host printed on merchant stickers and posters. Production must set it; elsewhere it follows
    # PORT, so `PORT=9000 make run` prints codes that point at the server actually running.
    PORT = int(os.environ.get("PORT") or "8000")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or (None if ENV_NAME == "production"
                                                            else f"http://127.0.0.1:{PORT}")
    # Merchant pages: how long browsers may reuse a page, and how long a worker reuses one it built
    # (changes made by other workers or jobs show within the sum of the two).
    MERCHANT_PAGE_MAX_AGE = int(os.environ.get("MERCHANT_PAGE_MAX_AGE", "3"))
    MERCHANT_PAGE_CACHE_SECONDS = float(os.environ.get("MERCHANT_PAGE_CACHE_SECONDS", "1"))

    # 双公示 deadlines in working days (国办发〔2015〕51号: publish within 7; 行政处罚法 art. 48: withdraw within 3).
    DISCLOSURE_PUBLISH_DAYS = int(os.environ.get("DISCLOSURE_PUBLISH_DAYS", "7"))
    DISCLOSURE_WITHDRAW_DAYS = int(os.environ.get("DISCLOSURE_WITHDRAW_DAYS", "3"))
    # 专项信用报告: the signed summary's validity (建议使用期), free reports a resident gets a year, upload limit.
    REPORT_VALIDITY_DAYS = int(os.environ.get("REPORT_VALIDITY_DAYS", "30"))
    REPORT_FREE_PER_YEAR = int(os.environ.get("REPORT_FREE_PER_YEAR", "2"))
    REPORT_UPLOAD_MAX_BYTES = int(os.environ.get("REPORT_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))

    # Mini-program: session lifetime, bounded jscode2session attempts, rate limits (limits syntax).
    MP_SESSION_TTL_SECONDS = int(os.environ.get("MP_SESSION_TTL_SECONDS", str(7 * 86400)))
    MP_LOGIN_ATTEMPTS = 2
    MP_LOGIN_RATE_LIMIT = os.environ.get("MP_LOGIN_RATE_LIMIT", "20 per minute")
    MP_CODE_RATE_LIMIT = os.environ.get("MP_CODE_RATE_LIMIT", "30 per minute")
    MP_BIND_RATE_LIMIT = os.environ.get("MP_BIND_RATE_LIMIT", "10 per hour")
    # Binding attempts per id number, whichever account or window makes them (face or counter).
    MP_BIND_ID_RATE_LIMIT = os.environ.get("MP_BIND_ID_RATE_LIMIT", "5 per day")
    # Printed resident cards (backend.cards): days a card is valid (at most 365), ID checks per device.
    RESIDENT_CARD_DAYS = int(os.environ.get("RESIDENT_CARD_DAYS", "365"))
    SCAN_ID_CHECK_RATE_LIMIT = os.environ.get("SCAN_ID_CHECK_RATE_LIMIT", "30 per hour")
    COUNTER_CODE_TTL_SECONDS = int(os.environ.get("COUNTER_CODE_TTL_SECONDS", "600"))
    MP_MERCHANT_PAGE = os.environ.get("MP_MERCHANT_PAGE", "pages/merchant/index")
    MERCHANT_BINDING_TTL_SECONDS = int(os.environ.get("MERCHANT_BINDING_TTL_SECONDS", str(72 * 3600)))

    # Evaluation model: a version under backend/grading/models (v1) or a path to a .toml file.
    GRADING_MODEL = os.environ.get("GRADING_MODEL", "v2")
    # Objection timers in working days (defaults: Shenzhen 深圳经济特区社会信用条例 art. 41–52, the strictest
    # in-province rule): acceptance, the credit office's own check, the providing department's decision, its one
    # extension, and the 复核 after an upheld decision. Declarations: the competent department's verification.
    OBJECTION_ACCEPT_DAYS = int(os.environ.get("OBJECTION_ACCEPT_DAYS", "1"))
    OBJECTION_CHECK_DAYS = int(os.environ.get("OBJECTION_CHECK_DAYS", "1"))
    OBJECTION_DECIDE_DAYS = int(os.environ.get("OBJECTION_DECIDE_DAYS", "2"))
    OBJECTION_EXTENSION_DAYS = int(os.environ.get("OBJECTION_EXTENSION_DAYS", "3"))
    OBJECTION_REVIEW_DAYS = int(os.environ.get("OBJECTION_REVIEW_DAYS", "2"))
    DECLARATION_VERIFY_DAYS = int(os.environ.get("DECLARATION_VERIFY_DAYS", "5"))
    # The credit office (信用办) as subjects are told it: it accepts and checks objections, matches declarations.
    CREDIT_OFFICE_NAME = os.environ.get("CREDIT_OFFICE_NAME", "汕尾市社会信用体系建设工作领导小组办公室")
    # Largest CSV upload of credit records (bytes); JSON bodies stay at MAX_CONTENT_LENGTH.
    CSV_MAX_BYTES = int(os.environ.get("CSV_MAX_BYTES", str(64 * 1024 * 1024)))
    # CSV imports larger than this are answered 202 and imported by a background job (progress at GET /jobs/<id>).
    CSV_ASYNC_BYTES = int(os.environ.get("CSV_ASYNC_BYTES", str(2 * 1024 * 1024)))
    # Who looked at a subject's file (backend/credit/accesses.py) is kept this many days, and never under 5 years.
    FILE_ACCESS_RETENTION_DAYS = int(os.environ.get("FILE_ACCESS_RETENTION_DAYS", str(5 * 366)))
    # Publication windows (docs/repair.md): class of a negative record no table classifies; whether 轻微 records
    # are published (≤ 3 months) where the department's table does not say; 6-digit area code of commitment codes.
    CREDIT_DEFAULT_CLASS = os.environ.get("CREDIT_DEFAULT_CLASS", "general")
    CREDIT_MINOR_PUBLISHED = os.environ.get("CREDIT_MINOR_PUBLISHED", "1") == "1"
    CREDIT_AREA_CODE = os.environ.get("CREDIT_AREA_CODE", "441500")
    # Repair deadlines in working days (backend/platform/calendar.py): acceptance, decision, extension.
    REPAIR_ACCEPT_DAYS = int(os.environ.get("REPAIR_ACCEPT_DAYS", "1"))
    REPAIR_DECIDE_DAYS = int(os.environ.get("REPAIR_DECIDE_DAYS", "3"))
    REPAIR_EXTEND_DAYS = int(os.environ.get("REPAIR_EXTEND_DAYS", "3"))
    # Records the expiry job ends per transaction.
    EXPIRY_BATCH = int(os.environ.get("EXPIRY_BATCH", "5000"))
    # Evidence uploads (backend/platform/uploads.py): PDF, PNG or JPEG; bytes per file, files per request.
    UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
    UPLOAD_MAX_FILES = int(os.environ.get("UPLOAD_MAX_FILES", "5"))
    # Background jobs (backend/platform/jobs.py): the queue is Redis with REDIS_URL, else this SQLite file
    # (default instance/jobs.sqlite3; one host). A job that raises is retried JOB_RETRIES times, then failed.
    JOBS_SQLITE_PATH = os.environ.get("JOBS_SQLITE_PATH") or None
    JOBS_IMMEDIATE = False
    JOB_RETRIES = int(os.environ.get("JOB_RETRIES", "2"))
    JOB_RETRY_DELAY = int(os.environ.get("JOB_RETRY_DELAY", "30"))
    # A job still "running" this long after it started lost its worker: admins may queue it again.
    JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "3600"))

    CODE_TTL_SECONDS = int(os.environ.get("CODE_TTL_SECONDS", "180"))
    # Personal code format: 2 (per-code pseudonym and per-scenario eligibility: scanners learn only what
    # their scenario's profile allows) or 1 (handle and grade in clear), see README "The personal code".
    CODE_FORMAT = int(os.environ.get("CODE_FORMAT", "2"))
    # Verify format-1 codes still shown by phones (scanners moving over); turn off once none is in use.
    ACCEPT_FORMAT_1_CODES = os.environ.get("ACCEPT_FORMAT_1_CODES", "1") == "1"
    # Receipts of grants expire (exp) after this long: what partners keep for settlement and disputes.
    RECEIPT_TTL_SECONDS = int(os.environ.get("RECEIPT_TTL_SECONDS", str(400 * 86400)))
    # How often a worker re-reads the signing keys (rotation by another process shows up within this).
    KEYRING_REFRESH_SECONDS = float(os.environ.get("KEYRING_REFRESH_SECONDS", "10"))
    JWKS_MAX_AGE = int(os.environ.get("JWKS_MAX_AGE", "300"))
    # Cache-Control max-age of /.well-known/audit-checkpoint (a new checkpoint shows within it).
    CHECKPOINT_MAX_AGE = int(os.environ.get("CHECKPOINT_MAX_AGE", "60"))
    # Scanner hot path: devices and incentive rules are cached per worker this long (a revoked
    # device or an edited incentive takes effect within it on other workers; at once on this one).
    SCAN_CACHE_SECONDS = float(os.environ.get("SCAN_CACHE_SECONDS", "5"))
    # 一键查询: how long a worker reuses the measures catalogue (`flask sync-measures` here: at once).
    MEASURES_CACHE_SECONDS = float(os.environ.get("MEASURES_CACHE_SECONDS", "30"))
    # The staff console (/scan) clears a result after this many seconds (a visible countdown).
    SCAN_CONSOLE_CLEAR_SECONDS = int(os.environ.get("SCAN_CONSOLE_CLEAR_SECONDS", "15"))
    # Offline scanners answer cannot_verify once their trust bundle is older than this.
    TRUST_BUNDLE_MAX_AGE = int(os.environ.get("TRUST_BUNDLE_MAX_AGE", "86400"))

    MAX_CONTENT_LENGTH = 256 * 1024  # JSON bodies; CSV upload endpoints raise it per request
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True  # Redis down: keep serving, limits degraded (logged)
    # A hung Redis (accepts, never answers) must not hang requests: every call to it is bounded.
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.5"))
    RATELIMIT_STORAGE_OPTIONS = ({"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
                                 if REDIS_URL else {})
    # After a Redis failure, shared cache versions are not asked for this long (the caches' TTLs apply).
    REDIS_RETRY_SECONDS = float(os.environ.get("REDIS_RETRY_SECONDS", "5"))
    # Namespace of this deployment's own keys in Redis (cache versions), apart from the limiter's.
    REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "credit:")

    API_TITLE = "信用汕尾 credit codes"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"

    # Logs: "json" (one object per line, the default in production) or "text"; see docs/observability.md.
    LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("json" if ENV_NAME == "production" else "text")
    # Bank API calls, per bank (all its operators together): 信易贷 is a few queries per application.
    BANK_RATE_LIMIT = os.environ.get("BANK_RATE_LIMIT", "120 per minute")
    # Every 403 is audited, at most this many entries per refused principal (limits syntax); the rest are counted
    # in the credit_denials metric only. Shared across workers and hosts through Redis when REDIS_URL is set.
    AUDIT_DENIAL_RATE_LIMIT = os.environ.get("AUDIT_DENIAL_RATE_LIMIT", "10 per minute")
    # Bearer token for Prometheus to read GET /metrics (admin operator tokens work too).
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None

    # How many reverse proxies in front of gunicorn set X-Forwarded-For/-Proto/-Host (werkzeug's
    # ProxyFix trusts that many hops). 0 (make run): the headers are ignored. Behind deploy/nginx: 1.
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))

    # Operator console (/console): idle timeout and longest life of a browser session, cookies Secure (turn off
    # only for plain-http development), sign-in attempts per address and per username (limits syntax).
    CONSOLE_IDLE_SECONDS = int(os.environ.get("CONSOLE_IDLE_SECONDS", "900"))
    CONSOLE_MAX_SECONDS = int(os.environ.get("CONSOLE_MAX_SECONDS", str(12 * 3600)))
    CONSOLE_COOKIE_SECURE = os.environ.get("CONSOLE_COOKIE_SECURE", "1" if ENV_NAME == "production" or (
        PUBLIC_BASE_URL or "").startswith("https://") else "0") == "1"
    CONSOLE_SIGN_IN_RATE_LIMIT = os.environ.get("CONSOLE_SIGN_IN_RATE_LIMIT", "20 per 10 minutes")

    CLOCK = staticmethod(time.time)


class TestConfig(Config):
    """Isolated settings for the test suite: a throwaway database, fixed keys, no caching."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    KEY_ENCRYPTION_KEY = "0l3J4Z9w7bH0yXw5m2QZt7cQy1xK3h6uN8pV9rS2dE4="
    ID_HASH_KEY = "test-id-hash-key"
    KEYRING_REFRESH_SECONDS = 0
    SCAN_CACHE_SECONDS = 0
    JOBS_IMMEDIATE = True  # jobs run inside the request that queues them (tests of a real worker turn it off)
    JOB_RETRY_DELAY = 0
    PUBLIC_BASE_URL = "http://127.0.0.1:8000"  # fixed: tests must not follow the developer's PORT
    RATELIMIT_STORAGE_URI = "memory://"
    WECHAT_APP_ID = "wx-test-app"
    WECHAT_APP_SECRET = "test-app-secret"
    # Generous: the fake WeChat answers in milliseconds, but a loaded CI machine once took >0.5 s. Tests of the
    # timeout itself set a short one of their own.
    WECHAT_TIMEOUT = 5.0
    SUBSCRIBE_TEMPLATES: ClassVar[dict] = {
        "risk_warning": {"template_id": "tmpl-risk-warning-0001", "page": "pages/credit/index", "title": "信用风险提示",
                         "fields": {"thing1": "title", "thing2": "summary", "thing3": "department", "date4": "date"}},
        "record_filed": {"template_id": "tmpl-record-filed-0001", "page": "pages/credit/index",
                         "title": "信用记录变动提醒",
                         "fields": {"thing1": "title", "thing2": "department", "date3": "date"}},
    }


# Secrets a production deployment must never run with: the suite's fixed values (they are in the
# repository, so anyone can read them).
KNOWN_DEVELOPMENT_SECRETS = frozenset({TestConfig.SECRET_KEY, TestConfig.ID_HASH_KEY, TestConfig.KEY_ENCRYPTION_KEY})
MIN_SECRET_CHARS = 32
MIN_SECRET_BITS = 128


def estimated_bits(value: str | bytes) -> float:
    """Length times the Shannon entropy of its symbols: a rough upper bound that catches short,
    repetitive and dictionary-like secrets (a random token_urlsafe(32) scores ~220)."""
    counts, n = Counter(value), len(value)
    return -n * sum(c / n * math.log2(c / n) for c in counts.values()) if n else 0.0


def _fernet_key_bytes(key: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    return raw if len(raw) == 32 and len(key) == 44 else None


def secret_problems(config) -> list[str]:
    """Why the configured secrets are unfit for production, one sentence each (empty when they are fine).

    SECRET_KEY and ID_HASH_KEY: at least MIN_SECRET_CHARS characters and ~MIN_SECRET_BITS bits, not a
    known development value, not equal to each other. KEY_ENCRYPTION_KEY: every comma-separated key a
    valid Fernet key (32 url-safe base64 bytes) of random-looking bytes, none a development value.
    """
    problems = []
    for name in ("SECRET_KEY", "ID_HASH_KEY"):
        value = config.get(name) or ""
        if value in KNOWN_DEVELOPMENT_SECRETS:
            problems.append(f"{name} is a development value published in the repository")
        elif len(value) < MIN_SECRET_CHARS or estimated_bits(value) < MIN_SECRET_BITS:
            problems.append(f"{name} is too weak: use at least {MIN_SECRET_CHARS} random characters "
                            "(python -c 'import secrets; print(secrets.token_urlsafe(32))')")
    if config.get("SECRET_KEY") and config.get("SECRET_KEY") == config.get("ID_HASH_KEY"):
        problems.append("SECRET_KEY and ID_HASH_KEY must be different secrets")
    keys = [k.strip() for k in (config.get("KEY_ENCRYPTION_KEY") or "").split(",") if k.strip()]
    for i, key in enumerate(keys, start=1):
        raw = _fernet_key_bytes(key)
        where = f"KEY_ENCRYPTION_KEY (key {i} of {len(keys)})"
        if key in KNOWN_DEVELOPMENT_SECRETS:
            problems.append(f"{where} is a development value published in the repository")
        elif raw is None:
            problems.append(f"{where} is not a Fernet key (44 url-safe base64 characters of 32 bytes): "
                            "generate it with cryptography.fernet.Fernet.generate_key()")
        elif estimated_bits(raw) < MIN_SECRET_BITS:
            problems.append(f"{where} is not random: generate it with Fernet.generate_key()")
    return problems
