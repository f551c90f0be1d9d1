"""mini-program accounts and sessions, merchant binding codes and owners

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 00:45:32.338540

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mp_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('openid_hash', sa.String(length=64), nullable=False),
    sa.Column('openid_enc', sa.String(length=512), nullable=False),
    sa.Column('session_key_enc', sa.String(length=512), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_mp_accounts_subject_id_subjects'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mp_accounts')),
    sa.UniqueConstraint('openid_hash', name=op.f('uq_mp_accounts_openid_hash')),
    sa.UniqueConstraint('subject_id', name=op.f('uq_mp_accounts_subject_id'))
    )
    op.create_table('mp_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['mp_accounts.id'], name=op.f('fk_mp_sessions_account_id_mp_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mp_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_mp_sessions_token_hash'))
    )
    with op.batch_alter_table('mp_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_mp_sessions_account', ['account_id'], unique=False)

    op.create_table('merchant_binding_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['issued_by'], ['operators.id'], name=op.f('fk_merchant_binding_codes_issued_by_operators')),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_merchant_binding_codes_merchant_id_merchants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by'], ['mp_accounts.id'], name=op.f('fk_merchant_binding_codes_used_by_mp_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merchant_binding_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_merchant_binding_codes_code_hash'))
    )
    op.create_table('merchant_owners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('binding_code_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['mp_accounts.id'], name=op.f('fk_merchant_owners_account_id_mp_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['binding_code_id'], ['merchant_binding_codes.id'], name=op.f('fk_merchant_owners_binding_code_id_merchant_binding_codes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_merchant_owners_merchant_id_merchants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merchant_owners')),
    sa.UniqueConstraint('account_id', 'merchant_id', name=op.f('uq_merchant_owners_account_id_merchant_id'))
    )


def downgrade():
    op.drop_table('merchant_owners')
    op.drop_table('merchant_binding_codes')
    with op.batch_alter_table('mp_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_mp_sessions_account')

    op.drop_table('mp_sessions')
    op.drop_table('mp_accounts')
