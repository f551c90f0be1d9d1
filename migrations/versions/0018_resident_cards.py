"""Printed resident cards (backend/cards) for residents without a smartphone, and two scenario choices:
whether cards get its perks (card_perks) and whether its scanners may look residents up by ID number
(id_checks).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 12:03:29.198237

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('resident_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=12), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('masked_name', sa.String(length=50), nullable=False),
    sa.Column('size', sa.String(length=4), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("size IN ('id1','a6')", name=op.f('ck_resident_cards_size')),
    sa.ForeignKeyConstraint(['issued_by'], ['operators.id'], name=op.f('fk_resident_cards_issued_by_operators')),
    sa.ForeignKeyConstraint(['revoked_by'], ['operators.id'], name=op.f('fk_resident_cards_revoked_by_operators')),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_resident_cards_subject_id_subjects'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resident_cards')),
    sa.UniqueConstraint('serial', name=op.f('uq_resident_cards_serial'))
    )
    with op.batch_alter_table('resident_cards', schema=None) as batch_op:
        batch_op.create_index('ix_resident_cards_subject', ['subject_id'], unique=False)

    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_perks', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('id_checks', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.drop_column('id_checks')
        batch_op.drop_column('card_perks')

    with op.batch_alter_table('resident_cards', schema=None) as batch_op:
        batch_op.drop_index('ix_resident_cards_subject')

    op.drop_table('resident_cards')
