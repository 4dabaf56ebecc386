"""time rules: the activity and notice dates of R16b and R16c, and in-app notices

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 07:45:00
"""
from alembic import op
import sqlalchemy as sa

import webapp.db


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_professional_activity_at', webapp.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('inactivity_notice_at', webapp.db.UtcDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('affiliations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idle_notice_at', webapp.db.UtcDateTime(timezone=True), nullable=True))
    # An active affiliation that never saw its Relais act counts from its grant (or its start), as new
    # ones do; an account, from the latest activity of any of its Relais, ended ones included.
    op.execute("UPDATE affiliations SET last_professional_activity_at = COALESCE(confirmed_at, started_at) "
               "WHERE status = 'active' AND last_professional_activity_at IS NULL")
    op.execute("UPDATE accounts SET last_professional_activity_at = (SELECT MAX(affiliations.last_professional_activity_at) "
               "FROM affiliations WHERE affiliations.beneficiary_id = accounts.id) WHERE role = 'beneficiary'")
    op.create_table(
        'notices',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('account_id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('structure_id', sa.String(length=32), nullable=True),
        sa.Column('beneficiary_id', sa.String(length=32), nullable=True),
        sa.Column('on_day', sa.Date(), nullable=False),
        sa.Column('created_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('dismissed_at', webapp.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_notices_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['beneficiary_id'], ['accounts.id'], name=op.f('fk_notices_beneficiary_id_accounts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_notices_structure_id_structures'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    )
    op.create_index('ix_notices_account_id_dismissed_at', 'notices', ['account_id', 'dismissed_at'])


def downgrade() -> None:
    op.drop_index('ix_notices_account_id_dismissed_at', table_name='notices')
    op.drop_table('notices')
    with op.batch_alter_table('affiliations', schema=None) as batch_op:
        batch_op.drop_column('idle_notice_at')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('inactivity_notice_at')
        batch_op.drop_column('last_professional_activity_at')
