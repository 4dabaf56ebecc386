"""beneficiaries created by professionals, affiliation workflow

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 09:00:00
"""
from alembic import op
import sqlalchemy as sa
import webapp.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=220), nullable=True))
        batch_op.add_column(sa.Column('secret_question', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_people_name_key_birth_date', ['name_key', 'birth_date'], unique=False)

    with op.batch_alter_table('affiliations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_by', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', webapp.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ended_by', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('affiliations', schema=None) as batch_op:
        batch_op.drop_column('ended_by')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('confirmed_by')
        batch_op.drop_column('started_by')

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_name_key_birth_date')
        batch_op.drop_column('secret_question')
        batch_op.drop_column('name_key')
