"""Commissioning: one row per saved commissioning record of a home (a versioned JSON document)

Revision ID: 0004_commissioning
Revises: 0003_privacy
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_commissioning'
down_revision = '0003_privacy'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('commissioning_records',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('home_id', sa.String(length=64), nullable=False),
    sa.Column('resident_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('installer', sa.String(length=200), nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.Column('completed_ms', sa.BigInteger(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('home_id', 'version', name='uq_commissioning_home_version')
    )
    with op.batch_alter_table('commissioning_records', schema=None) as batch_op:
        batch_op.create_index('ix_commissioning_resident', ['resident_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('commissioning_records', schema=None) as batch_op:
        batch_op.drop_index('ix_commissioning_resident')
    op.drop_table('commissioning_records')
