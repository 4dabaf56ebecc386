"""session epoch: a password recovery ends every open session of the account

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 07:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounts') as batch:
        batch.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('accounts') as batch:
        batch.drop_column('session_epoch')
