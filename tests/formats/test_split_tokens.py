"""Spans that start or end inside a tokenizer token: the token is split (``snap="split"``)
or the span widened (``snap="expand"``), on spaCy's real tokenization."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from annotator.core import (
    Document,
    Layer,
    Token,
    decode_tokens,
    encode_tokens,
    split_tokens,
    validate_annotation,
)
from annotator.formats.align import AlignmentError, align_record
from annotator.formats.docbin import build_doc
from annotator.formats.doccano import record_from_doccano
from annotator.formats.iob import iob_lines
from annotator.formats.records import ImportRecord
from annotator.nlp.tokenize import tokenize

TEXT = "Talks on U.S.-Russia ties resumed, Lavrov said."
US = (9, 13)  # "U.S."
RUSSIA = (14, 20)  # "Russia"
LAVROV = (35, 41)


def _record(*labels: tuple[int, int, str], text: str = TEXT) -> ImportRecord:
    return record_from_doccano({"text": text, "label": [list(x) for x in labels]}, "mem", 1)


def _words(text: str, tokens: list[Token]) -> list[str]:
    return [text[t.start : t.end] for t in tokens]


def test_the_tokenizer_keeps_the_compound_whole() -> None:
    # what every test below relies on: spaCy makes one token of "U.S.-Russia"
    assert "U.S.-Russia" in _words(TEXT, tokenize(TEXT))


def test_split_tokens_cuts_inside_a_token_only() -> None:
    text = "U.S.-Russia talks"
    tokens = [Token(0, 11, True), Token(12, 17, False)]
    split, n = split_tokens(tokens, [4, 5, 0, 11, 12, 17, 11, 4])
    assert n == 1
    assert split == [Token(0, 4), Token(4, 5), Token(5, 11, True), Token(12, 17)]
    assert _words(text, split) == ["U.S.", "-", "Russia", "talks"]
    # offsets on boundaries, between tokens or past the text change nothing
    same, none = split_tokens(tokens, [0, 11, 12, 17, 40, -3])
    assert (same, none) == (tokens, 0)


def test_split_tokens_survive_storage_encoding() -> None:
    tokens, _ = split_tokens(tokenize(TEXT), [US[1], RUSSIA[0]])
    assert decode_tokens(encode_tokens(tokens), TEXT) == tokens


def test_two_spans_inside_one_token_are_kept_exactly() -> None:
    rec = _record((*US, "GPE"), (*RUSSIA, "GPE"), (*LAVROV, "PERSON"))
    aligned = align_record(rec, tokenize(TEXT), "a")
    spans = sorted((s.start, s.end, s.label) for s in aligned.annotation.spans)
    assert spans == [(*US, "GPE"), (*RUSSIA, "GPE"), (*LAVROV, "PERSON")]
    assert (aligned.split, aligned.snapped) == (1, 0)
    words = _words(TEXT, aligned.tokens)
    assert words[words.index("U.S.") : words.index("U.S.") + 3] == ["U.S.", "-", "Russia"]
    assert "U.S.-Russia" not in words
    # nothing else changed: the tokens differ from the tokenizer's by that one split only
    assert len(aligned.tokens) == len(tokenize(TEXT)) + 2
    validate_annotation(aligned.annotation, TEXT, aligned.tokens)


def test_expand_refuses_two_spans_that_become_one() -> None:
    rec = _record((*US, "GPE"), (*RUSSIA, "GPE"))
    merged = re.escape("snap to the same tokens 9-20 'U.S.-Russia'")
    with pytest.raises(AlignmentError, match=merged):
        align_record(rec, tokenize(TEXT), "a", snap="expand")


def test_expand_widens_one_span_and_keeps_the_tokens() -> None:
    tokens = tokenize(TEXT)
    aligned = align_record(_record((*RUSSIA, "GPE")), tokens, "a", snap="expand")
    assert [(s.start, s.end) for s in aligned.annotation.spans] == [(9, 20)]
    assert (aligned.split, aligned.snapped, aligned.tokens) == (0, 1, tokens)


def test_split_keeps_one_span_and_trims_whitespace_first() -> None:
    # "Russia " is trimmed to "Russia" before the token is split: no piece of
    # whitespace is made, and the span still counts as moved
    text = "Talks on U.S.-Russia ties."
    rec = _record((14, 21, "GPE"), text=text)  # "Russia " with its trailing space
    aligned = align_record(rec, tokenize(text), "a")
    assert [(s.start, s.end) for s in aligned.annotation.spans] == [(14, 20)]
    assert (aligned.split, aligned.snapped) == (1, 1)  # split, and trimmed of the space
    assert "Russia" in _words(text, aligned.tokens)


def test_quote_layer_spans_split_tokens_too() -> None:
    end = TEXT.index(",")
    rec = _record((RUSSIA[0], end, "QUOTE"), (*US, "GPE"))
    aligned = align_record(rec, tokenize(TEXT), "a")
    got = {(s.layer, TEXT[s.start : s.end]) for s in aligned.annotation.spans}
    assert got == {(Layer.QUOTES, "Russia ties resumed"), (Layer.ENTS, "U.S.")}
    assert aligned.split == 1  # both layers' boundaries split the same token once
    validate_annotation(aligned.annotation, TEXT, aligned.tokens)


def test_a_span_outside_the_text_is_still_refused_in_split_mode() -> None:
    rec = _record((*US, "GPE"), (30, 99, "ORG"))
    with pytest.raises(AlignmentError, match="outside the text"):
        align_record(rec, tokenize(TEXT), "a")


def test_split_document_exports_to_docbin_and_iob_with_exact_spans() -> None:
    rec = _record((*US, "GPE"), (*RUSSIA, "GPE"), (*LAVROV, "PERSON"))
    aligned = align_record(rec, tokenize(TEXT), "a")
    doc = Document(text=TEXT, id=1, tokens=aligned.tokens)
    spacy_doc = build_doc(doc, aligned.annotation)
    assert spacy_doc.text == TEXT
    assert [(e.text, e.label_, e.start_char, e.end_char) for e in spacy_doc.ents] == [
        ("U.S.", "GPE", *US),
        ("Russia", "GPE", *RUSSIA),
        ("Lavrov", "PERSON", *LAVROV),
    ]
    assert not spacy_doc[spacy_doc.ents[0].end - 1].whitespace_  # "U.S." touches "-"
    lines = iob_lines(doc, aligned.annotation)
    i = lines.index("U.S. B-GPE")
    assert lines[i : i + 3] == ["U.S. B-GPE", "- O", "Russia B-GPE"]
    assert "Lavrov B-PERSON" in lines


_WORDS = st.sampled_from(
    ["U.S.-Russia", "Kyiv", "re-elected", "co-op's", "N.Y.", "3.5%", "e-mail:", "(UN)", "\n"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(_WORDS, min_size=1, max_size=8), data=st.data())
def test_any_spans_are_kept_exactly_and_the_text_is_unchanged(
    words: list[str], data: st.DataObject
) -> None:
    text = " ".join(["Talks", *words])
    bounds = data.draw(
        st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=4)
    )
    labels = []
    for a, b in bounds:
        start, end = min(a, b), max(a, b)
        trimmed = text[start:end].strip()
        if trimmed:
            start += len(text[start:end]) - len(text[start:end].lstrip())
            labels.append((start, start + len(trimmed), "QUOTE"))  # quotes may overlap
    labels = sorted(set(labels))
    original = tokenize(text)
    aligned = align_record(_record(*labels, text=text), original, "a")
    assert sorted((s.start, s.end) for s in aligned.annotation.spans) == [
        (s, e) for s, e, _ in labels
    ]
    assert aligned.snapped == 0
    event("a token split" if aligned.split else "no token split")
    # the same characters in the same tokens' places, only more boundaries
    assert "".join(text[t.start : t.end] for t in aligned.tokens) == "".join(
        text[t.start : t.end] for t in original
    )
    assert {t.start for t in original} <= {t.start for t in aligned.tokens}
    assert decode_tokens(encode_tokens(aligned.tokens), text) == aligned.tokens
    doc = build_doc(Document(text=text, id=1, tokens=aligned.tokens), aligned.annotation)
    assert doc.text == text
    assert sorted((s.start_char, s.end_char) for s in doc.spans[doc.user_data["span_key"]]) == [
        (s, e) for s, e, _ in labels
    ]
