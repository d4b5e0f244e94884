"""Daily features: the aggregates the engine keeps, so the nightly job reads no old raw events

Revision ID: 0006_daily_features
Revises: 0005_team_district
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_daily_features'
down_revision = '0005_team_district'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('daily_features',
    sa.Column('resident_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('inputs_key', sa.String(length=64), nullable=False),
    sa.Column('computed_ms', sa.BigInteger(), nullable=False),
    sa.Column('features', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('resident_id', 'day')
    )


def downgrade() -> None:
    op.drop_table('daily_features')
