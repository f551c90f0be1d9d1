"""The 信用汕尾 portal: HTML pages (/credit, /credit/s/<subject>, /credit/lists/<red|black>, /r/<report-no>) on a
plain Flask blueprint, and their JSON twins plus the feed on a flask-smorest blueprint under /api/public/v1."""

from flask import Blueprint
from flask_smorest import Blueprint as ApiBlueprint

pages = Blueprint("portal_pages", __name__, template_folder="templates")
api_blp = ApiBlueprint("portal", __name__, url_prefix="/api/public/v1",
                       description="Anyone: the 信用汕尾 portal as JSON (search, subjects, lists, 双公示 feed, "
                                   "reports)")

from backend.disclosure.public import api, views  # noqa: E402,F401  (routes register on import)
