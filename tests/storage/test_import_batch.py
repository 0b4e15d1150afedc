"""Batched document import: every document gets the id of the row holding its text."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from annotator.core import Document, Token
from annotator.storage import Database
from annotator.storage.repository import Repository


def _docs(prefix: str, n: int) -> list[Document]:
    return [Document(f"{prefix} article {i}.\nBody {i}.", f"{prefix}-{i}") for i in range(n)]


def test_storage_import_batch_ids_name_their_texts(db_url: str) -> None:
    repo = Repository(Database(db_url))
    old = _docs("old", 30)
    repo.import_batch(old, [])
    meta = {"source": "wire", "tags": ["é", 1], "none": None}
    fresh = _docs("new", 40)
    fresh[3] = Document("With meta and tokens.", "m", meta=meta, tokens=[Token(0, 4, True)])
    # new texts, texts stored before, and a text twice in the same batch, interleaved
    batch = [d for pair in zip(fresh, _docs("old", 30), strict=False) for d in pair]
    batch += [*fresh[30:], Document(fresh[0].text, "again")]
    new_ids, dup_ids = repo.import_batch(batch, [])
    assert len(new_ids) == 40 and len(set(new_ids)) == 40
    assert len(dup_ids) == 31
    assert set(dup_ids) == {d.id for d in old} | {fresh[0].id}
    for doc in batch:
        stored = repo.get_document(doc.id or 0)
        assert stored.text == doc.text
        assert stored.sha256 == doc.sha256
    got = repo.get_document(fresh[3].id or 0)
    assert got.meta == meta and got.external_id == "m" and got.title == "With meta and tokens."
    assert got.tokens == [Token(0, 4, True)]
    with repo.db.session() as s:
        stamps = s.execute(text("SELECT DISTINCT created_at FROM documents")).scalars().all()
    assert len(stamps) == 2 and all(stamps)  # one time-stamp per batch
    assert repo.count_documents() == 70


def test_storage_import_batch_all_duplicates_adds_nothing(db_url: str) -> None:
    repo = Repository(Database(db_url))
    first = _docs("a", 12)
    ids, _ = repo.import_batch(first, [])
    again = _docs("a", 12)
    new_ids, dup_ids = repo.import_batch(again, [])
    assert new_ids == [] and dup_ids == ids
    assert repo.count_documents() == 12


def test_storage_search_index_counts_what_is_left_across_gaps(tmp_path: Path) -> None:
    repo = Repository(Database(tmp_path / "p.db"))
    ids, _ = repo.import_batch(_docs("doc", 10), [])
    with repo.db.write_engine.begin() as conn:  # ids with holes, as after deletions
        conn.execute(text("DELETE FROM documents WHERE id IN (:a, :b)"), {"a": ids[4], "b": ids[8]})
    assert repo.index_for_search(batch=3) == (3, 5)
    assert repo.index_for_search(batch=3) == (3, 2)
    assert repo.index_for_search(batch=3) == (2, 0)
    assert repo.index_for_search(batch=3) == (0, 0)
