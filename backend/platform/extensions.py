"""Extension objects only; they are bound to the app in backend.app (db itself lives in platform.db)."""

from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_smorest import Api as _SmorestApi
from flask_smorest.spec.plugins import integerconverter2paramschema

from backend.platform.db import db
from backend.platform.web.auth import rate_limit_key
from backend.platform.web.converters import IdConverter
from backend.platform.web.schemas import ErrorEnvelopeSchema


class Api(_SmorestApi):
    """flask-smorest Api documenting our error envelope; errors are handled by platform.web.errors."""

    ERROR_SCHEMA = ErrorEnvelopeSchema

    def _register_error_handlers(self):
        # platform.web.errors registers one handler for every error; smorest's own shape is not used.
        pass


migrate = Migrate()
api = Api()
api.register_converter(IdConverter, integerconverter2paramschema)
limiter = Limiter(key_func=rate_limit_key, default_limits=[])

__all__ = ["api", "db", "limiter", "migrate"]
