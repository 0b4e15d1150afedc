"""Helpers shared by the agreement tests: small annotations built from tuples."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.labels import default_layer
from annotator.core.model import Annotation, QuoteKind, Relation, RelationLabel, Span


def span(start: int, end: int, label: str, kind: str | None = None) -> Span:
    return Span(start, end, label, default_layer(label), kind=QuoteKind(kind) if kind else None)


def ann(
    spans: Iterable[Span],
    speakers: Iterable[tuple[Span, Span]] = (),
    annotator: str = "x",
    document_id: int | None = 1,
) -> Annotation:
    rels = [Relation(q.key, s.key, RelationLabel.SPEAKER) for q, s in speakers]
    return Annotation(document_id, annotator, spans=list(spans), relations=rels)
