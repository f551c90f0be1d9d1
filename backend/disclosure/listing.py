"""A department's own 双公示 decisions as a paginated list (an admin's: every department's, or one): by kind,
state, decision date and document number, newest decision first, with their deadlines as `filing.shown` gives
them. What the console's list page and GET /api/dept/v1/disclosures show; withdrawal starts from here."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from backend.disclosure.filing import own, shown
from backend.disclosure.models import Disclosure
from backend.disclosure.vocab import KIND_ZH, STATE_ZH, DecisionKind, PublicationState
from backend.platform.access import Operator
from backend.platform.db import Page, paginate


def decisions(args: dict, *, operator: Operator) -> Page:
    """Page `args["page"]` of the decisions this operator may see, filtered by args (kind, state, department for
    admins, date_from/date_to on the decision date, document_no: a part of the number)."""
    q = select(Disclosure)
    if operator.role != "admin":
        q = q.where(Disclosure.department == operator.department)
    elif args.get("department"):
        q = q.where(Disclosure.department == args["department"])
    if args.get("kind"):
        q = q.where(Disclosure.kind == args["kind"])
    if args.get("state"):
        q = q.where(Disclosure.state == args["state"])
    if args.get("date_from"):
        q = q.where(Disclosure.decided_on >= args["date_from"])
    if args.get("date_to"):
        q = q.where(Disclosure.decided_on <= args["date_to"])
    if args.get("document_no"):
        q = q.where(Disclosure.document_no.contains(args["document_no"], autoescape=True))
    page = paginate(q.order_by(Disclosure.decided_on.desc(), Disclosure.id.desc()), args["page"], args["per_page"])
    return dataclasses.replace(page, items=[described(d) for d in page.items])


def described(d: Disclosure) -> dict:
    """`filing.shown` with the kind and state in Chinese."""
    return {**shown(d), "kind_zh": KIND_ZH[DecisionKind(d.kind)], "state_zh": STATE_ZH[PublicationState(d.state)]}


def decision(disclosure_id: int, *, operator: Operator) -> dict:
    """One decision of this operator's department (any, for an admin); raises NotFound."""
    return described(own(disclosure_id, operator))
