"""Signed checkpoints of the audit chain's head (issue 11, item 8): audit_checkpoints.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:22:24.953493

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('kid', sa.String(length=16), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('prev_digest', sa.String(length=64), nullable=False),
    sa.Column('token', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints')),
    sa.UniqueConstraint('digest', name=op.f('uq_audit_checkpoints_digest')),
    sa.UniqueConstraint('prev_digest', name=op.f('uq_audit_checkpoints_prev_digest')),
    sa.UniqueConstraint('seq', name=op.f('uq_audit_checkpoints_seq'))
    )


def downgrade():
    op.drop_table('audit_checkpoints')
