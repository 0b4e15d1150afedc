"""Tokens stored after a document's spans are split at those spans (set_tokens), and
an import's spans split tokens already stored (fit_stored_tokens): no stored span ever
starts or ends inside a stored token."""

from __future__ import annotations

from pathlib import Path

from annotator.core import Annotation, Document, Layer, Origin, QuoteKind, Span, SpanKey, Token
from annotator.storage import Database
from annotator.storage.repository import Repository

TEXT = "Talks on U.S.-Russia ties resumed."
US, RUSSIA = (9, 13), (14, 20)
# the tokens a tokenizer makes: "U.S.-Russia" is one token
WHOLE = [Token(0, 5, True), Token(6, 8, True), Token(9, 20, True), Token(21, 25, True),
         Token(26, 33, False), Token(33, 34, False)]  # fmt: skip


def _repo_with_spans(tmp_path: Path) -> tuple[Repository, int]:
    repo = Repository(Database(tmp_path / "p.db"))
    doc = Document(TEXT, "d1")
    ann = Annotation(None, "alice", spans=[Span(*US, "GPE"), Span(*RUSSIA, "GPE")])
    ann.rejected = {SpanKey(0, 3, "ORG", "ents")}  # a rejected suggestion inside "Talks"
    repo.import_batch([doc], [(0, ann)])
    assert doc.id is not None
    assert repo.get_document(doc.id).tokens is None
    return repo, doc.id


def _words(repo: Repository, doc_id: int) -> list[str]:
    return [TEXT[t.start : t.end] for t in repo.get_document(doc_id).tokens or []]


def test_set_tokens_splits_at_stored_spans_and_returns_what_it_stored(tmp_path: Path) -> None:
    repo, doc_id = _repo_with_spans(tmp_path)
    stored = repo.set_tokens([(doc_id, list(WHOLE))])
    words = ["Tal", "ks", "on", "U.S.", "-", "Russia", "ties", "resumed", "."]
    assert [TEXT[t.start : t.end] for t in stored[doc_id]] == words
    assert _words(repo, doc_id) == words
    assert repo.get_document(doc_id).tokens == stored[doc_id]
    # a reopened file reads the same
    again = Repository(Database(tmp_path / "p.db"))
    assert [TEXT[t.start : t.end] for t in again.get_document(doc_id).tokens or []] == words


def test_set_tokens_of_a_document_without_spans_is_stored_as_given(tmp_path: Path) -> None:
    repo = Repository(Database(tmp_path / "p.db"))
    doc = Document(TEXT, "d1")
    repo.import_batch([doc], [])
    assert doc.id is not None
    assert repo.set_tokens([(doc.id, list(WHOLE))]) == {doc.id: WHOLE}
    assert repo.get_document(doc.id).tokens == WHOLE


def test_fit_stored_tokens_splits_stored_tokens_at_new_offsets(tmp_path: Path) -> None:
    repo = Repository(Database(tmp_path / "p.db"))
    doc = Document(TEXT, "d1", tokens=list(WHOLE))
    repo.import_batch([doc], [])
    assert doc.id is not None
    assert repo.fit_stored_tokens({doc.id: [*US, *RUSSIA]}) == 1
    assert _words(repo, doc.id) == ["Talks", "on", "U.S.", "-", "Russia", "ties", "resumed", "."]
    assert repo.fit_stored_tokens({doc.id: [*US]}) == 0  # already a boundary
    bare = Document("No tokens here.", "d2")
    repo.import_batch([bare], [])
    assert bare.id is not None
    assert repo.fit_stored_tokens({bare.id: [3]}) == 0
    assert repo.get_document(bare.id).tokens is None


def test_import_batch_stores_span_values_as_the_columns_would(tmp_path: Path) -> None:
    """The bulk path writes span rows without the bind processors: a confidence given
    as an integer is still stored as a float, kinds and origins by their names."""
    repo = Repository(Database(tmp_path / "p.db"))
    quote = Span(0, 33, "QUOTE", Layer.QUOTES, Origin.EDITED, QuoteKind.MIXED, 1)  # type: ignore[arg-type]
    ent = Span(*US, "GPE", Layer.ENTS, Origin.SUGGESTED, None, 0.25)
    doc = Document(TEXT, "d1")
    repo.import_batch([doc], [(0, Annotation(None, "alice", spans=[quote, ent]))])
    who = repo.annotator("alice")
    assert who is not None and doc.id is not None
    stored = repo.load_annotation(doc.id, who)
    assert stored is not None
    got = {s.key: s for s in stored.spans}
    assert got[quote.key].kind == QuoteKind.MIXED and got[quote.key].origin == Origin.EDITED
    assert got[quote.key].confidence == 1.0 and type(got[quote.key].confidence) is float
    assert got[ent.key].origin == Origin.SUGGESTED and got[ent.key].confidence == 0.25
    assert got[ent.key].kind is None
