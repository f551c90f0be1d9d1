"""The console's pages under /console: one plain Flask blueprint (pages stay out of /openapi.json), strict
security headers, Chinese error pages, and a module of pages per role."""

from flask import Blueprint

console = Blueprint("console", __name__, url_prefix="/console", template_folder="../templates",
                    static_folder="../static", static_url_path="/static")

from backend.console.views import (  # noqa: E402,F401  (routes register on import)
    admin,
    admin_calendar,
    case_declarations,
    case_disclosure_list,
    case_disclosures,
    case_objections,
    cases,
    department,
    errors,
    home,
    market,
    partner,
    supervision,
    supervision_talks,
    supervision_tasks,
    window,
    window_cases,
    window_repairs,
    window_reports,
)

__all__ = ["console"]
