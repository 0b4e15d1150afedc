"""The labels a reader may see: a person's version holds only what that person saw.

Agreement, review, gold, evaluation and export read annotations through
:func:`as_labels`, so undecided suggestions (and, in projects from before the rule,
the hidden ones an Enter kept) never count as anyone's labels. A pipeline's own
suggestion set is returned unchanged: its spans are its labels.
"""

from __future__ import annotations

from collections.abc import Mapping

from annotator.core import Annotation, Annotator, AnnotatorKind
from annotator.core.seen import labels_seen


def as_labels(annotation: Annotation, annotator: Annotator) -> Annotation:
    if annotator.kind == AnnotatorKind.MODEL:
        return annotation
    return labels_seen(annotation)


def all_as_labels(
    annotations: Mapping[int, Annotation], annotator: Annotator
) -> dict[int, Annotation]:
    return {doc_id: as_labels(ann, annotator) for doc_id, ann in annotations.items()}
