"""A model's held-out scores are made under the project's scheme options.

A project whose scheme keeps the complementiser "that" at the start of indirect
quotes labels them so; a model scored without that option would lose every exact
boundary of those quotes, and its recorded figures would say less than the window
shows."""

from __future__ import annotations

from annotator.app.suggest import SchemeOptions
from annotator.app.training_scores import heldout_scores
from annotator.core import (
    Annotation,
    AnnotationStatus,
    Document,
    Layer,
    Origin,
    Relation,
    RelationLabel,
    Span,
)
from annotator.nlp.pipeline import load_suggester
from annotator.nlp.tokenize import tokenize

TEXT = "The talks went on late. The minister said that the talks would resume on Monday."


def _reference() -> tuple[Document, Annotation]:
    doc = Document(TEXT, external_id="a")
    doc.id = 1
    doc.tokens = tokenize(TEXT)
    that = TEXT.index("that")
    quote = Span(that, len(TEXT) - 1, "QUOTE", Layer.QUOTES, Origin.MANUAL)
    speaker = Span(24, 36, "SPEAKER", Layer.QUOTES, Origin.MANUAL)
    cue = Span(37, 41, "CUE", Layer.QUOTES, Origin.MANUAL)
    assert TEXT[speaker.start : speaker.end] == "The minister"
    assert TEXT[cue.start : cue.end] == "said"
    ann = Annotation(
        document_id=1,
        annotator="gold",
        spans=[quote, speaker, cue],
        relations=[
            Relation(quote.key, speaker.key, RelationLabel.SPEAKER),
            Relation(quote.key, cue.key, RelationLabel.CUE),
        ],
        status=AnnotationStatus.DONE,
    )
    return doc, ann


def _options(keep_that: bool) -> SchemeOptions:
    return {"scheme_labels": ["QUOTE", "SPEAKER", "CUE"], "keep_that": keep_that}


def test_heldout_scores_follow_the_keep_that_option() -> None:
    rules = load_suggester("rules")
    pairs = [_reference()]
    kept, _ = heldout_scores(rules, pairs, _options(True))
    dropped, _ = heldout_scores(rules, pairs, _options(False))
    # the scheme that keeps "that": every boundary exact
    assert kept["quotes_exact_f"] == 1.0
    assert kept["speaker_accuracy"] == 1.0
    # scored without the option, the quote's start misses by one word
    assert dropped["quotes_exact_f"] is not None and dropped["quotes_exact_f"] < 1.0
    assert dropped["quotes_overlap_f"] == 1.0
