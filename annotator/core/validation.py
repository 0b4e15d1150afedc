"""Rules every saved annotation keeps."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from annotator.core.errors import ValidationError
from annotator.core.model import Annotation, Layer, Span, Token
from annotator.core.tokens import TokenIndex, token_index_range


def validate_span(
    span: Span, text: str, tokens: Sequence[Token] | TokenIndex | None = None
) -> None:
    if not 0 <= span.start < span.end <= len(text):
        raise ValidationError(
            f"Span {span.start}-{span.end} ({span.label}) is empty or outside the text "
            f"(length {len(text)}).",
            code="E110",
        )
    if not span.label:
        raise ValidationError("A span needs a label.", code="E111")
    if tokens is not None and token_index_range(tokens, span.start, span.end) is None:
        raise ValidationError(
            f"Span {span.start}-{span.end} ({span.label}) {text[span.start : span.end]!r} "
            "does not start and end on token boundaries.",
            code="E112",
        )


def overlapping_entity(spans: Sequence[Span], candidate: Span) -> Span | None:
    """The ``ents`` span that ``candidate`` would overlap, if any."""
    if candidate.layer != Layer.ENTS:
        return None
    for span in spans:
        if span.layer == Layer.ENTS and span.key != candidate.key and span.overlaps(candidate):
            return span
    return None


def validate_annotation(
    annotation: Annotation, text: str, tokens: Sequence[Token] | TokenIndex | None = None
) -> None:
    index = (
        None if tokens is None else tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)
    )
    keys = set()
    for span in annotation.spans:
        validate_span(span, text, index)
        if span.key in keys:
            raise ValidationError(f"Duplicate span {tuple(span.key)}.", code="E113")
        keys.add(span.key)
    ents = sorted((s for s in annotation.spans if s.layer == Layer.ENTS), key=lambda s: s.start)
    for a, b in itertools.pairwise(ents):
        if b.start < a.end:
            raise ValidationError(
                f"Entities overlap: {text[a.start : a.end]!r} ({a.label}) and "
                f"{text[b.start : b.end]!r} ({b.label}).",
                code="E114",
            )
    for rel in annotation.relations:
        if rel.head not in keys or rel.child not in keys:
            raise ValidationError(
                f"Relation {rel.label} points at a span that is not in this annotation.",
                code="E115",
            )
