"""Alembic environment: run with a connection handed over by ``Database.upgrade``."""

from __future__ import annotations

from alembic import context

from annotator.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when run as `alembic` by hand
    raise RuntimeError("Run migrations through `annotator db upgrade`.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
