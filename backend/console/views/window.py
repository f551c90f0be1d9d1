"""Service-window pages: real-name binding at the counter, after checking the resident's ID card in person."""

from __future__ import annotations

from flask import request

from backend.accounts import identity
from backend.accounts.schemas import CounterBindingSchema
from backend.console.views import console
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import console_page, current, render
from backend.platform.access import OperatorRole

FIELDS = [field("counter_code", "核验码", required=True, help="群众在小程序“柜台实名绑定”中显示的核验码"),
          field("name", "姓名", required=True, help="与身份证一致"),
          field("id_number", "居民身份证号", required=True, help="核对身份证原件后录入；页面只显示打码后的号码")]


@console.route("/counter-binding", methods=["GET", "POST"])
@console_page(OperatorRole.WINDOW, OperatorRole.ADMIN)
def counter_binding():
    """As POST /identity-bindings: accounts.identity.bind_at_counter with this clerk (audited)."""
    errors, notice = {}, None
    if request.method == "POST":
        body, errors = parse(CounterBindingSchema())
        if body is not None:
            done, errors = attempt(lambda: identity.bind_at_counter(current(), body["counter_code"], body["name"],
                                                                    body["id_number"]))
            if not errors:
                notice = (f"已完成实名绑定：{done['display_name']}，身份证号 {done['id_number_masked']}，"
                          f"信用主体标识 {done['subject_handle']}。")
    return render("console/form_page.html", 422 if errors else 200, title="柜台实名绑定", fields=FIELDS, values={},
                  errors=errors, labels={**labels_of(FIELDS), "_": "核验"}, notice=notice,
                  intro="请先核对群众本人及其身份证原件，再录入小程序显示的核验码。",
                  action=request.path, submit="绑定")
