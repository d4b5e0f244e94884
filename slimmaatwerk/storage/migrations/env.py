"""Alembic environment: runs on the engine the program hands over (no alembic.ini, no URL in files)."""

from alembic import context

from slimmaatwerk.storage.schema import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
