from __future__ import annotations

from pathlib import Path

import pytest

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
from annotator.storage.repository import ConflictError, Repository

TEXT = "“We will win,” Ryabkov said in Moscow."


def _repo(path: str | Path) -> Repository:
    return Repository(Database(path))


def _annotation(doc_id: int) -> Annotation:
    quote = Span(0, 14, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, QuoteKind.DIRECT, 0.9)
    speaker = Span(15, 22, "SPEAKER", Layer.QUOTES, Origin.ACCEPTED)
    return Annotation(
        document_id=doc_id,
        annotator="alice",
        spans=[quote, speaker, Span(31, 37, "GPE", origin=Origin.MANUAL)],
        relations=[Relation(quote.key, speaker.key, RelationLabel.SPEAKER)],
        status=AnnotationStatus.IN_PROGRESS,
    )


def test_storage_round_trip_in_a_new_session(db_url: str) -> None:
    repo = _repo(db_url)
    doc = Document(TEXT, "a.txt", {"source": "x"}, tokens=tokenize(TEXT))
    (doc_id,), dups = repo.insert_documents([doc])
    assert dups == []
    alice = repo.ensure_annotator("alice")
    saved = repo.put_annotation(_annotation(doc_id), alice)
    assert saved.version == 1
    other = _repo(db_url)  # a separate engine, as another process would have
    loaded = other.load_annotation(doc_id, other.ensure_annotator("alice"))
    assert loaded is not None
    assert sorted(loaded.spans, key=repr) == sorted(_annotation(doc_id).spans, key=repr)
    assert loaded.relations == _annotation(doc_id).relations
    assert loaded.status == AnnotationStatus.IN_PROGRESS
    stored = other.get_document(doc_id)
    assert stored.text == TEXT and stored.tokens == doc.tokens and stored.meta == {"source": "x"}


def test_storage_same_text_is_one_document(db_url: str) -> None:
    repo = _repo(db_url)
    first, _ = repo.insert_documents([Document(TEXT, "a.txt"), Document(TEXT, "b.txt")])
    again, dups = repo.insert_documents([Document(TEXT, "c.txt")])
    assert len(first) == 1 and again == [] and dups == first
    assert repo.count_documents() == 1


def test_storage_save_diff_writes_only_the_change_and_bumps_version(db_url: str) -> None:
    repo = _repo(db_url)
    (doc_id,), _ = repo.insert_documents([Document(TEXT)])
    alice = repo.ensure_annotator("alice")
    saved = repo.put_annotation(_annotation(doc_id), alice)
    quote = saved.spans[0]
    after, _ = ops.accept(quote).apply(saved, TEXT)
    new = repo.save_diff(saved, ops.diff(saved, after), after)
    assert new.version == saved.version + 1
    loaded = repo.load_annotation(doc_id, alice)
    assert loaded is not None
    assert loaded.span_by_key(quote.key).origin == Origin.ACCEPTED  # type: ignore[union-attr]
    assert loaded.speaker_of(quote.key) is not None  # relation survived the span rewrite


def test_storage_concurrent_edit_is_refused_not_overwritten(db_url: str) -> None:
    repo = _repo(db_url)
    (doc_id,), _ = repo.insert_documents([Document(TEXT)])
    alice = repo.ensure_annotator("alice")
    saved = repo.put_annotation(_annotation(doc_id), alice)
    first, _ = ops.AddSpan(Span(23, 27, "CUE", Layer.QUOTES)).apply(saved, TEXT)
    repo.save_diff(saved, ops.diff(saved, first), first)
    stale, _ = ops.RemoveSpan(saved.spans[2].key).apply(saved, TEXT)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        repo.save_diff(saved, ops.diff(saved, stale), stale)
    loaded = repo.load_annotation(doc_id, alice)
    assert loaded is not None and len(loaded.spans) == 4  # the first edit is intact


def test_storage_status_counts_include_documents_without_annotation(db_url: str) -> None:
    repo = _repo(db_url)
    ids, _ = repo.insert_documents([Document(f"Text number {i}.") for i in range(4)])
    alice = repo.ensure_annotator("alice")
    ann = _annotation(ids[0])
    ann.spans, ann.relations, ann.status = [], [], AnnotationStatus.DONE
    repo.put_annotation(ann, alice)
    assert repo.status_counts()["alice"] == {"todo": 3, "in_progress": 0, "done": 1, "skipped": 0}


def test_storage_keyset_pages_equal_offset_pages(db_url: str) -> None:
    repo = _repo(db_url)
    repo.insert_documents([Document(f"Article number {i}.") for i in range(25)])
    alice = repo.ensure_annotator("alice")
    assert alice.id is not None
    by_offset = [r.id for r in repo.list_documents(alice.id, offset=10, limit=7)]
    after = repo.list_documents(alice.id, limit=10)[-1].id
    by_key = [r.id for r in repo.list_documents(alice.id, limit=7, after_id=after)]
    assert by_key == by_offset and len(by_key) == 7
    last = repo.list_documents(alice.id, limit=100)[-1].id
    assert repo.list_documents(alice.id, after_id=last) == []


def test_storage_search_finds_words_in_text_title_and_file_name(db_url: str) -> None:
    repo = _repo(db_url)
    repo.insert_documents(
        [
            Document("Kyiv talks\nRyabkov said the talks in Moscow went well.", "a.txt"),
            Document("Weather\nRain over Paris all week.", "paris-weather.txt"),
            Document("Markets\nShares in Zürich rose.", "c.txt"),
        ]
    )
    alice = repo.ensure_annotator("alice")
    assert alice.id is not None

    def found(query: str) -> list[str]:
        rows = repo.list_documents(alice.id or 0, search=query)
        assert repo.count_list(alice.id or 0, search=query) == len(rows)
        return [r.external_id for r in rows]

    for indexed in (False, True):  # before the indexing pass (a scan), then by the index
        if indexed and repo.db.is_sqlite:  # other servers search by ILIKE: no index pass
            assert repo.index_for_search(batch=2) == (2, 1)
            assert repo.index_for_search(batch=2) == (1, 0)
            assert repo.index_for_search(batch=2) == (0, 0)
        elif indexed:
            assert repo.index_for_search(batch=2) == (0, 0)
        _search_cases(found)


def _search_cases(found) -> None:  # type: ignore[no-untyped-def]
    assert found("ryabkov") == ["a.txt"]  # case-insensitive
    assert found("Mosc") == ["a.txt"]  # word prefix
    assert found("talks in moscow") == ["a.txt"]  # a phrase
    assert found("moscow talks") == []
    assert found("weather") == ["paris-weather.txt"]
    assert found("zurich") == ["c.txt"] or found("Zürich") == ["c.txt"]
    assert found("nothing-like-this") == []
