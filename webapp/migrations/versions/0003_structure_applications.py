"""structure applications, review key, deletion requests

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 03:02:27.262497
"""
from alembic import op
import sqlalchemy as sa
import webapp.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('review_keys',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('record', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_review_keys'))
    )
    op.create_table('deletion_requests',
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('structure_id', sa.String(length=32), nullable=False),
    sa.Column('requested_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_deletion_requests_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_deletion_requests_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'structure_id', name=op.f('pk_deletion_requests'))
    )
    op.create_table('review_key_wraps',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('blob', sa.LargeBinary(), nullable=False),
    sa.Column('signer_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_review_key_wraps_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version'], ['review_keys.version'], name=op.f('fk_review_key_wraps_version_review_keys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version', 'account_id', name=op.f('pk_review_key_wraps'))
    )
    op.create_table('structure_applications',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('siret', sa.String(length=14), nullable=False),
    sa.Column('referent_first_name', sa.String(length=100), nullable=False),
    sa.Column('referent_last_name', sa.String(length=100), nullable=False),
    sa.Column('referent_position', sa.String(length=100), nullable=False),
    sa.Column('referent_email', sa.String(length=254), nullable=False),
    sa.Column('referent_phone', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('review_version', sa.Integer(), nullable=False),
    sa.Column('sealer_verify_key', sa.LargeBinary(), nullable=False),
    sa.Column('submitted_at', webapp.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', webapp.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=32), nullable=True),
    sa.Column('structure_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_structure_applications_structure_id_structures'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_structure_applications'))
    )
    op.create_table('application_documents',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('application_id', sa.String(length=32), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('blob_name', sa.String(length=200), nullable=False),
    sa.Column('meta', sa.LargeBinary(), nullable=False),
    sa.Column('key_wrap', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['structure_applications.id'], name=op.f('fk_application_documents_application_id_structure_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_documents'))
    )
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_documents_application_id'), ['application_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_documents_application_id'))

    op.drop_table('application_documents')
    op.drop_table('structure_applications')
    op.drop_table('review_key_wraps')
    op.drop_table('deletion_requests')
    op.drop_table('review_keys')
