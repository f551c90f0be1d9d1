"""Extension objects only; they are bound to the app in backend.app."""

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api as _SmorestApi
from flask_sqlalchemy import SQLAlchemy

from backend.models.base import Base
from backend.schemas.common import ErrorEnvelopeSchema


class Api(_SmorestApi):
    """flask-smorest Api documenting our error envelope; errors are handled by backend.errors."""

    ERROR_SCHEMA = ErrorEnvelopeSchema

    def _register_error_handlers(self):
        # backend.errors registers one handler for every error; smorest's own shape is not used.
        pass


def rate_limit_key() -> str:
    """Bearer credential when present (per client), else the remote address."""
    auth = request.headers.get("Authorization", "")
    return auth[-24:] if auth.startswith("Bearer ") else get_remote_address()


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
limiter = Limiter(key_func=rate_limit_key, default_limits=[])
