"""Declarations' truthfulness commitments become 主动型 credit commitments; declarations at a service window;
Idempotency-Key on declarations.

Each `declaration_commitments` row becomes a `credit_commitments` row: type `voluntary`, matter
「自主申报信息真实性承诺（SB…）」, the text it was accepted with as content, the declaration's liability clause,
dated the China day it was accepted (codes 441500 + that day + the next free serial of the day), valid as long as
the declaration, accepted by the verifying department, public, signed online (only the mini-program took
declarations before), recorded by whoever accepted it, created at the acceptance time. A commitment already
breached (a declaration found false) becomes `broken` / 全部未履行 on the day of the breach, linked to the
watch-list entry that breach made. `declarations.commitment_id` points at it; `declaration_commitments` is then
dropped (nothing else used it: only backend/objections read it).

Existing declarations get their channel from their subject: `resident` for a person, `merchant` otherwise.

Downgrade puts the rows back into `declaration_commitments` (text, acceptance time and actor, breach time = the
start of the China day it was assessed on) and deletes the moved commitments. Lost on the way down: the channel,
clerk and agent of declarations filed at a window, the Idempotency-Keys, and commitment_changed items already in
the change feed (append-only) keep naming codes that no longer exist.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 15:07:18.886599

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

CHINA = dt.timezone(dt.timedelta(hours=8))
AREA = "441500"  # CREDIT_AREA_CODE's default: the code a migration cannot read from the app's config
LIABILITY = ("申报信息经查不实的，视为违背信用承诺：依据《汕尾市社会信用体系建设工作方案》（一）（五），撤销已核验的申报信息，"
             "列入重点关注名单，纳入重点监管范围，并依法依规承担相应法律责任。")


def upgrade():
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('window_operator_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('applicant', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('request_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('commitment_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_declarations_account_id_idempotency_key'), ['account_id', 'idempotency_key'])
        batch_op.create_unique_constraint(batch_op.f('uq_declarations_window_operator_id_idempotency_key'), ['window_operator_id', 'idempotency_key'])
        batch_op.create_foreign_key(batch_op.f('fk_declarations_commitment_id_credit_commitments'), 'credit_commitments', ['commitment_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_declarations_window_operator_id_operators'), 'operators', ['window_operator_id'], ['id'])

    op.execute("UPDATE declarations SET channel = CASE WHEN (SELECT s.kind FROM subjects s WHERE s.id = "
               "declarations.subject_id) = 'person' THEN 'resident' ELSE 'merchant' END")
    _move_commitments()

    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.alter_column('channel', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_check_constraint(batch_op.f('ck_declarations_channel'),
                                         "channel IN ('resident','merchant','window')")
    op.drop_table('declaration_commitments')


def _utc(value) -> dt.datetime | None:
    """A timestamp as read back on either backend (SQLite: naive UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _move_commitments():
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT dc.declaration_id, dc.text, dc.accepted_at, dc.accepted_by, dc.breached_at, d.number, d.subject_id, "
        "d.department, d.valid_until, d.note, d.watch_entry_id FROM declaration_commitments dc "
        "JOIN declarations d ON d.id = dc.declaration_id ORDER BY dc.accepted_at, dc.id"
    ).columns(accepted_at=sa.DateTime(timezone=True), breached_at=sa.DateTime(timezone=True),
              valid_until=sa.Date())).all()
    serial: dict[str, int] = {}
    for r in rows:
        accepted = _utc(r.accepted_at)
        committed_on = accepted.astimezone(CHINA).date()
        day = f"{committed_on:%Y%m%d}"
        if day not in serial:
            last = conn.execute(sa.text("SELECT MAX(code) FROM credit_commitments WHERE code LIKE :p"),
                                {"p": f"{AREA}{day}%"}).scalar()
            serial[day] = int(last[-6:]) if last else 0
        serial[day] += 1
        code = f"{AREA}{day}{serial[day]:06d}"
        breached = _utc(r.breached_at)
        valid_until = r.valid_until if r.valid_until is None or r.valid_until >= committed_on else None
        conn.execute(sa.text(
            "INSERT INTO credit_commitments (code, subject_id, commitment_type, matter, content, liability, "
            "committed_on, valid_until, accepting_unit, disclosure, status, fulfilment, unfulfilled, assessed_on, "
            "signed_online, watch_entry_id, recorded_by, created_at) VALUES (:code, :subject_id, 'voluntary', "
            ":matter, :content, :liability, :committed_on, :valid_until, :unit, 'public', :status, :f, :u, :a, "
            ":online, :watch, :by, :created)"
        ).bindparams(sa.bindparam("created", type_=sa.DateTime(timezone=True))), {
            "code": code, "subject_id": r.subject_id, "matter": f"自主申报信息真实性承诺（{r.number}）"[:200],
            "content": r.text, "liability": LIABILITY, "committed_on": committed_on, "valid_until": valid_until,
            "unit": r.department, "status": "broken" if breached else "active", "f": "none" if breached else None,
            "u": f"自主申报信息经查不实：{r.note or ''}"[:1000] if breached else None,
            "a": breached.astimezone(CHINA).date() if breached else None, "online": True,
            "watch": r.watch_entry_id if breached else None, "by": r.accepted_by[:64], "created": accepted})
        conn.execute(sa.text("UPDATE declarations SET commitment_id = (SELECT id FROM credit_commitments "
                             "WHERE code = :code) WHERE id = :d"), {"code": code, "d": r.declaration_id})


def downgrade():
    op.create_table('declaration_commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_by', sa.String(length=64), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('breached_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], name=op.f('fk_declaration_commitments_declaration_id_declarations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration_commitments')),
    sa.UniqueConstraint('declaration_id', name=op.f('uq_declaration_commitments_declaration_id'))
    )
    _restore_commitments()

    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_declarations_channel'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_declarations_window_operator_id_operators'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_declarations_commitment_id_credit_commitments'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_declarations_window_operator_id_idempotency_key'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_declarations_account_id_idempotency_key'), type_='unique')
        batch_op.drop_column('commitment_id')
        batch_op.drop_column('request_sha256')
        batch_op.drop_column('idempotency_key')
        batch_op.drop_column('applicant')
        batch_op.drop_column('window_operator_id')
        batch_op.drop_column('channel')


def _restore_commitments():
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT d.id AS declaration_id, c.id, c.content, c.created_at, c.recorded_by, c.status, c.assessed_on "
        "FROM declarations d JOIN credit_commitments c ON c.id = d.commitment_id ORDER BY d.id"
    ).columns(created_at=sa.DateTime(timezone=True), assessed_on=sa.Date())).all()
    insert = sa.text(
        "INSERT INTO declaration_commitments (declaration_id, text, accepted_at, accepted_by, breached_at) "
        "VALUES (:d, :text, :at, :by, :breached)").bindparams(
        sa.bindparam("at", type_=sa.DateTime(timezone=True)), sa.bindparam("breached", type_=sa.DateTime(timezone=True)))
    for r in rows:
        breached = None
        if r.status == "broken" and r.assessed_on is not None:
            on = r.assessed_on if isinstance(r.assessed_on, dt.date) else dt.date.fromisoformat(str(r.assessed_on))
            breached = dt.datetime.combine(on, dt.time(), CHINA).astimezone(dt.UTC)
        conn.execute(insert, {"d": r.declaration_id, "text": r.content, "at": _utc(r.created_at),
                              "by": r.recorded_by, "breached": breached})
    ids = [r.id for r in rows]
    conn.execute(sa.text("UPDATE declarations SET commitment_id = NULL"))
    for i in range(0, len(ids), 500):
        conn.execute(sa.text("DELETE FROM credit_commitments WHERE id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)), {"ids": ids[i:i + 500]})
