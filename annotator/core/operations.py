"""User actions as reversible operations on an ``Annotation`` (plain command objects).

``op.apply(annotation)`` returns the new annotation and the operation that undoes
it. The Qt undo stack only wraps these; storage saves the difference between the
two annotations in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from annotator.core.errors import ValidationError
from annotator.core.model import (
    Annotation,
    AnnotationStatus,
    Layer,
    Origin,
    Relation,
    RelationLabel,
    Span,
    SpanKey,
)
from annotator.core.validation import overlapping_entity, validate_span


class Operation(Protocol):
    # a read-only property, so the frozen dataclasses below satisfy the protocol
    @property
    def description(self) -> str: ...

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]: ...


def _check_new_span(annotation: Annotation, span: Span, text: str, ignore: SpanKey | None) -> None:
    validate_span(span, text)
    others = [s for s in annotation.spans if s.key != ignore]
    if any(s.key == span.key for s in others):
        raise ValidationError(f"That {span.label} span already exists.", code="E120")
    clash = overlapping_entity(others, span)
    if clash is not None:
        raise ValidationError(
            f"{text[span.start : span.end]!r} would overlap the entity "
            f"{text[clash.start : clash.end]!r} ({clash.label}).",
            code="E121",
        )


def _rekey_relations(relations: list[Relation], old: SpanKey, new: SpanKey) -> list[Relation]:
    out = []
    for rel in relations:
        head = new if rel.head == old else rel.head
        child = new if rel.child == old else rel.child
        out.append(
            rel if (head, child) == (rel.head, rel.child) else Relation(head, child, rel.label)
        )
    return out


@dataclass(frozen=True)
class Batch:
    """Several operations as one undo step (e.g. accept all)."""

    ops: tuple[Operation, ...]
    description: str = "edit"

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]:
        inverses: list[Operation] = []
        for op in self.ops:
            annotation, inv = op.apply(annotation, text)
            inverses.append(inv)
        return annotation, Batch(tuple(reversed(inverses)), self.description)


@dataclass(frozen=True)
class AddSpan:
    span: Span
    relations: tuple[Relation, ...] = ()  # restored with the span on undo of a removal
    description: str = "add span"

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]:
        _check_new_span(annotation, self.span, text, None)
        new = annotation.copy()
        new.spans.append(self.span)
        new.relations.extend(self.relations)
        new.rejected.discard(self.span.key)
        _touch(new)
        return new, RemoveSpan(self.span.key, description=f"undo {self.description}")


@dataclass(frozen=True)
class RemoveSpan:
    """Delete a span with its relations; a removed suggestion is remembered as rejected."""

    key: SpanKey
    description: str = "remove span"

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]:
        span = annotation.span_by_key(self.key)
        if span is None:
            raise ValidationError("That span is no longer there.", code="E122")
        new = annotation.copy()
        new.spans = [s for s in new.spans if s.key != self.key]
        gone = tuple(r for r in new.relations if self.key in (r.head, r.child))
        new.relations = [r for r in new.relations if r not in gone]
        was_rejected = self.key in annotation.rejected
        if span.origin in (Origin.SUGGESTED, Origin.ACCEPTED):
            # it came from the suggestions: do not propose it again
            new.rejected.add(self.key)
        _touch(new)
        inverse = _Restore(span, gone, was_rejected, description=f"undo {self.description}")
        return new, inverse


@dataclass(frozen=True)
class _Restore:
    span: Span
    relations: tuple[Relation, ...]
    was_rejected: bool
    description: str = "restore span"

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]:
        new, _ = AddSpan(self.span, self.relations).apply(annotation, text)
        if self.was_rejected:
            new.rejected.add(self.span.key)
        return new, RemoveSpan(self.span.key, description=self.description)


@dataclass(frozen=True)
class ReplaceSpan:
    """Change a span's boundaries, label, kind or origin, keeping its relations."""

    old: SpanKey
    new: Span
    description: str = "change span"
    forget_rejection: SpanKey | None = None  # set by the inverse of a fixed suggestion

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]:
        before = annotation.span_by_key(self.old)
        if before is None:
            raise ValidationError("That span is no longer there.", code="E122")
        _check_new_span(annotation, self.new, text, self.old)
        new = annotation.copy()
        new.spans = [self.new if s.key == self.old else s for s in new.spans]
        new.relations = _rekey_relations(new.relations, self.old, self.new.key)
        remembered = None
        if (
            self.new.key != self.old
            and before.origin == Origin.SUGGESTED
            and self.old not in annotation.rejected
        ):
            # a fixed suggestion counts as rejected in its suggested form
            new.rejected.add(self.old)
            remembered = self.old
        if self.forget_rejection is not None:
            new.rejected.discard(self.forget_rejection)
        _touch(new)
        inverse = ReplaceSpan(
            self.new.key, before, f"undo {self.description}", forget_rejection=remembered
        )
        return new, inverse


@dataclass(frozen=True)
class SetRelation:
    """Point the QUOTE ``head``'s speaker or cue at ``child`` (``None`` removes the link)."""

    head: SpanKey
    label: RelationLabel
    child: SpanKey | None
    description: str = "link"

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]:
        if annotation.span_by_key(self.head) is None:
            raise ValidationError("The quote is no longer there.", code="E123")
        if self.child is not None and annotation.span_by_key(self.child) is None:
            raise ValidationError("The linked span is no longer there.", code="E123")
        if self.child == self.head:
            raise ValidationError("A quote cannot be its own speaker or cue.", code="E124")
        previous = None
        for rel in annotation.relations:
            if rel.head == self.head and rel.label == self.label:
                previous = rel.child
        new = annotation.copy()
        new.relations = [
            r for r in new.relations if not (r.head == self.head and r.label == self.label)
        ]
        if self.child is not None:
            new.relations.append(Relation(self.head, self.child, self.label))
        _touch(new)
        inverse = SetRelation(
            self.head, self.label, previous, description=f"undo {self.description}"
        )
        return new, inverse


@dataclass(frozen=True)
class SetStatus:
    status: AnnotationStatus
    description: str = "set status"

    def apply(self, annotation: Annotation, text: str) -> tuple[Annotation, Operation]:
        new = annotation.copy()
        new.status = self.status
        return new, SetStatus(annotation.status, description=f"undo {self.description}")


def _touch(annotation: Annotation) -> None:
    if annotation.status == AnnotationStatus.TODO:
        annotation.status = AnnotationStatus.IN_PROGRESS


# Convenience constructors for the common actions -------------------------------------


def accept(span: Span) -> ReplaceSpan:
    return ReplaceSpan(span.key, span.with_(origin=Origin.ACCEPTED), description="accept")


def accept_all(annotation: Annotation) -> Batch:
    ops = tuple(accept(s) for s in annotation.spans if s.origin == Origin.SUGGESTED)
    return Batch(ops, description="accept all")


def relabel(span: Span, label: str, layer: Layer | None = None) -> ReplaceSpan:
    origin = Origin.MANUAL if span.origin == Origin.MANUAL else Origin.EDITED
    return ReplaceSpan(
        span.key,
        span.with_(label=label, layer=layer or span.layer, origin=origin),
        description="relabel",
    )


def resize(span: Span, start: int, end: int) -> ReplaceSpan:
    origin = Origin.MANUAL if span.origin == Origin.MANUAL else Origin.EDITED
    return ReplaceSpan(
        span.key, span.with_(start=start, end=end, origin=origin), description="resize"
    )


def cycle_kind(span: Span) -> ReplaceSpan:
    from annotator.core.model import QuoteKind

    kind = (span.kind or QuoteKind.INDIRECT).next() if span.kind else QuoteKind.DIRECT
    origin = Origin.MANUAL if span.origin == Origin.MANUAL else Origin.EDITED
    return ReplaceSpan(span.key, span.with_(kind=kind, origin=origin), description="change kind")


@dataclass(frozen=True)
class AnnotationDiff:
    """What storage must write to go from one annotation to another."""

    removed_spans: list[SpanKey] = field(default_factory=list)
    added_spans: list[Span] = field(default_factory=list)  # includes changed ones (re-added)
    removed_relations: list[Relation] = field(default_factory=list)
    added_relations: list[Relation] = field(default_factory=list)
    rejected_added: list[SpanKey] = field(default_factory=list)
    rejected_removed: list[SpanKey] = field(default_factory=list)
    status_changed: bool = False

    @property
    def empty(self) -> bool:
        return not (
            self.removed_spans
            or self.added_spans
            or self.removed_relations
            or self.added_relations
            or self.rejected_added
            or self.rejected_removed
            or self.status_changed
        )


def diff(before: Annotation, after: Annotation) -> AnnotationDiff:
    old = {s.key: s for s in before.spans}
    new = {s.key: s for s in after.spans}
    changed = [k for k in old.keys() & new.keys() if old[k] != new[k]]
    removed_spans = [k for k in old if k not in new] + changed
    added_spans = [new[k] for k in new if k not in old] + [new[k] for k in changed]
    old_rel = set(before.relations)
    new_rel = set(after.relations)
    # relations touching a changed span are rewritten, since the span row is
    changed_set = set(changed)
    touching = {r for r in new_rel & old_rel if r.head in changed_set or r.child in changed_set}
    return AnnotationDiff(
        removed_spans=removed_spans,
        added_spans=added_spans,
        removed_relations=sorted(old_rel - new_rel | touching, key=repr),
        added_relations=sorted(new_rel - old_rel | touching, key=repr),
        rejected_added=sorted(after.rejected - before.rejected),
        rejected_removed=sorted(before.rejected - after.rejected),
        status_changed=before.status != after.status,
    )


def spans_sorted(spans: Sequence[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, -s.end, s.key.layer, s.label))


def _orphaned_by_relink(
    annotation: Annotation, head: SpanKey, label: RelationLabel, child: SpanKey | None
) -> SpanKey | None:
    """The SPEAKER/CUE span that only existed for ``head``'s ``label`` link, once that
    link points at ``child`` instead (``None`` when there is no such span)."""
    old = next((r.child for r in annotation.relations if r.head == head and r.label == label), None)
    if old is None or old == child:
        return None
    span = annotation.span_by_key(old)
    if span is None or span.layer != Layer.QUOTES or span.label not in ("SPEAKER", "CUE"):
        return None  # an entity or a quote linked directly is a label of its own: keep it
    for rel in annotation.relations:
        if (rel.head, rel.label) == (head, label):
            continue
        if old in (rel.head, rel.child):
            return None  # another quote still points at it
    return old


def relink(
    annotation: Annotation,
    head: SpanKey,
    label: RelationLabel,
    child: SpanKey | None,
    *,
    before: Sequence[Operation] = (),
    description: str = "link",
) -> Batch:
    """Set (or with ``child=None`` remove) a quote's speaker or cue as one undo step.

    ``before`` runs first (e.g. adding or accepting the new SPEAKER span). The old
    SPEAKER/CUE span is removed in the same step when it existed only for this link,
    so changing a speaker leaves no orphan behind and one undo restores both.
    """
    ops: list[Operation] = [*before, SetRelation(head, label, child, description=description)]
    orphan = _orphaned_by_relink(annotation, head, label, child)
    if orphan is not None:
        ops.append(RemoveSpan(orphan, description=f"remove the old {orphan.label}"))
    return Batch(tuple(ops), description=description)


def remove_quote(annotation: Annotation, quote: SpanKey, *, description: str) -> Batch:
    """Remove a QUOTE and, in the same undo step, the SPEAKER/CUE spans that existed
    only for its links (a deleted quote leaves no orphan speaker or cue behind)."""
    ops: list[Operation] = []
    for rel in annotation.relations:
        if rel.head == quote:
            orphan = _orphaned_by_relink(annotation, quote, rel.label, None)
            if orphan is not None:
                ops.append(RemoveSpan(orphan, description=f"remove its {orphan.label}"))
    ops.append(RemoveSpan(quote, description=description))
    return Batch(tuple(ops), description=description)
