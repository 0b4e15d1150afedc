"""Placing a record's labels without tokens (the default import): every span kept
exactly, with the same checks as placing them on tokens."""

from __future__ import annotations

import pytest

from annotator.core import Layer, Origin, QuoteKind, Relation, RelationLabel, Span
from annotator.formats.align import AlignmentError, align_record, build_annotation, needs_tokens
from annotator.formats.records import ImportRecord, RawRelation, RawSpan

TEXT = "Talks on U.S.-Russia ties resumed, Lavrov said."


def _rec(*spans: RawSpan, relations: list[RawRelation] | None = None) -> ImportRecord:
    return ImportRecord(TEXT, "t.jsonl", 1, spans=list(spans), relations=relations or [])


def test_spans_are_kept_exactly_and_equal_spans_made_the_ordinary_way() -> None:
    quote = RawSpan(0, 33, "QUOTE", kind="indirect")
    rec = _rec(
        RawSpan(9, 13, "GPE"),
        RawSpan(14, 20, "GPE", origin="edited", confidence=0.5),
        RawSpan(35, 41, "SPEAKER"),
        quote,
        RawSpan(9, 13, "GPE"),  # the same span twice is one span
        relations=[
            RawRelation("speaker", (0, 33, "QUOTE"), (35, 41, "SPEAKER")),
            RawRelation("SPEAKER", (0, 33, "QUOTE"), (35, 41, "SPEAKER")),
        ],
    )
    for _ in range(2):  # the second time from the cache of placed combinations
        aligned = align_record(rec, None, "a")
        assert aligned.tokens is None and aligned.split == 0 and aligned.snapped == 0
        expected = [
            Span(9, 13, "GPE", Layer.ENTS, Origin.ACCEPTED),
            Span(14, 20, "GPE", Layer.ENTS, Origin.EDITED, None, 0.5),
            Span(35, 41, "SPEAKER", Layer.QUOTES, Origin.ACCEPTED),
            Span(0, 33, "QUOTE", Layer.QUOTES, Origin.ACCEPTED, QuoteKind.INDIRECT),
        ]
        spans = aligned.annotation.spans
        assert spans == expected
        assert [s.key for s in spans] == [s.key for s in expected]
        assert [hash(s) for s in spans] == [hash(s) for s in expected]
        assert all(type(s.key) is type(expected[0].key) for s in spans)
        assert [s.learned_from for s in spans] == [0, 0, 0, 0]
        assert aligned.annotation.relations == [
            Relation(expected[3].key, expected[2].key, RelationLabel.SPEAKER)
        ]


def test_edge_whitespace_is_trimmed_and_counted_as_snapped() -> None:
    annotation, snapped = build_annotation(_rec(RawSpan(34, 42, "PERSON")), None, "a")
    assert [(s.start, s.end) for s in annotation.spans] == [(35, 41)]
    assert snapped == 1


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ((RawSpan(9, 20, "GPE"), RawSpan(14, 20, "ORG")), "overlap"),
        ((RawSpan(34, 35, "GPE"),), "cannot be snapped"),
        ((RawSpan(40, 99, "GPE"),), "outside the text"),
        ((RawSpan(9, 13, "BAD LABEL"),), "whitespace"),
        ((RawSpan(9, 13, "GPE", layer="quote"),), "unknown layer"),
        ((RawSpan(9, 13, "GPE", kind="sarcastic"),), "unknown kind"),
        ((RawSpan(34, 41, "GPE"), RawSpan(35, 42, "GPE")), "snap to the same tokens"),
    ],
)
def test_bad_spans_are_refused_as_on_tokens(spans: tuple[RawSpan, ...], message: str) -> None:
    build_annotation(_rec(RawSpan(0, 5, "ORG")), None, "a")  # fills the cache
    with pytest.raises(AlignmentError, match=message):
        build_annotation(_rec(*spans), None, "a")


def test_only_expand_and_token_index_relations_need_tokens() -> None:
    rec = _rec(RawSpan(9, 13, "GPE"))
    assert not needs_tokens(rec)
    assert needs_tokens(rec, snap="expand")
    by_token = _rec(RawSpan(9, 13, "GPE"), relations=[RawRelation("speaker", head=2, child=3)])
    assert needs_tokens(by_token)
