"""Reads served from memory while nothing was committed (SQLite's data_version), and
read again as soon as anything was: by this process, another engine, or raw sqlite3."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event

from annotator.core import Annotation, AnnotationStatus, Document, Layer, Origin, Span
from annotator.nlp.tokenize import tokenize
from annotator.storage import Database
from annotator.storage.commit_counter import DataVersion
from annotator.storage.repository import Repository

TEXT = "Maria Lopez met John Smith in Lima."


@contextmanager
def _statements(repo: Repository) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(repo.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(repo.db.engine, "before_cursor_execute", count)


def _setup(path: Path) -> tuple[Repository, int]:
    repo = Repository(Database(path))
    (doc_id,), _ = repo.insert_documents([Document(TEXT, "a", tokens=tokenize(TEXT))])
    alice = repo.ensure_annotator("alice")
    repo.put_annotation(
        Annotation(doc_id, "alice", spans=[Span(0, 11, "PERSON")], status=AnnotationStatus.TODO),
        alice,
    )
    return repo, doc_id


def test_unchanged_reads_run_no_statement(tmp_path: Path) -> None:
    repo, doc_id = _setup(tmp_path / "p.db")
    alice = repo.ensure_annotator("alice")
    repo.set_setting("k", "v1")
    assert repo.get_setting("k") == "v1"
    assert repo.load_annotation(doc_id, alice) is not None
    assert repo.get_document(doc_id).text == TEXT
    assert repo.notes.get(doc_id, alice.id or 0) is None
    with _statements(repo) as seen:
        for _ in range(3):
            assert repo.get_document(doc_id).tokens == tokenize(TEXT)
            assert repo.notes.get(doc_id, alice.id or 0) is None
            assert repo.get_setting("k") == "v1"
            assert repo.get_setting("missing", "d") == "d"
            found = repo.load_annotation(doc_id, alice)
            assert found is not None and [s.label for s in found.spans] == ["PERSON"]
    # only the first "missing" is read, then remembered as missing
    selects = [q for q in seen if q.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and "settings" in selects[0], seen


def test_a_commit_anywhere_is_seen_at_once(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    repo, doc_id = _setup(path)
    alice = repo.ensure_annotator("alice")
    repo.set_setting("k", "v1")
    assert repo.get_setting("k") == "v1"
    first = repo.load_annotation(doc_id, alice)
    assert first is not None and first.version == 1

    # this process, through the same repository
    repo.set_setting("k", "v2")
    assert repo.get_setting("k") == "v2"

    # another engine, as another window would have
    other = Repository(Database(path))
    other.set_setting("k", "v3")
    changed = first.copy()
    changed.spans = [*first.spans, Span(16, 26, "PERSON", Layer.ENTS, Origin.MANUAL)]
    other.put_annotation(changed, other.ensure_annotator("alice"))
    assert repo.get_setting("k") == "v3"
    again = repo.load_annotation(doc_id, alice)
    assert again is not None and len(again.spans) == 2 and again.version == 2
    assert repo.notes.get(doc_id, alice.id or 0) is None
    assert repo.get_document(doc_id).tokens == tokenize(TEXT)
    other.notes.put(doc_id, alice.id or 0, "check Lima", flagged=True)
    other.set_tokens([(doc_id, tokenize(TEXT)[:-1])])  # the last token (".") dropped
    note = repo.notes.get(doc_id, alice.id or 0)
    assert note is not None and note.text == "check Lima" and note.flagged
    assert repo.get_document(doc_id).tokens == tokenize(TEXT)[:-1]

    # another process, with plain sqlite3
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute(\"update settings set value='v4' where key='k'\"); c.commit()"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    assert repo.get_setting("k") == "v4"
    other.db.dispose()
    repo.db.dispose()


def test_without_a_counter_every_read_goes_to_the_database(tmp_path: Path) -> None:
    missing = DataVersion(tmp_path / "nowhere" / "x.db")
    assert missing.current() is None
    assert missing.current() is None  # broken once: not retried

    repo, doc_id = _setup(tmp_path / "p.db")
    repo.db.data_version = missing  # as on PostgreSQL, which has no such counter
    repo.set_setting("k", "v1")
    with _statements(repo) as seen:
        assert repo.get_setting("k") == "v1"
        assert repo.get_setting("k") == "v1"
        assert repo.load_annotation(doc_id, repo.ensure_annotator("alice")) is not None
    assert len(seen) >= 3
