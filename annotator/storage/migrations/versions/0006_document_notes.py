"""Notes on documents: each annotator may leave one note per document ("unclear speaker
in para 3"), optionally flagged so reviewers look at it.

Keyed by (document, annotator): reviewers read every annotator's note of one document
through the primary key; ``ix_document_notes_annotator`` serves one annotator's notes
in document order (their flagged documents).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_notes",
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "annotator_id",
            sa.Integer(),
            sa.ForeignKey("annotators.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False, server_default=""),
        sa.Column("flagged", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("document_id", "annotator_id", name="pk_document_notes"),
    )
    op.create_index(
        "ix_document_notes_annotator", "document_notes", ["annotator_id", "document_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_document_notes_annotator", table_name="document_notes")
    op.drop_table("document_notes")
