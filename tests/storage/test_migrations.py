from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from annotator.storage import Database, SchemaTooNewError
from annotator.storage.engine import _alembic_config


def test_storage_new_database_is_created_by_migrations(db_path: Path) -> None:
    db = Database(db_path)
    assert db.current_revision() == Database.head_revision()
    con = sqlite3.connect(db_path)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    assert {"documents", "annotations", "spans", "relations", "rejections"} <= tables
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    con.close()
    db.dispose()


def test_storage_connections_enforce_foreign_keys(db_path: Path) -> None:
    db = Database(db_path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    db.dispose()


def test_storage_older_database_is_upgraded_keeping_data(db_path: Path) -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "insert into documents (external_id, sha256, text, title, meta, created_at) "
                "values ('a.txt', 'abc', 'Some text', 'Some text', '{}', '2026-01-01')"
            )
        )
    engine.dispose()
    db = Database(db_path)
    assert db.current_revision() == Database.head_revision() != "0001"
    with db.engine.connect() as conn:
        assert conn.execute(text("select text from documents")).scalar() == "Some text"
        lang = conn.execute(text("select value from settings where key='language'")).scalar()
        assert lang == "en"
    db.dispose()


def test_storage_newer_schema_is_refused_and_file_untouched(db_path: Path) -> None:
    Database(db_path).dispose()
    con = sqlite3.connect(db_path)
    con.execute("update alembic_version set version_num = '9999_future'")
    con.commit()
    con.execute("pragma wal_checkpoint(TRUNCATE)")
    con.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    with pytest.raises(SchemaTooNewError, match="newer version of the annotator"):
        Database(db_path)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
