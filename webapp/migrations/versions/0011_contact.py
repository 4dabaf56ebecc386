"""contact: the support and malfunction form's messages, their status and the administrators' reply

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 04:35:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'contact_messages',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('account_id', sa.String(length=32), nullable=True),
        sa.Column('category', sa.String(length=16), nullable=False),
        sa.Column('reach_at', sa.String(length=254), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reply', sa.Text(), nullable=True),
        sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('replied_by', sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_contact_messages_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_messages')),
    )
    op.create_index('ix_contact_messages_account_id', 'contact_messages', ['account_id'])
    op.create_index('ix_contact_messages_status_created_at', 'contact_messages', ['status', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_contact_messages_status_created_at', table_name='contact_messages')
    op.drop_index('ix_contact_messages_account_id', table_name='contact_messages')
    op.drop_table('contact_messages')
