"""Scans and redemptions linked: redemptions.scan_id, and scans.refusal (why no perk was granted).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 01:09:10.617161

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scan_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_redemptions_scan_id'), ['scan_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_redemptions_scan_id_scans'), 'scans', ['scan_id'], ['id'])

    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refusal', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_column('refusal')

    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_redemptions_scan_id_scans'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_redemptions_scan_id'))
        batch_op.drop_column('scan_id')
