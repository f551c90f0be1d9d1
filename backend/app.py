"""Application factory: create_app() builds the app in named steps; the composition root.

Config and the platform first, then every feature registers its blueprints and commands from the
explicit lists below: a new capability is one package under backend/ plus a line here.
"""

from __future__ import annotations

import json
import logging
import os
import secrets

from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from backend import models  # noqa: F401  (every table registered in one metadata before anything runs)
from backend.config import INSTANCE_DIR, Config, secret_problems
from backend.platform import jobs
from backend.platform.db import sqlite_server_settings
from backend.platform.extensions import api, db, limiter, migrate
from backend.platform.observability import register_observability
from backend.platform.web.auth import SECURITY_SCHEMES
from backend.platform.web.converters import IdConverter
from backend.platform.web.docs import NeedsPlugin
from backend.platform.web.errors import register_error_handlers
from backend.platform.web.hooks import register_request_hooks
from backend.platform.web.json import NulRejectingJSONProvider

SECRET_SETTINGS = ("SECRET_KEY", "KEY_ENCRYPTION_KEY", "ID_HASH_KEY")


def create_app(config: type | dict | None = None) -> Flask:
    """Build the app; `config` is a Config class or a dict of overrides (tests)."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    load_config(app, config)
    register_observability(app)
    register_secrets(app)
    check_public_base_url(app)
    register_extensions(app)
    register_signing(app)
    register_grading_model(app)
    register_request_hooks(app)
    register_error_handlers(app)
    register_blueprints(app)
    register_commands(app)
    register_code_eligibility(app)
    register_credit_listeners(app)
    register_subscribe_sender(app)
    register_mark_listeners(app)
    jobs.init_app(app)  # after the blueprints and commands: every feature's job handlers are registered
    register_proxy_fix(app)
    check_signing_key(app)
    return app


def load_config(app: Flask, config: type | dict | None) -> None:
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    app.json = NulRejectingJSONProvider(app)


def register_secrets(app: Flask) -> None:
    """Production must set every secret, and strong ones; development keeps generated ones under instance/.

    Raises RuntimeError in production when a secret is missing, weak, not a Fernet key, a value from
    the repository or one of this checkout's generated development secrets.
    """
    path = os.path.join(app.instance_path, "dev-secrets.json")
    missing = [name for name in SECRET_SETTINGS if not app.config.get(name)]
    if app.config["ENV_NAME"] == "production":
        if missing:
            raise RuntimeError(f"set {', '.join(missing)} in the environment (APP_ENV=production)")
        problems = secret_problems(app.config)
        problems += [f"{name} is the development secret from {path}" for name in reused_dev_secrets(app, path)]
        if problems:
            raise RuntimeError("refusing to start with APP_ENV=production: " + "; ".join(problems))
        return
    if not missing:
        return
    os.makedirs(app.instance_path, exist_ok=True)
    stored = {}
    if os.path.exists(path):
        with open(path) as f:
            stored = json.load(f)
    generated = {"SECRET_KEY": secrets.token_urlsafe(32), "ID_HASH_KEY": secrets.token_urlsafe(32),
                 "KEY_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    for name in missing:
        stored.setdefault(name, generated[name])
        app.config[name] = stored[name]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(stored, f, indent=2)
    app.logger.warning("using development secrets from %s (never in production)", path)


def reused_dev_secrets(app: Flask, path: str) -> list[str]:
    """Names of the secrets whose value is the one generated for development in `path`."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        stored = json.load(f)
    return [name for name in SECRET_SETTINGS if stored.get(name) and stored.get(name) == app.config.get(name)]


def check_public_base_url(app: Flask) -> None:
    """Production must say where stickers point; every sticker URL must fit the small QR it is printed as.

    Checked once here (the longest URL a sticker can carry) rather than failing on each poster request.
    """
    from backend.merchants.stickers import longest_sticker_url, sticker_error_level

    base = app.config.get("PUBLIC_BASE_URL")
    if not base:
        raise RuntimeError("set PUBLIC_BASE_URL in the environment (APP_ENV=production): "
                           "the host printed on merchant stickers, e.g. https://xy.shanwei.gov.cn")
    if not base.startswith(("https://", "http://")):
        raise RuntimeError(f"PUBLIC_BASE_URL={base!r} is not an http(s) URL")
    try:
        sticker_error_level(longest_sticker_url(base))
    except ValueError as e:
        raise RuntimeError(str(e)) from None


def register_extensions(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before any route is added
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", sqlite_server_settings)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     compare_type=True, render_as_batch=True)
    limiter.init_app(app)
    api.init_app(app, spec_kwargs={"components": {"securitySchemes": SECURITY_SCHEMES},
                                   "extra_plugins": [NeedsPlugin()]})
    logging.getLogger("flask_limiter").setLevel(logging.WARNING)


def register_signing(app: Flask) -> None:
    """The platform signs audit checkpoints with the keys feature's ring; it may not import a feature,
    so the composition root hands it the function (backend.platform.audit_checkpoints.signing_ring)."""
    from backend.keys import keyring

    app.extensions["keyring"] = keyring


def register_grading_model(app: Flask) -> None:
    """Load and validate the evaluation model at start: a bad model file stops the app here."""
    from backend.credit.grades import install_model

    install_model(app)


def register_blueprints(app: Flask) -> None:
    """Every feature's blueprints: JSON APIs on flask-smorest (in /openapi.json), pages on plain Flask."""
    from backend.accounts import views as accounts
    from backend.banks import admin_views as bank_admin
    from backend.banks import views as bank
    from backend.cards import views as cards
    from backend.console.views import console as operator_console
    from backend.credit import views as credit
    from backend.disclosure import views as disclosure
    from backend.disclosure.public import api_blp as portal_api
    from backend.disclosure.public import pages as portal_pages
    from backend.merchants import admin_views as merchants
    from backend.merchants import views as merchant_oversight
    from backend.merchants.public import api_blp as public_api
    from backend.merchants.public import pages as public_pages
    from backend.objections import views as objections
    from backend.operators import views as operators
    from backend.repair import views as repair
    from backend.scanning import admin_views as partners
    from backend.scanning import api as scanning
    from backend.scanning.console import console as scan_console
    from backend.supervision import views as supervision
    from backend.supervision.public import pages as supervision_pages
    from backend.system import views as system
    from miniprogram_api import blp as miniprogram

    for blp in (system.blp, credit.blp, merchants.blp, merchant_oversight.blp, partners.blp, operators.blp,
                accounts.blp, cards.blp, repair.blp, scanning.blp, objections.blp, bank_admin.blp, bank.blp,
                miniprogram, public_api, supervision.blp, supervision.public_blp, disclosure.blp, portal_api):
        api.register_blueprint(blp)
    for blp in (scan_console, public_pages, operator_console, portal_pages, supervision_pages, system.metrics_blp,
                system.docs_blp):
        app.register_blueprint(blp)


def register_code_eligibility(app: Flask) -> None:
    """Codes carry per-scenario offline eligibility; what that is, scanning knows (keys asks through this)."""
    from backend.scanning.devices import code_eligibility

    app.extensions["code_eligibility"] = code_eligibility


def register_credit_listeners(app: Flask) -> None:
    """Credit tells what happened in a file (backend/credit/events.py); risk warnings and pushes listen. Credit is
    lower in the layers and may not import them, so the composition root subscribes them here."""
    from backend import notifications, supervision
    from backend.credit import events

    for listeners in (supervision.CREDIT_LISTENERS, notifications.CREDIT_LISTENERS):
        for name, listener in listeners.items():
            events.subscribe(app, name, listener)


def register_subscribe_sender(app: Flask) -> None:
    """Pushes are sent by a background job (backend/notifications) through the mini-program's WeChat gateway,
    which only miniprogram_api may reach: the composition root hands the job the sending function."""
    from miniprogram_api.gateway import send_subscribe

    app.extensions["subscribe_sender"] = send_subscribe


def register_mark_listeners(app: Flask) -> None:
    """An objection or case mark set or cleared shows at once on the merchant's cached public pages."""
    from backend.credit import on_shown_change
    from backend.merchants import forget_pages

    on_shown_change(app, forget_pages)


def register_commands(app: Flask) -> None:
    """Every feature's flask commands."""
    from backend.banks.cli import commands as banks
    from backend.console.cli import commands as console
    from backend.credit.cli import commands as credit
    from backend.demo.cli import commands as demo
    from backend.keys.cli import commands as keys
    from backend.operators.cli import commands as operators
    from backend.platform.cli import commands as platform

    for command in (*platform, *keys, *credit, *operators, *banks, *console, *demo):
        app.cli.add_command(command)


def register_proxy_fix(app: Flask) -> None:
    """Behind TRUSTED_PROXY_HOPS reverse proxies (deploy/nginx), take the client address, scheme and host
    from the X-Forwarded-* headers they set, so per-address limits see clients, not the proxy."""
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def check_signing_key(app: Flask) -> None:
    """Decrypt the active signing key now rather than at the first code: with a wrong KEY_ENCRYPTION_KEY
    production stops here (RuntimeError), development logs it. A database that is down or not migrated
    yet does not stop start-up (`flask db upgrade` must run); /healthz reports the state either way."""
    from backend.system.health import signing_key_state

    with app.app_context():
        try:
            state = signing_key_state()
        except SQLAlchemyError as e:
            app.logger.warning("signing key not checked at start-up (database unreachable or not migrated: %s)",
                               type(e).__name__)
            return
        finally:
            db.session.remove()
            db.engine.dispose()  # no connection made here may outlive start-up (forked workers must not share it)
    if state == "undecryptable":
        message = ("KEY_ENCRYPTION_KEY cannot decrypt the active signing key: set the key this database was "
                   "encrypted with (during a key-encryption-key rotation, new and old: KEY_ENCRYPTION_KEY=new,old)")
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError(message)
        app.logger.error("%s; codes, JWKS and verification will fail", message)
