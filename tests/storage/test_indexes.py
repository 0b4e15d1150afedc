"""The large-project queries use indexes (checked on the query plan), and the PG
schema quotes the reserved column name ``end``."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql

from annotator.core import Document
from annotator.storage import Database
from annotator.storage.models import SpanRow
from annotator.storage.repository import Repository


def _plan(db: Database, sql: str) -> str:
    prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN "
    with db.engine.connect() as conn:
        if not db.is_sqlite:
            conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: ask for the index
        rows = conn.exec_driver_sql(prefix + sql).all()
    return "\n".join(str(r[-1]) for r in rows)


def test_storage_list_and_export_queries_use_indexes(db_url: str) -> None:
    db = Database(db_url)
    repo = Repository(db)
    repo.insert_documents([Document(f"Text {i}.") for i in range(30)])
    plan = _plan(
        db,
        "SELECT id FROM annotations WHERE annotator_id = 1 AND document_id > 5 "
        "ORDER BY document_id LIMIT 500",
    )
    assert "ix_annotations_annotator_document" in plan, plan
    plan = _plan(db, "SELECT id FROM documents WHERE tokens IS NULL ORDER BY id LIMIT 1000")
    assert "ix_documents_untokenized" in plan, plan
    plan = _plan(db, "SELECT id FROM documents WHERE sha256 = 'x'")
    assert "sha256" in plan or "uq_documents_sha256" in plan, plan
    assert repo.ids_without_tokens() == list(range(1, 31))
    db.dispose()


def test_storage_end_column_is_quoted_for_postgresql() -> None:
    sql = str(insert(SpanRow).compile(dialect=postgresql.dialect()))
    assert '"end"' in sql
