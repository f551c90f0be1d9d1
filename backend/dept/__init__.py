"""Departments and platform operators: /api/dept/v1."""

from flask_smorest import Blueprint

blp = Blueprint("dept", __name__, url_prefix="/api/dept/v1", description="Departments and operators")

from backend.dept import credit, lists, markets, merchant_binding, operators, scanning  # noqa: E402,F401  (routes register on import)
