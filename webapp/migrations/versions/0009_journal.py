"""the tamper-evident journal: each audit event's chain, sequence number and link; one head per chain

Events recorded before this migration stay outside every chain (chain_id NULL): each chain starts here.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_events') as batch:
        batch.add_column(sa.Column('chain_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column('link', sa.LargeBinary(), nullable=True))
        batch.create_unique_constraint(batch.f('uq_audit_events_chain_id'), ['chain_id', 'seq'])
    op.create_table(
        'journal_heads',
        sa.Column('chain_id', sa.String(length=32), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('link', sa.LargeBinary(), nullable=False),
        sa.Column('signed_seq', sa.BigInteger(), nullable=False),
        sa.Column('signed_head', sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint('chain_id', name=op.f('pk_journal_heads')),
    )


def downgrade() -> None:
    op.drop_table('journal_heads')
    with op.batch_alter_table('audit_events') as batch:
        batch.drop_constraint(batch.f('uq_audit_events_chain_id'), type_='unique')
        batch.drop_column('link')
        batch.drop_column('seq')
        batch.drop_column('chain_id')
