"""Red, black and watch lists, the measures catalogue and 一键查询 (roles department and admin)."""

from __future__ import annotations

from flask import g

from backend.platform.web.auth import operator_actor, require_operator
from backend.credit.views import blp
from backend.platform.web.http import page_of
from backend.credit.schemas import (JointQueryArgsSchema, JointResultSchema, ListArgsSchema, ListEntryInSchema,
    ListEntryPageSchema, ListEntrySchema, MeasureListSchema, RemovalSchema)
from backend.credit import joint, lists

OPERATOR = [{"operatorToken": []}]


@blp.route("/list-entries", methods=["POST"])
@blp.doc(security=OPERATOR)
@require_operator("department", "admin")
@blp.arguments(ListEntryInSchema)
@blp.response(201, ListEntrySchema)
def add_list_entry(body):
    """Put a subject on the red, black or watch list (legal basis and decision document required)."""
    return lists.add_entry(body, operator=g.operator, actor=operator_actor())


@blp.route("/list-entries/<int:entry_id>/remove", methods=["POST"])
@blp.doc(security=OPERATOR)
@require_operator("department", "admin")
@blp.arguments(RemovalSchema)
@blp.response(200, ListEntrySchema)
def remove_list_entry(body, entry_id):
    """Take a subject off a list, with the reason; re-grades at once."""
    return lists.remove_entry(entry_id, body["reason"], operator=g.operator, actor=operator_actor())


@blp.route("/list-entries", methods=["GET"])
@blp.doc(security=OPERATOR)
@require_operator("department", "admin")
@blp.arguments(ListArgsSchema, location="query")
@blp.response(200, ListEntryPageSchema)
def list_entries(args):
    """List entries, newest first (active only by default)."""
    rows, total = lists.list_entries(args)
    return page_of(rows, total, args["page"], args["per_page"])


@blp.route("/joint-measures/catalogue", methods=["GET"])
@blp.doc(security=OPERATOR)
@require_operator("department", "admin")
@blp.response(200, MeasureListSchema)
def measures_catalogue():
    """The catalogue of joint reward and punishment measures."""
    return {"items": joint.catalogue()}


@blp.route("/joint-measures", methods=["GET"])
@blp.doc(security=OPERATOR)
@require_operator("department", "admin")
@blp.arguments(JointQueryArgsSchema, location="query")
@blp.response(200, JointResultSchema)
def joint_query(args):
    """一键查询: list status and every applicable measure with its legal basis (audited with purpose)."""
    return joint.joint_query(args, actor=operator_actor())
