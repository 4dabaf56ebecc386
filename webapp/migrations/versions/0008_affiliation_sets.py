"""the signed affiliation set of each beneficiary: which structures may receive the shared part

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'affiliation_sets',
        sa.Column('owner_id', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('record', sa.LargeBinary(), nullable=False),
        sa.Column('consent', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_affiliation_sets_owner_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('owner_id', 'version', name=op.f('pk_affiliation_sets')),
    )


def downgrade() -> None:
    op.drop_table('affiliation_sets')
