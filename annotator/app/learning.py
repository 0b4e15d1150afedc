"""Entities an annotator taught by labelling them, merged into the next articles' suggestions."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.app.suggest import merge_suggestions
from annotator.core import Annotation, Origin, Span


def merge_with_learned(
    base: Annotation, suggested: Annotation | None, learned: Sequence[Span], *, use: bool
) -> Annotation:
    """``base`` with the pipeline's suggestions and, when ``use`` (the window's "Suggest
    from my labels" switch) is on, the learned ones (marked with their counts); when it
    is off, learned suggestions merged earlier and still untouched are taken out again."""
    if not learned:
        return merge_suggestions(base, suggested)
    by_key = {s.key: s for s in learned}
    pipeline = {s.key: s for s in suggested.spans} if suggested is not None else {}
    if use:
        merged = merge_suggestions(base, suggested, learned)
        spans = []
        for span in merged.spans:
            found = by_key.get(span.key)
            if found is not None and span.origin == Origin.SUGGESTED:
                # no confidence: an older version stored 0.95 here
                span = span.with_(confidence=None, learned_from=found.learned_from)
            spans.append(span)
    else:
        merged = merge_suggestions(base, suggested)
        spans = []
        for span in merged.spans:
            if span.key in by_key and span.origin == Origin.SUGGESTED:
                if span.key not in pipeline:
                    continue  # only there because it was learned
                span = pipeline[span.key].with_(origin=Origin.SUGGESTED)
            spans.append(span)
    merged.spans = spans
    return merged
