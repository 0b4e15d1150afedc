from __future__ import annotations

import pytest

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    ValidationError,
    validate_annotation,
)
from annotator.core import operations as ops
from annotator.nlp.tokenize import tokenize

TEXT = "“We will win,” Ryabkov said in Moscow."
QUOTE = Span(0, 14, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, QuoteKind.DIRECT, 0.9)
SPEAKER = Span(15, 22, "SPEAKER", Layer.QUOTES, Origin.SUGGESTED)
CUE = Span(23, 27, "CUE", Layer.QUOTES, Origin.SUGGESTED)
PERSON = Span(15, 22, "PERSON", Layer.ENTS, Origin.SUGGESTED)


def fresh() -> Annotation:
    return Annotation(
        document_id=1,
        annotator="alice",
        spans=[QUOTE, SPEAKER, CUE, PERSON],
        relations=[
            Relation(QUOTE.key, SPEAKER.key, RelationLabel.SPEAKER),
            Relation(QUOTE.key, CUE.key, RelationLabel.CUE),
        ],
    )


def test_validation_accepts_good_annotation() -> None:
    validate_annotation(fresh(), TEXT, tokenize(TEXT))


def test_validation_refuses_overlapping_entities() -> None:
    ann = fresh()
    ann.spans.append(Span(15, 29, "ORG"))
    with pytest.raises(ValidationError, match="Entities overlap"):
        validate_annotation(ann, TEXT)


def test_validation_refuses_relation_to_missing_span() -> None:
    ann = fresh()
    ann.spans.remove(SPEAKER)
    with pytest.raises(ValidationError, match="E115"):
        validate_annotation(ann, TEXT)


def test_validation_refuses_offsets_outside_text_and_mid_token() -> None:
    ann = fresh()
    ann.spans.append(Span(30, 99, "GPE"))
    with pytest.raises(ValidationError, match="outside the text"):
        validate_annotation(ann, TEXT)
    ann = fresh()
    ann.spans.append(Span(32, 35, "GPE"))  # "osc" of Moscow
    with pytest.raises(ValidationError, match="token boundaries"):
        validate_annotation(ann, TEXT, tokenize(TEXT))


def test_operation_inverse_restores_exactly() -> None:
    start = fresh()
    cases: list[ops.Operation] = [
        ops.accept(PERSON),
        ops.relabel(PERSON, "ORG"),
        ops.resize(QUOTE, 0, 13),
        ops.cycle_kind(QUOTE),
        ops.RemoveSpan(SPEAKER.key),
        ops.AddSpan(Span(31, 37, "GPE")),
        ops.SetRelation(QUOTE.key, RelationLabel.SPEAKER, PERSON.key),
        ops.SetRelation(QUOTE.key, RelationLabel.CUE, None),
        ops.SetStatus(AnnotationStatus.DONE),
        ops.accept_all(start),
    ]
    for op in cases:
        after, inverse = op.apply(start, TEXT)
        assert ops.diff(start, after).empty is False, op
        restored, _ = inverse.apply(after, TEXT)
        assert sorted(restored.spans, key=repr) == sorted(start.spans, key=repr), op
        assert set(restored.relations) == set(start.relations), op
        assert restored.rejected == start.rejected, op


def test_remove_suggestion_remembers_rejection_and_undo_forgets_it() -> None:
    after, inverse = ops.RemoveSpan(PERSON.key).apply(fresh(), TEXT)
    assert PERSON.key in after.rejected
    restored, _ = inverse.apply(after, TEXT)
    assert PERSON.key not in restored.rejected


def test_resize_keeps_relations_pointing_at_the_span() -> None:
    moved, _ = ops.resize(QUOTE, 1, 12).apply(fresh(), TEXT)
    new_key = QUOTE.with_(start=1, end=12).key
    assert moved.speaker_of(new_key) == SPEAKER.key
    assert moved.cue_of(new_key) == CUE.key


def test_add_overlapping_entity_is_refused() -> None:
    with pytest.raises(ValidationError, match="overlap the entity"):
        ops.AddSpan(Span(15, 27, "ORG")).apply(fresh(), TEXT)
    with pytest.raises(ValidationError, match="outside the text"):
        ops.AddSpan(Span(5, 5, "ORG")).apply(fresh(), TEXT)


def test_cycle_kind_goes_round() -> None:
    kinds = []
    span = QUOTE
    for _ in range(3):
        ann, _ = ops.cycle_kind(span).apply(Annotation(1, "a", spans=[span]), TEXT)
        span = ann.spans[0]
        kinds.append(span.kind)
    assert kinds == [QuoteKind.INDIRECT, QuoteKind.MIXED, QuoteKind.DIRECT]
