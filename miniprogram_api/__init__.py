"""WeChat mini-program API (/api/mp/v1)."""

from flask_smorest import Blueprint

blp = Blueprint("mp", __name__, url_prefix="/api/mp/v1", description="WeChat mini-program (residents, merchant owners)")

from miniprogram_api import (  # noqa: E402,F401  (routes register on import)
    banks,
    codes,
    commitments,
    credit,
    identity,
    merchants,
    notifications,
    objections,
    repairs,
    reports,
    session,
)
