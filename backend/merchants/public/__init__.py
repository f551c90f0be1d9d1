"""Shoppers' side of 一码查信: HTML pages (/m/<merchant>, /markets/<market>) and their JSON twins.

The HTML routes live on a plain Flask blueprint (they are not JSON endpoints and stay out
of the OpenAPI description); the JSON twins are on a flask-smorest blueprint under /api/public/v1.
"""

from flask import Blueprint
from flask_smorest import Blueprint as ApiBlueprint

pages = Blueprint("public_pages", __name__, template_folder="templates")
api_blp = ApiBlueprint("public", __name__, url_prefix="/api/public/v1",
                       description="Anyone: merchants' public credit pages as JSON (一码查信)")

from backend.merchants.public import api, views  # noqa: E402,F401  (routes register on import)
