"""Privacy: relatives, consent history, family links, the access-log hash chain and its checkpoints

Revision ID: 0003_privacy
Revises: 0002_alert_workflow

Entries written before this revision have no MAC yet; the first entry appended afterwards seals them
into the chain (the head row starts at entry 0), so an upgraded log verifies from its first entry.
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_privacy'
down_revision = '0002_alert_workflow'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('relatives',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('resident_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('relation', sa.String(length=100), nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('resident_id', 'name', name='uq_relative_name')
    )
    op.create_table('consents',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('resident_id', sa.String(length=64), nullable=False),
    sa.Column('relative_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=40), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('given_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_ms', sa.BigInteger(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index('ix_consents_relative', ['relative_id', 'section', 'id'], unique=False)

    op.create_table('family_links',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('resident_id', sa.String(length=64), nullable=False),
    sa.Column('relative_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('access_log_chain',
    sa.Column('entry_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.Column('detail_sha', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('entry_id')
    )
    head = op.create_table('access_log_head',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('last_entry_id', sa.BigInteger(), nullable=False),
    sa.Column('last_mac', sa.String(length=64), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.bulk_insert(head, [{'name': 'access_log', 'last_entry_id': 0, 'last_mac': '', 'count': 0}])
    op.create_table('access_log_checkpoints',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.Column('entry_id', sa.BigInteger(), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.Column('last_mac', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('exported', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('access_log_checkpoints')
    op.drop_table('access_log_head')
    op.drop_table('access_log_chain')
    op.drop_table('family_links')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index('ix_consents_relative')
    op.drop_table('consents')
    op.drop_table('relatives')
