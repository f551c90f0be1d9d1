"""Extension objects only; they are bound to the app in backend.app."""

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api as _SmorestApi
from flask_smorest.spec.plugins import integerconverter2paramschema
from flask_sqlalchemy import SQLAlchemy
from werkzeug.routing import IntegerConverter

from backend.platform.db import Base
from backend.platform.web.schemas import DB_INT_MAX, ErrorEnvelopeSchema


class Api(_SmorestApi):
    """flask-smorest Api documenting our error envelope; errors are handled by backend.errors."""

    ERROR_SCHEMA = ErrorEnvelopeSchema

    def _register_error_handlers(self):
        # backend.errors registers one handler for every error; smorest's own shape is not used.
        pass


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to the INTEGER of our id columns: a larger id is a 404, not a database overflow (500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def rate_limit_key() -> str:
    """Bearer credential when present (per client), else the remote address."""
    auth = request.headers.get("Authorization", "")
    return auth[-24:] if auth.startswith("Bearer ") else get_remote_address()


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
api.register_converter(IdConverter, integerconverter2paramschema)
limiter = Limiter(key_func=rate_limit_key, default_limits=[])
