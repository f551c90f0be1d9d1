"""GET /subscribe-templates (which subscribe messages to ask for), POST /me/subscriptions (what the user chose),
GET /me/messages (what was pushed to me and how it went)."""

from __future__ import annotations

import marshmallow as ma

from backend.notifications import messages_of, record_choices, template_list
from backend.notifications.vocab import EVENT_ZH, PUSH_STATUS_ZH, SubscriptionChoice
from miniprogram_api import blp
from miniprogram_api.auth import current_mp, require_mp_session


class TemplateSchema(ma.Schema):
    event = ma.fields.String(required=True)
    event_zh = ma.fields.String(required=True)
    template_id = ma.fields.String(required=True, metadata={"description": "Pass to wx.requestSubscribeMessage"})
    title = ma.fields.String(required=True)


class TemplateListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(TemplateSchema), required=True)


class ChoicesInSchema(ma.Schema):
    results = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.Length(min=1, max=64)),
                             values=ma.fields.String(validate=ma.validate.OneOf([c.value for c in SubscriptionChoice])),
                             required=True, metadata={"description": "wx.requestSubscribeMessage's answer: "
                                                                     "{template_id: accept | reject | ban | filter}"})


class ChoiceSchema(ma.Schema):
    template_id = ma.fields.String(required=True)
    choice = ma.fields.String(required=True)
    accepted_count = ma.fields.Integer(required=True)


class ChoiceListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ChoiceSchema), required=True)


class MessageSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    event = ma.fields.String(required=True)
    event_zh = ma.fields.Function(lambda m: EVENT_ZH.get(m.event, m.event), required=True)
    template_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    status_zh = ma.fields.Function(lambda m: PUSH_STATUS_ZH.get(m.status, m.status), required=True)
    errcode = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.DateTime()
    sent_at = ma.fields.DateTime(allow_none=True)


class MessageListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MessageSchema), required=True)


@blp.route("/subscribe-templates", methods=["GET"])
@blp.response(200, TemplateListSchema)
def list_subscribe_templates():
    """The subscribe-message templates to ask the user for (wx.requestSubscribeMessage), by event."""
    return {"items": template_list()}


@blp.route("/me/subscriptions", methods=["POST"])
@require_mp_session
@blp.arguments(ChoicesInSchema)
@blp.response(200, ChoiceListSchema)
def report_subscriptions(body):
    """Report what the user chose for each template; unknown templates are ignored."""
    mp = current_mp()
    return {"items": record_choices(mp.account_id, body["results"], actor=f"mp:{mp.account_id}")}


@blp.route("/me/messages", methods=["GET"])
@require_mp_session
@blp.response(200, MessageListSchema)
def list_my_messages():
    """The subscribe messages pushed to me, newest first, with WeChat's answer."""
    return {"items": messages_of(current_mp().account_id)}
