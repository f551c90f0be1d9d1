"""/api/dept/v1 for service windows: real-name binding at the counter, after checking the ID card."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.accounts import identity
from backend.accounts.schemas import CounterBindingResultSchema, CounterBindingSchema
from backend.platform.access import current_operator, require_operator

blp = Blueprint("accounts", __name__, url_prefix="/api/dept/v1",
                description="Service windows: real-name binding at the counter")


@blp.route("/identity-bindings", methods=["POST"])
@require_operator("window", "admin")
@blp.arguments(CounterBindingSchema)
@blp.response(201, CounterBindingResultSchema)
@blp.alt_response(409, description="Code used, account bound, or the id bound to another account")
@blp.alt_response(410, description="The counter code expired")
def bind_at_counter(body):
    """Having checked the resident's ID card in person, bind the WeChat account that shows this counter code
    (audited with the clerk)."""
    return identity.bind_at_counter(current_operator(), body["counter_code"], body["name"], body["id_number"])
