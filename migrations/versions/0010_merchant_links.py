"""Merchant link requests and stall names; markets' departments, the list of inspection agencies.

- merchants.stall_name: the name over the stall, the market's own field (it never rewrites the
  subject's registered name again), filled from each subject's current display name.
- merchant_link_requests: a market's request to register a subject that already has a credit file;
  an admin or an operator of the market's department approves or refuses it.
- markets.department: the supervising department inspections and broken commitments are filed under.
  Existing markets get 汕尾市市场监督管理局 (the department that supervises market trading in Shanwei);
  a platform admin changes it with PATCH /api/dept/v1/markets/<slug>. Credit records already filed keep
  the department they were filed under (the inspecting agency, or the market's name).
- inspection_agencies: the testing agencies whose reports market offices may record, seeded with every
  agency an inspection already names.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

DEFAULT_DEPARTMENT = "汕尾市市场监督管理局"


def upgrade():
    op.create_table('inspection_agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_agencies')),
    sa.UniqueConstraint('name', name=op.f('uq_inspection_agencies_name'))
    )
    op.execute("INSERT INTO inspection_agencies (name) SELECT DISTINCT agency FROM inspections")

    with op.batch_alter_table('markets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sa.String(length=100), nullable=True))
    op.execute(sa.text("UPDATE markets SET department = :d").bindparams(d=DEFAULT_DEPARTMENT))
    with op.batch_alter_table('markets', schema=None) as batch_op:
        batch_op.alter_column('department', existing_type=sa.String(length=100), nullable=False)


    with op.batch_alter_table('merchants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stall_name', sa.String(length=200), nullable=True))
    op.execute("UPDATE merchants SET stall_name = "
               "(SELECT subjects.display_name FROM subjects WHERE subjects.id = merchants.subject_id)")
    with op.batch_alter_table('merchants', schema=None) as batch_op:
        batch_op.alter_column('stall_name', existing_type=sa.String(length=200), nullable=False)

    op.create_table('merchant_link_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('stall_no', sa.String(length=32), nullable=False),
    sa.Column('stall_name', sa.String(length=200), nullable=False),
    sa.Column('business_scope', sa.String(length=300), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('photo_url', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=16), server_default='pending', nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.String(length=500), nullable=True),
    sa.Column('merchant_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('pending','approved','refused')", name=op.f('ck_merchant_link_requests_status')),
    sa.ForeignKeyConstraint(['decided_by'], ['operators.id'], name=op.f('fk_merchant_link_requests_decided_by_operators')),
    sa.ForeignKeyConstraint(['market_id'], ['markets.id'], name=op.f('fk_merchant_link_requests_market_id_markets'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_merchant_link_requests_merchant_id_merchants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by'], ['operators.id'], name=op.f('fk_merchant_link_requests_requested_by_operators')),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_merchant_link_requests_subject_id_subjects'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merchant_link_requests'))
    )
    with op.batch_alter_table('merchant_link_requests', schema=None) as batch_op:
        batch_op.create_index('ix_merchant_link_requests_status', ['status', 'market_id'], unique=False)
        batch_op.create_index('uq_merchant_link_requests_pending', ['market_id', 'subject_id'], unique=True,
                              sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))


def downgrade():
    with op.batch_alter_table('merchant_link_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_merchant_link_requests_pending')
        batch_op.drop_index('ix_merchant_link_requests_status')
    op.drop_table('merchant_link_requests')

    with op.batch_alter_table('merchants', schema=None) as batch_op:
        batch_op.drop_column('stall_name')

    with op.batch_alter_table('markets', schema=None) as batch_op:
        batch_op.drop_column('department')

    op.drop_table('inspection_agencies')
