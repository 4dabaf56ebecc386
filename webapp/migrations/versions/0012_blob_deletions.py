"""blob deletions: blobs of deleted accounts queued for the store until they are gone

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 07:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'blob_deletions',
        sa.Column('prefix', sa.String(length=200), nullable=False),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('prefix', name=op.f('pk_blob_deletions')),
    )


def downgrade() -> None:
    op.drop_table('blob_deletions')
