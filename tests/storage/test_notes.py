"""Document notes (text + flag per document and annotator): stored and read back on every
backend, and the 0006 migration adds the table to an older project keeping its data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from annotator.core import Document
from annotator.core.notes import DocumentNote
from annotator.storage import Database, StorageError
from annotator.storage.checks import check_database
from annotator.storage.engine import _alembic_config, to_url
from annotator.storage.repository import Repository


def _repo_with(db_url: str, n_docs: int = 3) -> tuple[Database, Repository, list[int]]:
    db = Database(db_url)
    repo = Repository(db)
    ids, _ = repo.insert_documents([Document(f"Article number {i}.") for i in range(n_docs)])
    return db, repo, ids


def test_storage_note_round_trip(db_url: str) -> None:
    db, repo, (d1, d2, d3) = _repo_with(db_url)
    alice = repo.ensure_annotator("alice")
    bob = repo.ensure_annotator("bob")
    assert alice.id is not None and bob.id is not None
    assert repo.notes.get(d1, alice.id) is None
    assert repo.notes.for_document(d1) == []

    stamp = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    text_ = "Unclear speaker in para 3 — “he” or Ryabkov? 😀"
    assert repo.notes.put(d1, alice.id, text_, True, stamp=stamp) == stamp
    assert repo.notes.get(d1, alice.id) == DocumentNote(d1, "alice", text_, True, stamp)

    # The same key again replaces it: one note per document and annotator.
    repo.notes.put(d1, alice.id, "Speaker is Ryabkov after all.", False)
    again = repo.notes.get(d1, alice.id)
    assert again is not None and again.text == "Speaker is Ryabkov after all."
    assert again.flagged is False and again.updated_at is not None and again.updated_at > stamp
    assert again.updated_at.tzinfo is not None  # aware UTC on SQLite too

    repo.notes.put(d1, bob.id, "Needs a second look.", True)
    repo.notes.put(d3, alice.id, "Flag only", True)
    repo.notes.put(d2, bob.id, "Just a remark", False)
    # Reviewers see everyone's, flagged first.
    assert [(n.annotator, n.flagged) for n in repo.notes.for_document(d1)] == [
        ("bob", True),
        ("alice", False),
    ]
    assert repo.notes.count_flagged_documents() == 2
    assert repo.notes.flagged_document_ids() == [d1, d3]
    assert repo.notes.flagged_document_ids(alice.id) == [d3]

    assert repo.notes.delete(d1, bob.id) is True
    assert repo.notes.delete(d1, bob.id) is False
    assert repo.notes.count_flagged_documents() == 1
    db.dispose()


def test_storage_note_keeps_a_long_text_exactly(db_url: str) -> None:
    db, repo, (d1, *_rest) = _repo_with(db_url)
    alice = repo.ensure_annotator("alice")
    assert alice.id is not None
    long_text = ("Line with ‘quotes’ and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.\n" * 60)[:2000]
    repo.notes.put(d1, alice.id, long_text, False)
    found = repo.notes.get(d1, alice.id)
    assert found is not None and found.text == long_text
    db.dispose()


def test_storage_note_on_missing_document_is_refused(db_url: str) -> None:
    db, repo, _ids = _repo_with(db_url, n_docs=1)
    alice = repo.ensure_annotator("alice")
    assert alice.id is not None
    with pytest.raises(StorageError, match="No document with id 999") as err:
        repo.notes.put(999, alice.id, "orphan", True)
    assert err.value.code == "E202"
    assert repo.notes.count_flagged_documents() == 0
    db.dispose()


def test_storage_notes_go_with_their_document(db_url: str) -> None:
    db, repo, (d1, d2, _d3) = _repo_with(db_url)
    alice = repo.ensure_annotator("alice")
    assert alice.id is not None
    repo.notes.put(d1, alice.id, "gone soon", True)
    repo.notes.put(d2, alice.id, "stays", True)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM documents WHERE id = :d"), {"d": d1})
    assert repo.notes.flagged_document_ids() == [d2]
    report = check_database(db)
    assert report.ok, report.problems
    db.dispose()


def test_storage_upgrade_from_0005_adds_notes_and_keeps_data(db_url: str) -> None:
    engine = create_engine(to_url(db_url))
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        conn.execute(
            text(
                "insert into documents (external_id, sha256, text, title, meta, created_at) "
                "values ('a.txt', 'abc', 'Some text', 'Some text', '{}', '2026-01-01')"
            )
        )
        conn.execute(text("insert into annotators (name) values ('alice')"))
    with engine.connect() as conn:
        assert "document_notes" not in inspect(conn).get_table_names()
    engine.dispose()

    db = Database(db_url)  # opening an older project upgrades it
    assert db.current_revision() == Database.head_revision()
    repo = Repository(db)
    with db.engine.connect() as conn:
        assert conn.execute(text("select text from documents")).scalar() == "Some text"
        assert "document_notes" in inspect(conn).get_table_names()
        columns = {c["name"]: c for c in inspect(conn).get_columns("document_notes")}
    assert set(columns) == {"document_id", "annotator_id", "text", "flagged", "updated_at"}
    alice = repo.annotator("alice")
    assert alice is not None and alice.id is not None
    doc_id = repo.document_ids()[0]
    repo.notes.put(doc_id, alice.id, "after the upgrade", True)
    assert repo.notes.for_document(doc_id)[0].text == "after the upgrade"
    # A row written by hand, as an older tool would, takes the schema's defaults.
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "insert into document_notes (document_id, annotator_id, updated_at) "
                "values (:d, :a, '2026-12-01 00:00:00')"
            ),
            {"d": doc_id, "a": repo.ensure_annotator("bob").id},
        )
    bob_note = repo.notes.get(doc_id, repo.ensure_annotator("bob").id or 0)
    assert bob_note is not None and bob_note.text == "" and bob_note.flagged is False
    db.dispose()

    # And back: downgrading to 0005 drops only the notes.
    engine = create_engine(to_url(db_url))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    with engine.connect() as conn:
        assert "document_notes" not in inspect(conn).get_table_names()
        assert conn.execute(text("select count(*) from documents")).scalar() == 1
    engine.dispose()
