"""one-time codes and appointment reminders

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 04:00:00
"""
from alembic import op
import sqlalchemy as sa
import webapp.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('one_time_codes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('context', sa.String(length=32), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=False),
    sa.Column('digest', sa.LargeBinary(), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('sent_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', webapp.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('sms_message_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_one_time_codes_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sms_message_id'], ['sms_messages.id'], name=op.f('fk_one_time_codes_sms_message_id_sms_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_codes'))
    )
    with op.batch_alter_table('one_time_codes', schema=None) as batch_op:
        batch_op.create_index('ix_one_time_codes_account_id_purpose_sent_at', ['account_id', 'purpose', 'sent_at'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.String(length=32), nullable=False),
    sa.Column('owner_id', sa.String(length=32), nullable=False),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('preset', sa.String(length=16), nullable=False),
    sa.Column('lead_minutes', sa.Integer(), nullable=False),
    sa.Column('night_ok', sa.Boolean(), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=False),
    sa.Column('send_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('sms_message_id', sa.String(length=32), nullable=True),
    sa.Column('cancelled_at', webapp.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_reminders_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_reminders_owner_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sms_message_id'], ['sms_messages.id'], name=op.f('fk_reminders_sms_message_id_sms_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_owner_id'), ['owner_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_owner_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_item_id'))
    op.drop_table('reminders')
    with op.batch_alter_table('one_time_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_one_time_codes_account_id_purpose_sent_at')
    op.drop_table('one_time_codes')
