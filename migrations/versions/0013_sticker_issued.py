"""merchants.code_issued_at: when the current sticker serial was issued (the poster prints it with the serial).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 09:47:54.059656

Existing merchants get the time of their latest sticker reissue from the audit log, else their creation.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('merchants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_issued_at', sa.DateTime(timezone=True),
                                      server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False))
    op.execute("""
        UPDATE merchants SET code_issued_at = COALESCE(
            (SELECT MAX(a.at) FROM audit_log a WHERE a.action = 'merchant.reissue_code' AND a.target_type = 'merchant'
                AND a.target_id = CAST(merchants.id AS VARCHAR(64))),
            merchants.created_at)
    """)


def downgrade():
    with op.batch_alter_table('merchants', schema=None) as batch_op:
        batch_op.drop_column('code_issued_at')
