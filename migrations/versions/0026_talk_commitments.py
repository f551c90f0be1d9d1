"""Talks' rectification commitments become credit commitments: talks.commitment_id points at credit_commitments
(foreign key, SET NULL) and the text talks kept (talks.commitment_text) moves there; the signer stays on the talk.

Each talk with a commitment text becomes one commitment accepted by the talk's department, 特定范围内公开, dated
the day the talk was held (China time), coded CREDIT_AREA_CODE (441500) + that date + the day's next serial. Its
type is 信用修复型 naming the record when the talk's warning was raised by a penalty record (its cause
"…:record:<id>"), else 其他. A verified talk's commitment is 全部履行; a talk escalated from rectification is
全部未履行 (recorded as such, without listing anyone again: the escalation already acted); others are in force.
The downgrade puts the text back on the talks and deletes only the commitments this migration made.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 15:10:00

"""
import datetime as dt
import os
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

CHINA = ZoneInfo("Asia/Shanghai")
MADE_BY = "migration:0026"
LIABILITY = "违背承诺的，依法依规记入信用记录，列入重点关注名单，并承担相应法律责任。"
KIND_ZH = {"reminder": "提示约谈", "warning": "警示约谈"}
ESCALATION_ZH = {"watch_list": "列入重点关注名单", "higher_ratio": "提高抽查比例", "penalty": "依法立案处罚"}


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment.astimezone(CHINA).date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    return _date(dt.datetime.fromisoformat(text)) if " " in text or "T" in text else dt.date.fromisoformat(text)


def upgrade():
    _move_texts()
    with op.batch_alter_table('talks', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_talks_commitment_id_credit_commitments'), 'credit_commitments',
                                    ['commitment_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_column('commitment_text')


def _move_texts():
    conn = op.get_bind()
    area = os.environ.get("CREDIT_AREA_CODE", "441500")
    talks = conn.execute(sa.text(
        "SELECT t.id, t.number, t.subject_id, t.department, t.kind, t.state, t.commitment_text, t.held_at, "
        "t.scheduled_at, t.verified_at, t.escalation, t.rectification, w.cause_key "
        "FROM talks t LEFT JOIN risk_warnings w ON w.id = t.warning_id "
        "WHERE t.commitment_text IS NOT NULL AND t.commitment_id IS NULL ORDER BY t.id")).all()
    serial: dict[str, int] = {}
    for t in talks:
        on = _date(t.held_at or t.scheduled_at)
        prefix = f"{area}{on:%Y%m%d}"
        if prefix not in serial:
            last = conn.execute(sa.text("SELECT MAX(code) FROM credit_commitments WHERE code LIKE :p"),
                                {"p": prefix + "%"}).scalar()
            serial[prefix] = int(last[-6:]) if last else 0
        serial[prefix] += 1
        record_id = None
        parts = (t.cause_key or "").split(":")
        if len(parts) >= 3 and parts[1] == "record" and parts[2].isdigit():
            record_id = conn.execute(sa.text("SELECT id FROM credit_records WHERE id = :i AND category = "
                                             "'admin_penalty'"), {"i": int(parts[2])}).scalar()
        verified, broken = t.state == "verified", t.state == "escalated" and t.rectification is not None
        values = {
            "code": f"{prefix}{serial[prefix]:06d}", "subject_id": t.subject_id,
            "t": "repair" if record_id else "other", "matter": f"{KIND_ZH.get(t.kind, '约谈')}{t.number}整改承诺",
            "content": t.commitment_text, "liability": LIABILITY, "committed_on": on, "unit": t.department,
            "status": "kept" if verified else "broken" if broken else "active",
            "f": "full" if verified else "none" if broken else None,
            "u": f"逾期未完成整改：{t.rectification}"[:2000] if broken else None,
            "p": ESCALATION_ZH.get(t.escalation) if broken else None,
            "a": _date(t.verified_at) if verified and t.verified_at else (on if broken else None),
            "r": record_id}
        new_id = conn.execute(sa.text(
            "INSERT INTO credit_commitments (code, subject_id, commitment_type, matter, content, liability, "
            "committed_on, accepting_unit, disclosure, status, fulfilment, unfulfilled, liability_pursued, assessed_on, "
            "signed_online, record_id, recorded_by) VALUES (:code, :subject_id, :t, :matter, :content, :liability, "
            ":committed_on, :unit, 'restricted', :status, :f, :u, :p, :a, :so, :r, :by) RETURNING id"),
            {**values, "so": False, "by": MADE_BY}).scalar()
        conn.execute(sa.text("UPDATE talks SET commitment_id = :c WHERE id = :i"), {"c": new_id, "i": t.id})


def downgrade():
    with op.batch_alter_table('talks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commitment_text', sa.Text(), nullable=True))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE talks SET commitment_text = (SELECT c.content FROM credit_commitments c "
                         "WHERE c.id = talks.commitment_id) WHERE commitment_id IS NOT NULL"))
    made = [r.id for r in conn.execute(sa.text("SELECT id FROM credit_commitments WHERE recorded_by = :by"),
                                       {"by": MADE_BY})]
    for commitment_id in made:
        conn.execute(sa.text("UPDATE talks SET commitment_id = NULL WHERE commitment_id = :c"), {"c": commitment_id})
        conn.execute(sa.text("DELETE FROM credit_commitments WHERE id = :c"), {"c": commitment_id})
    with op.batch_alter_table('talks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_talks_commitment_id_credit_commitments'), type_='foreignkey')
