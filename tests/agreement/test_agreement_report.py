"""The corpus report: hand-computed cases, JSON shape, and agreement with the simple
per-document functions it vectorises."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.agreement.alpha import krippendorff_alpha_nominal, unitizing_alpha
from annotator.agreement.kappa import cohen_kappa, fleiss_kappa_from_labels, token_labels
from annotator.agreement.report import agreement
from annotator.agreement.spans import evaluate
from annotator.core.labels import default_layer
from annotator.core.model import (
    Annotation,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    Token,
)

TEXT = "Alice said that Bob went to Paris yesterday ."
TOKENS = [Token(0, 5), Token(6, 10), Token(11, 15), Token(16, 19), Token(20, 24), Token(25, 27),
          Token(28, 33), Token(34, 43), Token(44, 45)]  # fmt: skip


def sp(start: int, end: int, label: str, kind: str | None = None) -> Span:
    return Span(start, end, label, default_layer(label), kind=QuoteKind(kind) if kind else None)


def annot(name: str, spans: list[Span], speakers: Sequence[tuple[Span, Span]] = ()) -> Annotation:
    rels = [Relation(q.key, s.key, RelationLabel.SPEAKER) for q, s in speakers]
    return Annotation(1, name, spans=spans, relations=rels)


def two_annotators() -> dict[str, dict[int, Annotation]]:
    speaker, cue = sp(0, 5, "SPEAKER"), sp(6, 10, "CUE")
    qa, qb = sp(11, 43, "QUOTE", "indirect"), sp(11, 33, "QUOTE", "direct")
    a = annot(
        "a",
        [sp(0, 5, "PER"), sp(16, 19, "PER"), sp(28, 33, "GPE"), speaker, cue, qa],
        [(qa, speaker)],
    )
    b = annot(
        "b", [sp(0, 5, "PER"), sp(16, 19, "ORG"), sp(28, 43, "GPE"), speaker, qb], [(qb, speaker)]
    )
    return {"a": {1: a}, "b": {1: b}}


def test_report_json_shape() -> None:
    report = agreement(two_annotators(), {1: TOKENS}, {1: TEXT})
    out = report.to_json()
    json.dumps(out, allow_nan=False)
    assert out["documents"] == 1
    for key in ("pairs", "fleiss_kappa", "krippendorff_alpha", "unitizing_alpha", "labels",
                "per_document", "speakers", "kinds"):  # fmt: skip
        assert key in out
    assert out["fleiss_kappa"] is None  # two annotators
    assert {p["layer"] for p in out["pairs"]} == {"ents", "quotes", "all"}
    for pair in out["pairs"]:
        assert {"a", "b", "layer", "f1_exact", "f1_overlap", "cohen_kappa"} <= set(pair)
    assert set(out["labels"]) == {"PER", "ORG", "GPE", "QUOTE", "SPEAKER", "CUE"}
    assert out["per_document"][0]["document"] == 1


def test_report_pair_counts_hand_computed() -> None:
    report = agreement(two_annotators(), {1: TOKENS}, {1: TEXT})
    by_layer = {p.layer: p for p in report.pairs}
    ents = by_layer["ents"]
    # PER 0-5 exact; Bob PER vs ORG never matches; Paris GPE only overlaps
    assert (ents.exact.tp, ents.exact.fp, ents.exact.fn) == (1, 2, 2)
    assert (ents.overlap.tp, ents.overlap.fp, ents.overlap.fn) == (2, 1, 1)
    quotes = by_layer["quotes"]
    assert (quotes.exact.tp, quotes.exact.fp, quotes.exact.fn) == (1, 1, 2)
    assert (quotes.overlap.tp, quotes.overlap.fp, quotes.overlap.fn) == (2, 0, 1)


def test_report_speakers_and_kinds() -> None:
    out = agreement(two_annotators(), {1: TOKENS}, {1: TEXT}).to_json()
    assert out["speakers"]["matched_quotes"] == 1
    assert out["speakers"]["rate"] == 1.0
    assert out["kinds"]["compared"] == 1 and out["kinds"]["rate"] == 0.0
    assert out["kinds"]["confusion"]["a|b"][1][0] == 1  # indirect (a) vs direct (b)


def test_report_disagreements_cover_missing_label_and_boundary() -> None:
    report = agreement(two_annotators(), {1: TOKENS}, {1: TEXT})
    rows = {(d.start, d.end): d for d in report.disagreements}
    assert rows[(6, 10)].labels == {"a": "CUE", "b": None}
    assert rows[(6, 10)].reason == "missing"
    assert rows[(16, 19)].labels == {"a": "PER", "b": "ORG"}
    assert rows[(16, 19)].reason == "label"
    assert rows[(16, 19)].text == "Bob"
    assert rows[(28, 33)].reason == "boundary" and rows[(28, 43)].labels == {"a": None, "b": "GPE"}
    assert (0, 5) not in rows  # PER and SPEAKER agree
    assert report.per_document[0].disagreements == len(report.disagreements) == 6


def test_report_perfect_agreement_and_empty_document() -> None:
    a = annot("a", [sp(0, 5, "PER"), sp(11, 43, "QUOTE", "direct")])
    docs = {"x": a, "empty": annot("a", [])}
    report = agreement(
        {"a": docs, "b": docs, "c": docs},
        {"x": TOKENS, "empty": TOKENS},
        {"x": TEXT, "empty": TEXT},
    )
    assert report.fleiss_kappa == 1.0
    assert report.krippendorff_alpha == 1.0
    assert report.unitizing_alpha == 1.0
    assert all(p.exact.f == 1.0 and p.cohen_kappa == 1.0 for p in report.pairs)
    assert report.disagreements == []
    empty = next(d for d in report.per_document if d.doc_id == "empty")
    assert empty.f1_exact == 1.0 and empty.token_agreement == 1.0
    assert math.isnan(empty.cohen_kappa)
    assert report.to_json()["per_document"][1]["cohen_kappa"] is None


def test_report_only_documents_everyone_has() -> None:
    anns = two_annotators()
    anns["a"][2] = annot("a", [sp(0, 5, "PER")])
    report = agreement(anns, {1: TOKENS, 2: TOKENS}, {1: TEXT, 2: TEXT}, layer="ents")
    assert report.documents == [1]
    assert {p.layer for p in report.pairs} == {"ents"}
    assert set(report.labels) == {"PER", "ORG", "GPE"}


def test_report_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="E620"):
        agreement({"a": {}}, {}, {})
    with pytest.raises(ValueError, match="E622"):
        agreement({"a": {}, "b": {}}, {}, {}, layer="entities")


def test_report_documents_by_disagreement_sorts_worst_first() -> None:
    anns = two_annotators()
    same = annot("a", [sp(0, 5, "PER")])
    anns["a"][2] = anns["b"][2] = same
    report = agreement(anns, {1: TOKENS, 2: TOKENS}, {1: TEXT, 2: TEXT})
    assert [d.doc_id for d in report.documents_by_disagreement()] == [1, 2]


def test_report_confusion_matrix_by_layer() -> None:
    report = agreement(two_annotators(), {1: TOKENS}, {1: TEXT})
    names, m = report.confusion("a", "b", "ents")
    assert names[0] == "O" and set(names) == {"O", "PER", "ORG", "GPE"}
    assert m.sum() == len(TOKENS)
    assert m[names.index("PER"), names.index("ORG")] == 1
    _, m_t = report.confusion("b", "a", "ents")
    assert (m_t == m.T).all()


def test_report_writes_disagreements_csv(tmp_path: Path) -> None:
    report = agreement(two_annotators(), {1: TOKENS}, {1: TEXT})
    path = tmp_path / "dis.csv"
    report.write_disagreements_csv(path)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["document", "start", "end", "text", "reason", "a", "b"]
    assert len(rows) == 1 + len(report.disagreements)
    assert ["1", "16", "19", "Bob", "label", "PER", "ORG"] in rows


# ----------------------------------------------------------------- against the simple functions

ENTS = ["PER", "ORG"]
QUOTES = ["QUOTE", "SPEAKER", "CUE"]


@st.composite
def corpora(
    draw: st.DrawFn,
) -> tuple[dict[str, dict[int, Annotation]], dict[int, list[Token]], dict[int, str]]:
    n_ann = draw(st.integers(2, 3))
    n_docs = draw(st.integers(1, 3))
    tokens: dict[int, list[Token]] = {}
    texts: dict[int, str] = {}
    annotations: dict[str, dict[int, Annotation]] = {f"r{i}": {} for i in range(n_ann)}
    for d in range(n_docs):
        n_tok = draw(st.integers(1, 12))
        tokens[d] = [Token(i * 4, i * 4 + 3, True) for i in range(n_tok)]
        texts[d] = "abc " * n_tok
        for name in annotations:
            spans: list[Span] = []
            # entities: non-overlapping token runs
            i = 0
            while i < n_tok:
                i += draw(st.integers(0, 3))
                w = draw(st.integers(1, 3))
                if i + w > n_tok:
                    break
                if draw(st.booleans()):
                    spans.append(sp(i * 4, (i + w) * 4 - 1, draw(st.sampled_from(ENTS))))
                i += w
            # quotes layer: any token runs, may overlap
            for _ in range(draw(st.integers(0, 3))):
                s = draw(st.integers(0, n_tok - 1))
                e = draw(st.integers(s + 1, n_tok))
                label = draw(st.sampled_from(QUOTES))
                kind = (
                    draw(st.sampled_from(["direct", "indirect", None]))
                    if label == "QUOTE"
                    else None
                )
                new = sp(s * 4, e * 4 - 1, label, kind)
                if new.key not in {x.key for x in spans}:
                    spans.append(new)
            quotes = [x for x in spans if x.label == "QUOTE"]
            speakers = [x for x in spans if x.label == "SPEAKER"]
            rels = [
                Relation(q.key, draw(st.sampled_from(speakers)).key, RelationLabel.SPEAKER)
                for q in quotes
                if speakers and draw(st.booleans())
            ]
            annotations[name][d] = Annotation(d, name, spans=spans, relations=rels)
    return annotations, tokens, texts


def _same(x: float | None, y: float | None) -> bool:
    if x is None or y is None or math.isnan(x) or math.isnan(y):
        return (x is None or math.isnan(x)) and (y is None or math.isnan(y))
    return x == pytest.approx(y, abs=1e-9)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_report_matches_per_document_functions(data: tuple[Any, Any, Any]) -> None:
    annotations, tokens, texts = data
    report = agreement(annotations, tokens, texts)
    names = list(annotations)
    docs = list(texts)
    labels_by = {
        (a, lay): [lab for d in docs for lab in token_labels(annotations[a][d], tokens[d], lay)]
        for a in names
        for lay in ("ents", "quotes")
    }
    for pair in report.pairs:
        layers = ["ents", "quotes"] if pair.layer == "all" else [pair.layer]
        ev = evaluate(annotations[pair.a], annotations[pair.b])
        for mode in ("exact", "overlap"):
            expected = sum((ev.layers[lay][mode] for lay in layers), type(pair.exact)())
            assert getattr(pair, mode) == expected, (pair.layer, mode)
        a = [x for lay in layers for x in labels_by[(pair.a, lay)]]
        b = [x for lay in layers for x in labels_by[(pair.b, lay)]]
        assert _same(pair.cohen_kappa, cohen_kappa(a, b) if a else math.nan)
    # pooled token units of both layers
    units = [
        [labels_by[(a, lay)][i] for a in names]
        for lay in ("ents", "quotes")
        for i in range(len(labels_by[(names[0], lay)]))
    ]
    assert _same(report.krippendorff_alpha, krippendorff_alpha_nominal(units))
    if len(names) >= 3:
        assert _same(report.fleiss_kappa, fleiss_kappa_from_labels(units))
    # unitizing alpha on the documents laid end to end
    offsets, pos = {}, 0
    for d in docs:
        offsets[d], pos = pos, pos + len(texts[d])
    spans = [
        (a, s.start + offsets[d], s.end + offsets[d], s.label)
        for a in names
        for d in docs
        for s in annotations[a][d].spans
    ]
    expected_u = unitizing_alpha(spans, begin=0, length=pos, raters=names).alpha
    assert _same(report.unitizing_alpha, expected_u)
    json.dumps(report.to_json(), allow_nan=False)
