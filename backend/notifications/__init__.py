"""WeChat subscribe-message pushes to residents and merchant owners: `notify(subject_id, event, data, cause=…)`
queues them in the caller's transaction; a background job sends them after commit (repair, objections and
reports call it too)."""

from backend.notifications.models import PushMessage, PushSubscription
from backend.notifications.push import CREDIT_LISTENERS, SEND_JOB, Sender, notify, recipients, templates
from backend.notifications.subscriptions import messages_of, record_choices, template_list
from backend.notifications.vocab import PushEvent, PushStatus

__all__ = ["CREDIT_LISTENERS", "SEND_JOB", "PushEvent", "PushMessage", "PushStatus", "PushSubscription", "Sender",
           "messages_of", "notify",
           "recipients", "record_choices", "template_list", "templates"]
