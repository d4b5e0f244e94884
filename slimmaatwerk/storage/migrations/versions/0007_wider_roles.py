"""Wider users.role: a combined role list such as the first user's "admin,coordinator,installer" is
longer than 20 characters, which PostgreSQL refused (SQLite never checked)

Revision ID: 0007_wider_roles
Revises: 0006_daily_features
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_wider_roles'
down_revision = '0006_daily_features'
branch_labels = None
depends_on = None


def _sqlite_retype(length: int) -> None:
    # SQLite ignores the length, but the declared type should match the code. A batch rebuild of the
    # table would drop "users", which user_scope refers to with foreign keys on: add, copy, drop, rename.
    op.execute(f"ALTER TABLE users ADD COLUMN role_new VARCHAR({length}) NOT NULL DEFAULT ''")
    op.execute("UPDATE users SET role_new = role")
    op.execute("ALTER TABLE users DROP COLUMN role")
    op.execute("ALTER TABLE users RENAME COLUMN role_new TO role")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_retype(100)
    else:
        op.alter_column('users', 'role', type_=sa.String(length=100), existing_type=sa.String(length=20),
                        existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_retype(20)
    else:
        op.alter_column('users', 'role', type_=sa.String(length=20), existing_type=sa.String(length=100),
                        existing_nullable=False)
