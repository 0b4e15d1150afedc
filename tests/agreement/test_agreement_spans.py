from __future__ import annotations

import json
from collections.abc import Iterable

import pytest

from annotator.agreement.spans import PRF, align_spans, evaluate, match_spans
from annotator.core.labels import default_layer
from annotator.core.model import Annotation, QuoteKind, Relation, RelationLabel, Span


def span(start: int, end: int, label: str, kind: str | None = None) -> Span:
    return Span(start, end, label, default_layer(label), kind=QuoteKind(kind) if kind else None)


def ann(spans: Iterable[Span], speakers: Iterable[tuple[Span, Span]] = ()) -> Annotation:
    rels = [Relation(q.key, s.key, RelationLabel.SPEAKER) for q, s in speakers]
    return Annotation(1, "x", spans=list(spans), relations=rels)


def test_spans_prf_empty_is_zero_like_spacy() -> None:
    prf = PRF()
    assert (prf.p, prf.r, prf.f) == (0.0, 0.0, 0.0)
    assert len(prf) == 0


def test_spans_prf_add() -> None:
    total = PRF(1, 2, 3) + PRF(4, 0, 1)
    assert (total.tp, total.fp, total.fn) == (5, 2, 4)
    assert total.p == pytest.approx(5 / 7)
    assert total.r == pytest.approx(5 / 9)
    assert total.f == pytest.approx(2 * (5 / 7) * (5 / 9) / (5 / 7 + 5 / 9))


def test_spans_match_perfect() -> None:
    spans = [span(0, 5, "PER"), span(10, 20, "ORG")]
    for mode in ("exact", "overlap"):
        prf = match_spans(spans, list(spans), mode)  # type: ignore[arg-type]
        assert (prf.tp, prf.fp, prf.fn, prf.f) == (2, 0, 0, 1.0)


def test_spans_match_boundary_error_counts_only_in_overlap() -> None:
    ref = [span(0, 5, "PER")]
    cand = [span(0, 7, "PER")]
    assert match_spans(ref, cand, "exact") == PRF(0, 1, 1)
    assert match_spans(ref, cand, "overlap") == PRF(1, 0, 0)


def test_spans_match_label_must_agree() -> None:
    ref = [span(0, 5, "PER")]
    cand = [span(0, 5, "ORG")]
    assert match_spans(ref, cand, "overlap") == PRF(0, 1, 1)


def test_spans_match_overlap_is_one_to_one_by_largest_overlap() -> None:
    # one candidate covering two reference spans matches only the larger overlap
    ref = [span(0, 3, "QUOTE"), span(4, 20, "QUOTE")]
    cand = [span(2, 20, "QUOTE")]
    assert align_spans(ref, cand, "overlap") == [(1, 0)]
    assert match_spans(ref, cand, "overlap") == PRF(1, 0, 1)
    # and one reference span never absorbs two candidates
    assert match_spans(cand, ref, "overlap") == PRF(1, 1, 0)


def test_spans_match_duplicates_count_once() -> None:
    ref = [span(0, 5, "PER"), span(0, 5, "PER")]
    assert match_spans(ref, [span(0, 5, "PER")], "exact") == PRF(1, 0, 0)


def test_spans_match_unknown_mode() -> None:
    with pytest.raises(ValueError, match="E601"):
        align_spans([], [], "fuzzy")  # type: ignore[arg-type]


def test_spans_evaluate_json_shape_and_attribution() -> None:
    q1, s1 = span(0, 20, "QUOTE", "direct"), span(22, 30, "SPEAKER")
    q2, s2 = span(40, 60, "QUOTE", "indirect"), span(62, 70, "SPEAKER")
    org = span(80, 85, "ORG")
    ref = ann([q1, s1, q2, s2, org], speakers=[(q1, s1), (q2, s2)])
    c_q1 = span(0, 19, "QUOTE", "direct")  # boundary error, same speaker
    c_q2 = span(40, 60, "QUOTE", "mixed")  # exact, other kind, wrong speaker
    c_s2 = span(72, 75, "SPEAKER")
    cand = ann([c_q1, s1, c_q2, c_s2, span(80, 85, "PER")], speakers=[(c_q1, s1), (c_q2, c_s2)])
    ev = evaluate({"d1": ref, "only-ref": ref}, {"d1": cand, "only-cand": cand})
    out = ev.to_json()
    json.dumps(out)
    assert out["documents"] == 1
    assert set(out["layers"]) == {"ents", "quotes"}
    assert set(out["layers"]["ents"]["exact"]) == {"p", "r", "f", "tp", "fp", "fn"}
    assert out["labels"]["QUOTE"]["exact"] == PRF(1, 1, 1).to_dict()
    assert out["labels"]["QUOTE"]["overlap"] == PRF(2, 0, 0).to_dict()
    assert out["labels"]["SPEAKER"]["exact"] == PRF(1, 1, 1).to_dict()
    assert out["labels"]["ORG"]["exact"]["fn"] == 1
    assert out["labels"]["PER"]["exact"]["fp"] == 1
    assert out["layers"]["ents"]["exact"]["f"] == 0.0
    assert out["speaker_accuracy"] == 0.5
    assert out["kind_accuracy"] == 0.5
    assert out["quote_kinds"]["direct"]["overlap"] == PRF(1, 0, 0).to_dict()
    assert out["quote_kinds"]["indirect"]["overlap"] == PRF(0, 0, 1).to_dict()
    assert out["quote_kinds"]["mixed"]["exact"] == PRF(0, 1, 0).to_dict()
    table = ev.format_table()
    assert "QUOTE" in table and "speaker accuracy: 0.500 (1/2)" in table


def test_spans_evaluate_no_quotes_gives_null_accuracies() -> None:
    a = ann([span(0, 5, "PER")])
    out = evaluate({1: a}, {1: a}).to_json()
    assert out["speaker_accuracy"] is None and out["kind_accuracy"] is None
    assert out["layers"]["ents"]["exact"]["f"] == 1.0
    assert out["layers"]["quotes"]["exact"] == PRF().to_dict()
