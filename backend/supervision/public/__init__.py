"""The 双随机、一公开 pages of the 信用汕尾 portal (/credit/supervision…): the published tasks and each task's page
(commitment before the draw, seed and drawn list after, results later, how to verify), in the portal's look:
its base template, its stylesheet and the same strict CSP. Plain Flask: the JSON is /api/public/v1/supervision."""

from flask import Blueprint

pages = Blueprint("supervision_pages", __name__, template_folder="templates")

from backend.supervision.public import views  # noqa: E402,F401  (routes register on import)
