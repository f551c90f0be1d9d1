"""Application factory: create_app() builds the app in named steps."""

from __future__ import annotations

import json
import logging
import os
import secrets
import uuid

from cryptography.fernet import Fernet
from flask import Flask, current_app, g, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from backend.config import INSTANCE_DIR, Config
from backend.platform.extensions import IdConverter, api, db, limiter, migrate
from backend.platform.web.errors import register_error_handlers
from backend.platform.observability import register_observability

SECRET_SETTINGS = ("SECRET_KEY", "KEY_ENCRYPTION_KEY", "ID_HASH_KEY")
BODY_METHODS = {"POST", "PUT", "PATCH"}


def create_app(config: type | dict | None = None) -> Flask:
    """Build the app; `config` is a Config class or a dict of overrides (tests)."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    load_config(app, config)
    register_observability(app)
    register_secrets(app)
    register_extensions(app)
    register_grading_model(app)
    register_request_hooks(app)
    register_error_handlers(app)
    register_blueprints(app)
    register_commands(app)
    return app


def load_config(app: Flask, config: type | dict | None) -> None:
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    app.json = NulRejectingJSONProvider(app)
    app.json.ensure_ascii = False  # Chinese text as text, not \\uXXXX


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class NulRejectingJSONProvider(DefaultJSONProvider):
    """Bodies with "\\u0000" in a string fail to parse (400): PostgreSQL text cannot hold NUL (was a 500)."""

    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
            has_nul = _has_nul(value)
        except RecursionError:  # e.g. 10,000 nested arrays: a 400, not a 500
            raise ValueError("JSON nested too deeply") from None
        if has_nul:
            raise ValueError("NUL character in a JSON string")
        return value


def register_secrets(app: Flask) -> None:
    """Production must set every secret; development keeps generated ones under instance/."""
    missing = [name for name in SECRET_SETTINGS if not app.config.get(name)]
    if not missing:
        return
    if app.config["ENV_NAME"] == "production":
        raise RuntimeError(f"set {', '.join(missing)} in the environment (APP_ENV=production)")
    path = os.path.join(app.instance_path, "dev-secrets.json")
    os.makedirs(app.instance_path, exist_ok=True)
    stored = json.load(open(path)) if os.path.exists(path) else {}
    generated = {"SECRET_KEY": secrets.token_urlsafe(32), "ID_HASH_KEY": secrets.token_urlsafe(32),
                 "KEY_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    for name in missing:
        stored.setdefault(name, generated[name])
        app.config[name] = stored[name]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(stored, f, indent=2)
    app.logger.warning("using development secrets from %s (never in production)", path)


def register_extensions(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before any route is added
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     compare_type=True, render_as_batch=True)
    limiter.init_app(app)
    api.init_app(app, spec_kwargs={"components": {"securitySchemes": SECURITY_SCHEMES}})


SECURITY_SCHEMES = {
    "operatorToken": {"type": "http", "scheme": "bearer", "description": "Operator token (op_…)"},
    "deviceToken": {"type": "http", "scheme": "bearer", "description": "Scanner device token (dev_…)"},
    "mpSession": {"type": "http", "scheme": "bearer", "description": "Mini-program session token"},
}


def register_grading_model(app: Flask) -> None:
    """Load and validate the evaluation model at start: a bad model file stops the app here."""
    from backend.credit.grades import install_model

    install_model(app)


def register_request_hooks(app: Flask) -> None:
    @app.before_request
    def assign_request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isalnum() else uuid.uuid4().hex

    @app.before_request
    def refuse_nul_in_url():
        """NUL in a path or query value would reach PostgreSQL, which refuses it (a 500)."""
        if "\x00" in request.path or any("\x00" in k + v for k, v in request.args.items(multi=True)):
            raise BadRequest("NUL characters are not allowed in URLs.")

    @app.before_request
    def require_json_body():
        """Bodies on API writes must be JSON unless the view declares other types (CSV upload)."""
        if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
            return None
        if not request.content_length and request.headers.get("Transfer-Encoding") != "chunked":
            return None
        view = current_app.view_functions.get(request.endpoint)
        allowed = getattr(view, "accepts", ("application/json",))
        if request.mimetype not in allowed:
            raise UnsupportedMediaType(f"Send the body as {' or '.join(allowed)}, not {request.mimetype or 'nothing'}.")
        if request.mimetype == "application/json":
            request.get_json()  # webargs parses again, but would let deep nesting and NUL through
        return None

    @app.after_request
    def add_common_headers(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


def register_blueprints(app: Flask) -> None:
    from backend.credit import list_views, views as credit_views
    from backend.merchants import admin_views as merchant_views, binding_views
    from backend.merchants.public import api_blp as public_api_blp, pages as public_pages
    from backend.operators import views as operator_views
    from backend.scanning import admin_views as partner_views, api as scan_api
    from backend.scanning.console import console as scan_console
    from backend.system import blp as system_blp
    from backend.system.metrics import blp as metrics_blp
    from miniprogram_api import blp as mp_blp

    assert list_views and binding_views  # their routes register on import, on their feature's blueprint
    api.register_blueprint(system_blp)
    for blp in (credit_views.blp, merchant_views.blp, partner_views.blp, operator_views.blp):
        api.register_blueprint(blp)
    api.register_blueprint(scan_api.blp)
    api.register_blueprint(mp_blp)
    api.register_blueprint(public_api_blp)
    app.register_blueprint(scan_console)
    app.register_blueprint(public_pages)
    app.register_blueprint(metrics_blp)


def register_commands(app: Flask) -> None:
    from backend.operators.cli import commands

    for command in commands:
        app.cli.add_command(command)


logging.getLogger("flask_limiter").setLevel(logging.WARNING)
