"""Scanner devices: /api/scan/v1 (JSON, device bearer auth) and the staff scan console at /scan."""

from flask_smorest import Blueprint

blp = Blueprint("scan", __name__, url_prefix="/api/scan/v1", description="Scanner devices (bus, hotel, hospital, gate)")

from backend.scan import views  # noqa: E402,F401  (routes register on import)
from backend.scan.console import console  # noqa: E402,F401
