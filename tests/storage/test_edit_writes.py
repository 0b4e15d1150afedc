"""An edit writes what it changed and no more: a change on the same characters (accept,
relabel, a quote's kind) is one UPDATE of the span row, its relations untouched."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Document,
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
)
from annotator.core import operations as ops
from annotator.nlp.tokenize import tokenize
from annotator.storage import Database
from annotator.storage.repository import Repository

TEXT = "“We will win,” Ryabkov said in Moscow."


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement.split()[0].upper() + " " + _table(statement))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _table(statement: str) -> str:
    words = statement.replace('"', "").split()
    for marker in ("INTO", "UPDATE", "FROM"):
        if marker in words:
            return words[words.index(marker) + 1]
    return ""


def _setup(db_url: str) -> tuple[Database, Repository, Annotation]:
    db = Database(db_url)
    repo = Repository(db)
    (doc_id,), _ = repo.insert_documents([Document(TEXT, tokens=tokenize(TEXT))])
    quote = Span(0, 14, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, QuoteKind.DIRECT, 0.9)
    speaker = Span(15, 22, "SPEAKER", Layer.QUOTES, Origin.SUGGESTED, confidence=0.8)
    ann = Annotation(
        document_id=doc_id,
        annotator="alice",
        spans=[quote, speaker, Span(31, 37, "GPE", origin=Origin.SUGGESTED)],
        relations=[Relation(quote.key, speaker.key, RelationLabel.SPEAKER)],
        status=AnnotationStatus.IN_PROGRESS,
    )
    saved = repo.put_annotation(ann, repo.ensure_annotator("alice"))
    return db, repo, saved


def _save(repo: Repository, before: Annotation, op: ops.Operation) -> Annotation:
    after, _inverse = op.apply(before, TEXT)
    return repo.save_diff(before, ops.diff(before, after), after)


def test_storage_accept_is_one_update_of_the_span_row(db_url: str) -> None:
    db, repo, saved = _setup(db_url)
    speaker = saved.spans[1]
    with _statements(db) as seen:
        after = _save(repo, saved, ops.accept(speaker))
    writes = [s for s in seen if not s.startswith(("SELECT", "BEGIN", "COMMIT", "PRAGMA"))]
    assert writes == ["UPDATE annotations", "UPDATE spans"], writes
    loaded = repo.load_annotation(saved.document_id or 0, repo.ensure_annotator("alice"))
    assert loaded is not None and loaded.version == after.version == 2
    assert {s.key: s for s in loaded.spans} == {s.key: s for s in after.spans}
    assert loaded.relations == after.relations  # the speaker link survived untouched
    db.dispose()


def test_storage_relabel_updates_in_place_and_keeps_links(db_url: str) -> None:
    db, repo, saved = _setup(db_url)
    speaker = saved.spans[1]
    with _statements(db) as seen:
        after = _save(repo, saved, ops.relabel(speaker, "CUE", Layer.QUOTES))
    writes = [s for s in seen if not s.startswith(("SELECT", "BEGIN", "COMMIT", "PRAGMA"))]
    assert "DELETE spans" not in writes and "INSERT spans" not in writes, writes
    loaded = repo.load_annotation(saved.document_id or 0, repo.ensure_annotator("alice"))
    assert loaded is not None
    assert {s.key: s for s in loaded.spans} == {s.key: s for s in after.spans}
    assert sorted(loaded.relations, key=repr) == sorted(after.relations, key=repr)
    db.dispose()


def test_storage_resize_and_remove_still_write_exactly(db_url: str) -> None:
    db, repo, saved = _setup(db_url)
    gpe = saved.spans[2]
    after = _save(repo, saved, ops.resize(gpe, 28, 37))  # "in Moscow"
    after = _save(repo, after, ops.remove_quote(after, saved.spans[0].key, description="reject"))
    loaded = repo.load_annotation(saved.document_id or 0, repo.ensure_annotator("alice"))
    assert loaded is not None and loaded.version == 3
    assert {s.key: s for s in loaded.spans} == {s.key: s for s in after.spans}
    assert sorted(loaded.relations, key=repr) == sorted(after.relations, key=repr)
    assert loaded.rejected == after.rejected
    db.dispose()


def test_storage_links_survive_when_their_other_end_is_rewritten(db_url: str) -> None:
    """Two spans on the speaker's words (PERSON and SPEAKER), one removed and one
    accepted with its quote in one step: the speaker row is deleted and inserted again,
    so its link is written again even though the quote changed in place."""
    db, repo, saved = _setup(db_url)
    quote, speaker = saved.spans[0], saved.spans[1]
    person = Span(speaker.start, speaker.end, "PERSON", origin=Origin.SUGGESTED)
    with_person = _save(repo, saved, ops.AddSpan(person))
    step = ops.Batch(
        (ops.accept(quote), ops.accept(speaker), ops.RemoveSpan(person.key)),
        description="finish",
    )
    after = _save(repo, with_person, step)
    loaded = repo.load_annotation(saved.document_id or 0, repo.ensure_annotator("alice"))
    assert loaded is not None
    assert {s.key: s for s in loaded.spans} == {s.key: s for s in after.spans}
    assert sorted(loaded.relations, key=repr) == sorted(after.relations, key=repr)
    assert loaded.relations, "the quote keeps its speaker"
    db.dispose()
