"""Markets' departments, the list of inspection agencies.

- markets.department: the supervising department inspections and broken commitments are filed under.
  Existing markets get 汕尾市市场监督管理局 (the department that supervises market trading in Shanwei);
  a platform admin changes it with PATCH /api/dept/v1/markets/<slug>. Credit records already filed keep
  the department they were filed under (the inspecting agency, or the market's name).
- inspection_agencies: the testing agencies whose reports market offices may record, seeded with every
  agency an inspection already names.

Revision ID: 0010_merchant_links
Revises: 0006
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_merchant_links'
down_revision = '0006'
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


def downgrade():
    with op.batch_alter_table('markets', schema=None) as batch_op:
        batch_op.drop_column('department')

    op.drop_table('inspection_agencies')
