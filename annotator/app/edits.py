"""What one edit changed, as the facade returns it (like Anki's ``OpChanges``)."""

from __future__ import annotations

from annotator.core import Annotation, SpanKey
from annotator.core.operations import AnnotationDiff, Operation, spans_sorted


class EditResult(tuple[Annotation, Operation]):
    """The saved annotation, the operation that undoes the edit, and the diff that was
    written: the window redraws from ``change`` instead of comparing annotations again.

    A pair underneath, so ``saved, inverse = project.apply(...)`` reads as it always did."""

    change: AnnotationDiff

    def __new__(
        cls, annotation: Annotation, inverse: Operation, change: AnnotationDiff
    ) -> EditResult:
        self = super().__new__(cls, (annotation, inverse))
        self.change = change
        return self

    @property
    def annotation(self) -> Annotation:
        return self[0]

    @property
    def inverse(self) -> Operation:
        return self[1]

    @property
    def empty(self) -> bool:
        """Nothing changed, so nothing was written."""
        return self.change.empty

    @property
    def touched(self) -> list[SpanKey]:
        """Spans the edit added or changed (one restored by undo too), in reading order."""
        return [s.key for s in spans_sorted(self.change.added_spans)]
