"""一键查询: the catalogue's legal bases (which list decisions bring which measures) and every query kept for
its printable record.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 09:30:06.770800

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('joint_bases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('list_type', sa.String(length=8), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('measures', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("list_type IN ('red','black','watch')", name=op.f('ck_joint_bases_list_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_bases')),
    sa.UniqueConstraint('code', name=op.f('uq_joint_bases_code'))
    )
    op.create_table('joint_queries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query_no', sa.String(length=24), nullable=True),
    sa.Column('queried_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('department', sa.String(length=100), nullable=True),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('applies_to', sa.String(length=32), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('subject_ref', sa.String(length=40), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_joint_queries_operator_id_operators')),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_joint_queries_subject_id_subjects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_queries')),
    sa.UniqueConstraint('query_no', name=op.f('uq_joint_queries_query_no'))
    )
    with op.batch_alter_table('joint_queries', schema=None) as batch_op:
        batch_op.create_index('ix_joint_queries_operator_at', ['operator_id', 'queried_at'], unique=False)



def downgrade():
    with op.batch_alter_table('joint_queries', schema=None) as batch_op:
        batch_op.drop_index('ix_joint_queries_operator_at')

    op.drop_table('joint_queries')
    op.drop_table('joint_bases')
