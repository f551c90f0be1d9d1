"""scanning: revoked codes, redemption status (flagged offline grants), offline scan refs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 00:43:43.633587

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('revoked_codes',
    sa.Column('jti', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_revoked_codes_subject_id_subjects')),
    sa.PrimaryKeyConstraint('jti', name=op.f('pk_revoked_codes'))
    )
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('jti', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=8), server_default='granted', nullable=False))
        batch_op.add_column(sa.Column('flag_reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('offline', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column('slot', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_check_constraint(op.f('ck_redemptions_status'), "status IN ('granted','flagged')")
        batch_op.create_check_constraint(op.f('ck_redemptions_slot_iff_granted'),
                                         "(status = 'granted') = (slot IS NOT NULL)")

    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_ref', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_scans_device_id_client_ref'), ['device_id', 'client_ref'])


def downgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_scans_device_id_client_ref'), type_='unique')
        batch_op.drop_column('client_ref')

    # Flagged rows have no slot and cannot exist in the old schema.
    op.execute("DELETE FROM redemptions WHERE status <> 'granted'")
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_redemptions_slot_iff_granted'), type_='check')
        batch_op.drop_constraint(op.f('ck_redemptions_status'), type_='check')
        batch_op.alter_column('slot', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('offline')
        batch_op.drop_column('flag_reason')
        batch_op.drop_column('status')
        batch_op.drop_column('jti')

    op.drop_table('revoked_codes')
