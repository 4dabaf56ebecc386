"""moderation: reports of items, accounts and Relais (an attached item sealed to the platform review
key), and formal notices with their 15-day deadline

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 04:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reports',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('reporter_id', sa.String(length=32), nullable=True),
        sa.Column('account_id', sa.String(length=32), nullable=True),
        sa.Column('structure_id', sa.String(length=32), nullable=True),
        sa.Column('item_id', sa.String(length=32), nullable=True),
        sa.Column('item_owner_id', sa.String(length=32), nullable=True),
        sa.Column('item_kind', sa.String(length=16), nullable=True),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('attachment', sa.LargeBinary(), nullable=True),
        sa.Column('attachment_key_wrap', sa.LargeBinary(), nullable=True),
        sa.Column('review_version', sa.Integer(), nullable=True),
        sa.Column('sealer_verify_key', sa.LargeBinary(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    )
    op.create_index('ix_reports_status_created_at', 'reports', ['status', 'created_at'])
    op.create_index('ix_reports_item_owner_id', 'reports', ['item_owner_id'])
    op.create_table(
        'formal_notices',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('account_id', sa.String(length=32), nullable=False),
        sa.Column('report_id', sa.String(length=32), nullable=True),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('sent_by', sa.String(length=32), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reply', sa.Text(), nullable=True),
        sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_formal_notices_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_formal_notices')),
    )
    op.create_index('ix_formal_notices_status_deadline', 'formal_notices', ['status', 'deadline'])
    op.create_index('ix_formal_notices_account_id', 'formal_notices', ['account_id'])


def downgrade() -> None:
    op.drop_index('ix_formal_notices_account_id', table_name='formal_notices')
    op.drop_index('ix_formal_notices_status_deadline', table_name='formal_notices')
    op.drop_table('formal_notices')
    op.drop_index('ix_reports_item_owner_id', table_name='reports')
    op.drop_index('ix_reports_status_created_at', table_name='reports')
    op.drop_table('reports')
