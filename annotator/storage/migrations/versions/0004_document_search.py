"""Full-text index of documents (SQLite FTS5), so searching a large corpus is a lookup.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # other databases search with ILIKE (see Repository._list_query)
    # External-content table: the index holds no second copy of the texts. It is
    # filled by a background pass (Repository.index_for_search) rather than a trigger,
    # so importing stays as fast as without it; `search_indexed_upto` says how far it
    # got, and search scans only the documents after that. Texts never change after
    # import, so deletions are all a trigger must follow.
    op.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5("
        "title, text, content='documents', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents "
        "WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM settings "
        "WHERE key = 'search_indexed_upto') BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS documents_fts_delete")
    op.execute("DROP TABLE IF EXISTS documents_fts")
    op.execute("DELETE FROM settings WHERE key = 'search_indexed_upto'")
