"""Project settings: language and label scheme recorded in the database.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))


def upgrade() -> None:
    conn = op.get_bind()
    have = {row[0] for row in conn.execute(sa.select(_settings.c.key))}
    if "language" not in have:
        op.bulk_insert(_settings, [{"key": "language", "value": "en"}])


def downgrade() -> None:
    op.execute(_settings.delete().where(_settings.c.key == "language"))
