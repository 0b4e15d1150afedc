"""The column ruler (nlp/attribute_columns.py) writes what spaCy's attribute ruler
writes, token by token, and takes its place only where every pattern is supported."""

from __future__ import annotations

import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler

from annotator.nlp.attribute_columns import COLUMN_RULER, RULER, use_column_ruler
from tests.nlp.conftest import MODEL, needs_model

TEXTS = [
    "I'm gonna go, y'all. Let's c'mon! It ain't nothin' but he gets it, she got it.",
    "There is a cat. There's    two.\n\n  \t end",
    "I told you it is. You saw it, I saw you. It saw me.",
    "Whether or not it's done, that's that; but do it. Have you? I do not.",
    '"We will not back down," Ryabkov said on Tuesday, adding that talks had stalled.',
    "",
    " ",
]


@needs_model
def test_same_attributes_as_spacys_ruler() -> None:
    stock = spacy.load(MODEL)
    ours = spacy.load(MODEL, vocab=stock.vocab)
    assert use_column_ruler(ours)
    assert COLUMN_RULER in ours.pipe_names and RULER not in ours.pipe_names
    for text in TEXTS:
        a, b = stock(text), ours(text)
        for attr in (POS, TAG, DEP, MORPH, LEMMA, HEAD):
            assert a.to_array([attr]).tolist() == b.to_array([attr]).tolist(), (text, attr)
        assert [(e.start, e.end, e.label_) for e in a.ents] == [
            (e.start, e.end, e.label_) for e in b.ents
        ]


def _ruler_pipeline(patterns: list[dict]) -> spacy.language.Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(RULER)
    assert isinstance(ruler, AttributeRuler)
    ruler.add_patterns(patterns)
    return nlp


def test_fixed_patterns_and_precedence() -> None:
    patterns = [
        {"patterns": [[{"LOWER": {"IN": ["cats", "dogs"]}}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"LOWER": "cats"}]], "attrs": {"POS": "PROPN", "LEMMA": "cat"}},
        {
            "patterns": [[{"LOWER": "the"}, {"LOWER": {"REGEX": "^d"}}]],
            "attrs": {"LEMMA": "dog"},
            "index": -1,
        },
        {"patterns": [[{"IS_PUNCT": True}]], "attrs": {"POS": "PUNCT"}},
    ]
    stock, ours = _ruler_pipeline(patterns), _ruler_pipeline(patterns)
    assert use_column_ruler(ours)
    text = "Cats and the dogs, the Dogs."
    a, b = stock(text), ours(text)
    for attr in (POS, LEMMA):
        assert a.to_array([attr]).tolist() == b.to_array([attr]).tolist()
    assert [t.pos_ for t in b] == ["PROPN", "", "", "NOUN", "PUNCT", "", "NOUN", "PUNCT"]
    assert b[3].lemma_ == "dog" and b[0].lemma_ == "cat"


def test_operators_keep_spacys_ruler() -> None:
    nlp = _ruler_pipeline([{"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"POS": "X"}}])
    assert not use_column_ruler(nlp)
    assert RULER in nlp.pipe_names and COLUMN_RULER not in nlp.pipe_names
    assert [t.pos_ for t in nlp("a a b")] == ["X", "X", ""]
