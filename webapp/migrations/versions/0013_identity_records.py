"""identity records: every past certified identity of an account, so its old signatures verify

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 07:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'identity_records',
        sa.Column('account_id', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('record', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_identity_records_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('account_id', 'version', name=op.f('pk_identity_records')),
    )


def downgrade() -> None:
    op.drop_table('identity_records')
