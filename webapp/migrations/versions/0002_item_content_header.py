"""item content header

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 22:47:00.035683
"""
from alembic import op
import sqlalchemy as sa
import webapp.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_header', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('content_revision', sa.Integer(), nullable=False, server_default='1'))



def downgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('content_revision')
        batch_op.drop_column('content_header')

