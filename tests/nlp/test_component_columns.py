"""The quote component's shortcuts: paragraph breaks from the whitespace column,
per-document columns (quotes_arrays) and lemmas made only where the rules read them."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from annotator.nlp.quotes_arrays import DocArrays, arrays_of, doc_session, session_of
from annotator.nlp.quotes_common import paragraph_ids
from annotator.nlp.quotes_component import BREAKS, COMPONENT, lemmatize_cue_tokens, paragraph_breaks
from tests.nlp.conftest import MODEL, needs_model

TEXTS = [
    "Headline here\r\nBody starts. Then more.\r\n\r\nLast one",
    "\n\nStarts with newlines.\nNext line.",
    "One.\n\n\n\nAfter three blank lines.\n",
    "No break at all, just words.",
    "Trailing spaces \n  indented line\n \t\nend",
    "\n",
    "",
]


def _reference_breaks(doc: Doc) -> list[int]:
    """The tokens that must start a sentence: the first non-whitespace token after
    a whitespace token holding a newline (the plain loop over every token)."""
    return [
        i + 1
        for i in range(len(doc) - 1)
        if doc[i].is_space and "\n" in doc[i].text and not doc[i + 1].is_space
    ]


def _reference_paras(doc: Doc) -> list[int]:
    out, para = [], 0
    for tok in doc:
        out.append(para)
        if tok.is_space and "\n" in tok.text:
            para += 1
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_paragraph_breaks_start_sentences_after_newlines(text: str) -> None:
    doc = spacy.blank("en")(text)
    paragraph_breaks(doc)
    starts = [i for i, t in enumerate(doc) if t.is_sent_start and i > 0]
    assert starts == _reference_breaks(doc)


def test_paragraph_breaks_on_crlf_blank_lines_and_leading_newlines() -> None:
    nlp = spacy.blank("en")
    doc = paragraph_breaks(nlp("\n\nTitle\r\n\r\nBody text.\n\n\nMore"))
    firsts = [t.text for t in doc[1:] if t.is_sent_start]  # the first token always starts one
    assert firsts == ["Title", "Body", "More"]
    # a newline inside a whitespace run that ends the text starts nothing
    doc = paragraph_breaks(nlp("Only line\n\n"))
    assert [t.text for t in doc[1:] if t.is_sent_start] == []


@pytest.mark.parametrize("text", TEXTS)
def test_doc_arrays_match_the_tokens(text: str) -> None:
    doc = spacy.blank("en")(text)
    arrays = DocArrays(doc)
    assert arrays.text == doc.text
    assert arrays.texts == [t.text for t in doc]
    assert arrays.idx == [t.idx for t in doc]
    assert arrays.ends == [t.idx + len(t.text) for t in doc]
    assert arrays.is_space == [int(t.is_space) for t in doc]
    assert arrays.is_punct == [int(t.is_punct) for t in doc]
    assert arrays.words == [t.is_alpha or t.like_num for t in doc]
    assert arrays.heads == [t.head.i for t in doc]
    assert arrays.paras == _reference_paras(doc)
    assert paragraph_ids(doc) == _reference_paras(doc)


def test_sessions_share_columns_only_inside_the_block() -> None:
    nlp = spacy.blank("en")
    doc, other = nlp("A b.\nC d."), nlp("E f.")
    assert session_of(doc) is None
    with doc_session(doc) as arrays:
        assert arrays_of(doc) is arrays and session_of(doc) is arrays
        with doc_session(doc) as inner:
            assert inner is arrays  # nested: the same columns
        assert session_of(doc) is arrays
        assert session_of(other) is None and arrays_of(other) is not arrays
    assert session_of(doc) is None
    assert arrays_of(doc) is not arrays  # read afresh outside a session


@needs_model
def test_lemmas_made_by_the_component_are_the_lemmatizers() -> None:
    from annotator.nlp.pipeline import load_suggester

    full = spacy.load(MODEL)
    nlp = load_suggester(MODEL).nlp
    component = nlp.get_pipe(COMPONENT)
    assert "lemmatizer" in nlp.disabled and component.lemmatizer is not None
    assert nlp.pipe_names[0] == BREAKS
    text = (
        "Peskov told reporters that the talks had stalled. The ministry denied it, "
        "saying officials were \u201cworking hard.\u201d She refused to comment."
    )
    want = full(text)
    with nlp.select_pipes(disable=[COMPONENT]):
        got = nlp(text)
    before = [t.lemma for t in got]  # the attribute ruler may have set a few
    lemmatize_cue_tokens(got, component.lemmatizer)
    wanted: set[int] = set()
    for t in got:
        if t.pos_ in ("VERB", "AUX") or t.tag_ in ("VBG", "VBN", "VBD", "VBZ", "VBP"):
            wanted |= {t.i, t.head.i} | {c.i for c in t.children if c.dep_ == "dobj"}
    assert wanted and len(wanted) < len(got)
    for t in got:
        if t.i in wanted:
            assert t.lemma_ == want[t.i].lemma_, t.text
        else:
            assert t.lemma == before[t.i], t.text  # left alone
    # lemmas kept between documents by (orth, pos, morph) give the same lemmas
    cache: dict[object, int] = {}
    with nlp.select_pipes(disable=[COMPONENT]):
        first, again = nlp(text), nlp(text + " He told them so.")
    lemmatize_cue_tokens(first, component.lemmatizer, cache)
    assert cache
    lemmatize_cue_tokens(again, component.lemmatizer, cache)
    for doc in (first, again):
        for t in doc[: len(got)]:
            if t.i in wanted:
                assert t.lemma_ == want[t.i].lemma_, t.text


@needs_model
def test_entity_rows_are_doc_ents() -> None:
    nlp = spacy.load(MODEL)
    doc = nlp("Sergei Ryabkov met Donald Trump in Moscow on Monday.\n\nThe UN said 5 people came.")
    assert DocArrays(doc).ent_rows == [(e.start, e.end, e.label_) for e in doc.ents]
    assert DocArrays(doc).ent_rows  # the test means something
    doc.ents = [doc.char_span(0, 14, label="PERSON")]  # then B/I/O set by hand
    assert DocArrays(doc).ent_rows == [(0, 2, "PERSON")]
    assert DocArrays(spacy.blank("en")("No entities here.")).ent_rows == []
