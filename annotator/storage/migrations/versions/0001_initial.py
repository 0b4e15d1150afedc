"""Initial schema: documents, annotators, annotations, spans, relations, rejections, assignments.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("external_id", sa.String(500), nullable=False, server_default=""),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False, server_default=""),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("tokens", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_external_id", "documents", ["external_id"])
    op.create_table(
        "annotators",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False, server_default="human"),
        sa.Column("role", sa.String(20), nullable=False, server_default="annotator"),
        sa.UniqueConstraint("name", name="uq_annotators_name"),
    )
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), primary_key=True),
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
        sa.Column("status", sa.String(20), nullable=False, server_default="todo"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("flagged", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("n_spans", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("document_id", "annotator_id", name="uq_annotation_doc_annotator"),
    )
    op.create_index(
        "ix_annotations_annotator_status", "annotations", ["annotator_id", "status", "document_id"]
    )
    op.create_table(
        "spans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "annotation_id",
            sa.Integer(),
            sa.ForeignKey("annotations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("layer", sa.String(20), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.UniqueConstraint("annotation_id", "start", "end", "label", "layer", name="uq_span_key"),
    )
    op.create_index("ix_spans_annotation_id", "spans", ["annotation_id"])
    op.create_table(
        "relations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "annotation_id",
            sa.Integer(),
            sa.ForeignKey("annotations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "head_id", sa.Integer(), sa.ForeignKey("spans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "child_id", sa.Integer(), sa.ForeignKey("spans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("label", sa.String(20), nullable=False),
    )
    op.create_index("ix_relations_annotation_id", "relations", ["annotation_id"])
    op.create_index("ix_relations_head_id", "relations", ["head_id"])
    op.create_index("ix_relations_child_id", "relations", ["child_id"])
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "annotation_id",
            sa.Integer(),
            sa.ForeignKey("annotations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("layer", sa.String(20), nullable=False),
        sa.UniqueConstraint("annotation_id", "start", "end", "label", "layer", name="uq_rejection"),
    )
    op.create_index("ix_rejections_annotation_id", "rejections", ["annotation_id"])
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
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
        sa.UniqueConstraint("document_id", "annotator_id", name="uq_assignment"),
    )
    op.create_index("ix_assignments_annotator", "assignments", ["annotator_id", "document_id"])


def downgrade() -> None:
    for table in (
        "assignments",
        "rejections",
        "relations",
        "spans",
        "annotations",
        "annotators",
        "documents",
        "settings",
    ):
        op.drop_table(table)
