"""Indexes for the queries that filter and sort large projects.

- annotations (annotator_id, document_id): one annotator's annotations in document
  order (export, agreement, iter_annotations) without sorting the whole table.
- documents (id) WHERE tokens IS NULL: the documents still to tokenize, found without
  reading every article's text.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_annotations_annotator_document", "annotations", ["annotator_id", "document_id"]
    )
    op.create_index(
        "ix_documents_untokenized",
        "documents",
        ["id"],
        sqlite_where=sa.text("tokens IS NULL"),
        postgresql_where=sa.text("tokens IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_documents_untokenized", table_name="documents")
    op.drop_index("ix_annotations_annotator_document", table_name="annotations")
