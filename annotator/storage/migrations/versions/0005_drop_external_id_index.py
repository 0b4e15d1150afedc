"""Drop the index on documents.external_id: nothing looks documents up by it (the list
searches it with LIKE '%…%', which no B-tree serves), and keeping it cost every import.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_documents_external_id", table_name="documents")


def downgrade() -> None:
    op.create_index("ix_documents_external_id", "documents", ["external_id"])
