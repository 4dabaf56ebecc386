"""SMS ledger, outbox and opt-outs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 03:30:00
"""
from alembic import op
import sqlalchemy as sa
import webapp.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sms_messages',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('account_id', sa.String(length=32), nullable=True),
    sa.Column('structure_id', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('send_after', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.String(length=32), nullable=True),
    sa.Column('lease_expires_at', webapp.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('provider', sa.String(length=16), nullable=True),
    sa.Column('provider_message_id', sa.String(length=64), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('created_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', webapp.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', webapp.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_sms_messages_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_sms_messages_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_messages')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_sms_messages_idempotency_key'))
    )
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.create_index('ix_sms_messages_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_messages_phone_e164'), ['phone_e164'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_messages_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_messages_structure_id'), ['structure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_messages_provider_message_id'), ['provider_message_id'], unique=False)

    op.create_table('sms_opt_outs',
    sa.Column('phone_e164', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('recorded_by', sa.String(length=32), nullable=True),
    sa.Column('recorded_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('phone_e164', name=op.f('pk_sms_opt_outs'))
    )
    op.create_table('sms_outbox',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('sent_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_outbox')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_sms_outbox_idempotency_key'))
    )


def downgrade() -> None:
    op.drop_table('sms_outbox')
    op.drop_table('sms_opt_outs')
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_messages_provider_message_id'))
        batch_op.drop_index(batch_op.f('ix_sms_messages_structure_id'))
        batch_op.drop_index(batch_op.f('ix_sms_messages_account_id'))
        batch_op.drop_index(batch_op.f('ix_sms_messages_phone_e164'))
        batch_op.drop_index('ix_sms_messages_status_next_attempt_at')
    op.drop_table('sms_messages')
