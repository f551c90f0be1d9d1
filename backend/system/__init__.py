"""Platform endpoints anyone may call: health, the JWKS and the OpenAPI description."""

from flask_smorest import Blueprint

blp = Blueprint("system", __name__, url_prefix="/", description="Health and public keys")

from backend.system import views  # noqa: E402,F401  (routes register on import)
