"""What a person saw: the rule that keeps unseen suggestions out of anyone's labels.

Suggestions are merged into an annotator's working version with origin
``suggested``; until the annotator decides them they are proposals, not labels.
Those under the display threshold are hidden until the annotator asks for them (L).

* Finishing an article (Enter) accepts the suggestions on screen that were left
  undecided (as Prodigy accepts the task on screen) and withdraws the hidden ones,
  in one undoable step (:func:`finish`).
* Whatever reads labels (agreement, review, gold, export, learning) sees only
  :func:`labels_seen`: a finished version keeps the suggestions that were shown by
  default and drops the hidden ones (what older projects stored on Enter), an
  unfinished one holds only what its annotator decided.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from annotator.core.errors import ValidationError
from annotator.core.model import (
    Annotation,
    AnnotationStatus,
    Origin,
    Relation,
    Span,
    SpanKey,
)
from annotator.core.operations import Operation, accept

# Suggestions under this confidence are hidden until the annotator shows them (L).
# The default; a project chooses its own (View ▸ Show suggestions from precision…),
# kept in the project setting THRESHOLD_SETTING. With a saved calibration the
# confidences are measured precisions, so the threshold is a precision.
DISPLAY_THRESHOLD = 0.5
THRESHOLD_SETTING = "display_threshold"


def parse_threshold(value: str | None) -> float:
    """The display threshold a stored setting means: a number in [0, 1], else the
    default (a missing or unreadable setting never hides everything)."""
    if value is None:
        return DISPLAY_THRESHOLD
    try:
        number = float(value)
    except ValueError:
        return DISPLAY_THRESHOLD
    return number if 0.0 <= number <= 1.0 else DISPLAY_THRESHOLD


def shown_by_default(span: Span, threshold: float = DISPLAY_THRESHOLD) -> bool:
    """Is this span on screen when low-confidence suggestions are hidden?"""
    return not (
        span.origin == Origin.SUGGESTED
        and span.confidence is not None
        and span.confidence < threshold
    )


def pending(annotation: Annotation) -> list[Span]:
    """Suggestions the annotator has not decided yet."""
    return [s for s in annotation.spans if s.origin == Origin.SUGGESTED]


def _without(annotation: Annotation, gone: set[SpanKey]) -> Annotation:
    out = annotation.copy()
    out.spans = [s for s in out.spans if s.key not in gone]
    out.relations = [r for r in out.relations if r.head not in gone and r.child not in gone]
    return out


def labels_seen(annotation: Annotation, threshold: float = DISPLAY_THRESHOLD) -> Annotation:
    """The labels of a person's version: only what they saw and decided (module doc)."""
    if not any(s.origin == Origin.SUGGESTED for s in annotation.spans):
        return annotation
    if annotation.status != AnnotationStatus.DONE:
        return _without(annotation, {s.key for s in pending(annotation)})
    hidden = {s.key for s in pending(annotation) if not shown_by_default(s, threshold)}
    out = _without(annotation, hidden)
    out.spans = [
        s.with_(origin=Origin.ACCEPTED) if s.origin == Origin.SUGGESTED else s for s in out.spans
    ]
    return out


@dataclass(frozen=True)
class UnseenSummary:
    """Undecided suggestions left in a finished version (projects from before the rule)."""

    hidden: int  # never shown by default: removed by ``settle``
    shown: int  # shown and left undecided on Enter: accepted by ``settle``

    def __bool__(self) -> bool:
        return bool(self.hidden or self.shown)


def unseen_summary(annotation: Annotation, threshold: float = DISPLAY_THRESHOLD) -> UnseenSummary:
    left = pending(annotation)
    hidden = sum(1 for s in left if not shown_by_default(s, threshold))
    return UnseenSummary(hidden=hidden, shown=len(left) - hidden)


@dataclass(frozen=True)
class WithdrawSuggestions:
    """Take undecided suggestions out of a version without counting them as rejected
    (the annotator never saw them), with the links that touch them."""

    keys: tuple[SpanKey, ...]
    description: str = "withdraw suggestions"

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]:
        gone = set(self.keys)
        spans = [s for s in annotation.spans if s.key in gone]
        if any(s.origin != Origin.SUGGESTED for s in spans):
            raise ValidationError("Only undecided suggestions can be withdrawn.", code="E125")
        relations = tuple(r for r in annotation.relations if r.head in gone or r.child in gone)
        return _without(annotation, gone), _RestoreSuggestions(
            tuple(spans), relations, f"undo {self.description}"
        )


@dataclass(frozen=True)
class _RestoreSuggestions:
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    description: str = "restore suggestions"

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]:
        out = annotation.copy()
        have = {s.key for s in out.spans}
        out.spans += [s for s in self.spans if s.key not in have]
        out.relations += [r for r in self.relations if r not in out.relations]
        return out, WithdrawSuggestions(tuple(s.key for s in self.spans), self.description)


def finish(
    annotation: Annotation, status: AnnotationStatus, shown: Collection[SpanKey]
) -> tuple[list[Span], list[Span], list[Operation]]:
    """The operations that finish ``annotation`` with ``status``.

    ``shown`` are the keys on screen. Done: the shown undecided suggestions are
    accepted and the hidden ones withdrawn. Skipped: every undecided suggestion is
    withdrawn (nothing was decided). Returns (accepted, withdrawn, operations);
    the caller adds the status change and runs them as one step."""
    left = pending(annotation)
    shown_keys = set(shown)
    accepted = [s for s in left if s.key in shown_keys] if status == AnnotationStatus.DONE else []
    withdrawn = [s for s in left if s not in accepted]
    ops: list[Operation] = [accept(s) for s in accepted]
    if withdrawn:
        ops.append(WithdrawSuggestions(tuple(s.key for s in withdrawn)))
    return accepted, withdrawn, ops
