"""Team district: a team works in a district (wijk), so the overview can group residents by district

Revision ID: 0005_team_district
Revises: 0004_commissioning
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_team_district'
down_revision = '0004_commissioning'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('district', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('district')
