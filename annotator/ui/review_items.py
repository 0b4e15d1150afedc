"""What the review panel works with: disagreement regions and the edits that resolve them.

No Qt here. The agreement report lists one row per differing character range;
a reviewer thinks in *regions* ("alice marked Donald Trump, bob marked Trump"),
so overlapping rows of one layer are merged into one :class:`ReviewItem`. The
edits that take an annotator's version of a region, or of the whole document,
are built from the core operations as one :class:`Batch`, so each is a single
undo step through the window's ``EditSession``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.app.agreement import Disagreement
from annotator.core import Annotation, Layer, Origin, Span, SpanKey, default_layer
from annotator.core.operations import (
    AddSpan,
    Batch,
    Operation,
    RemoveSpan,
    ReplaceSpan,
    SetRelation,
)

# A merged region is as bad as its worst row: different boundaries need the closest look.
_REASON_RANK = {"missing": 0, "label": 1, "boundary": 2}
# What the review table says in its "Why" column, and its tooltip.
REASON_TEXT = {"missing": "missing", "label": "label differs", "boundary": "extent differs"}
REASON_HELP = {
    "missing": "Some annotators marked a span here, others marked nothing",
    "label": "The same words carry different labels",
    "boundary": "Overlapping spans that start or end at different words",
}


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One region of one layer on which the annotators differ."""

    start: int
    end: int
    layer: str
    labels: frozenset[str]  # every label any annotator gave inside the region
    reason: str  # "missing" | "label" | "boundary"

    def covers(self, span: Span) -> bool:
        """Does ``span`` belong to this region (same layer, overlapping, a label at stake)?"""
        if str(span.layer) != self.layer or not (span.start < self.end and self.start < span.end):
            return False
        # Quotes may overlap each other legitimately (a CUE inside a long QUOTE): only the
        # labels that are disagreed on belong to the region. Entities never overlap.
        return self.layer == str(Layer.ENTS) or span.label in self.labels


def _layer_of(row: Disagreement) -> str:
    for label in row.labels.values():
        if label is not None:
            return str(default_layer(label))
    return str(Layer.ENTS)


def review_items(rows: Iterable[Disagreement]) -> list[ReviewItem]:
    """Merge overlapping disagreement rows of the same layer, in reading order."""
    by_layer: dict[str, list[Disagreement]] = {}
    for row in rows:
        by_layer.setdefault(_layer_of(row), []).append(row)
    items: list[ReviewItem] = []
    for layer, group in by_layer.items():
        group.sort(key=lambda r: (r.start, r.end))
        start = end = -1
        labels: set[str] = set()
        reason = ""
        for row in group:
            row_labels = {lab for lab in row.labels.values() if lab is not None}
            if start >= 0 and row.start < end:
                end = max(end, row.end)
                labels |= row_labels
                reason = max(reason, row.reason, key=lambda r: _REASON_RANK.get(r, 0))
                continue
            if start >= 0:
                items.append(ReviewItem(start, end, layer, frozenset(labels), reason))
            start, end, labels, reason = row.start, row.end, row_labels, row.reason
        if start >= 0:
            items.append(ReviewItem(start, end, layer, frozenset(labels), reason))
    items.sort(key=lambda i: (i.start, i.end, i.layer))
    return items


def region_spans(annotation: Annotation | None, item: ReviewItem) -> list[Span]:
    if annotation is None:
        return []
    return sorted((s for s in annotation.spans if item.covers(s)), key=lambda s: (s.start, s.end))


def _same(a: Sequence[Span], b: Sequence[Span]) -> bool:
    # Origin and confidence say where a span came from, not what it is.
    return {(s.key, s.kind) for s in a} == {(s.key, s.kind) for s in b}


def matches(gold: Annotation | None, version: Annotation | None, item: ReviewItem) -> bool:
    """Does gold hold exactly this version's spans in the region?"""
    return version is not None and _same(region_spans(gold, item), region_spans(version, item))


def _adopted(span: Span) -> Span:
    return span.with_(origin=Origin.ACCEPTED, confidence=None)


def _relation_ops(
    gold: Annotation, version: Annotation, final: set[SpanKey], touched: set[SpanKey]
) -> list[Operation]:
    """Set gold's speaker/cue links to the version's for the quotes and spans just taken."""
    current = {(r.head, str(r.label)): r.child for r in gold.relations}
    ops: list[Operation] = []
    for rel in version.relations:
        if not (rel.head in touched or rel.child in touched):
            continue
        if (
            rel.head in final
            and rel.child in final
            and current.get((rel.head, str(rel.label))) != rel.child
        ):
            ops.append(SetRelation(rel.head, rel.label, rel.child))
    return ops


def take_region(
    gold: Annotation, version: Annotation | None, item: ReviewItem, name: str
) -> Batch | None:
    """Make gold's spans in ``item``'s region equal ``version``'s (None: nothing to change)."""
    theirs = [_adopted(s) for s in region_spans(version, item)]
    ours = region_spans(gold, item)
    if item.layer == str(Layer.ENTS):
        # Their entity may reach past the region onto another gold entity: entities never
        # overlap, so that one gives way too.
        ours += [
            s
            for s in gold.spans
            if s.layer == Layer.ENTS and s not in ours and any(s.overlaps(t) for t in theirs)
        ]
    if _same(ours, theirs) and len(ours) == len(theirs):
        return None
    their_keys = {t.key: t for t in theirs}
    our_keys = {s.key: s for s in ours}
    ops: list[Operation] = []
    for span in ours:
        if span.key not in their_keys:
            ops.append(RemoveSpan(span.key, description="remove"))
    for span in theirs:
        mine = our_keys.get(span.key)
        if mine is None:
            ops.append(AddSpan(span))
        elif mine.kind != span.kind:
            ops.append(ReplaceSpan(span.key, span))
    final = ({s.key for s in gold.spans} - set(our_keys)) | set(their_keys)
    if version is not None:
        ops += _relation_ops(gold, version, final, set(their_keys))
    labels = "/".join(sorted(item.labels)) or "span"
    return Batch(tuple(ops), description=f"take {name}'s {labels}")


def adopt_document(gold: Annotation, version: Annotation, name: str) -> Batch | None:
    """Make gold equal ``version``'s whole annotation (spans, kinds, links) as one step."""
    target = {s.key: _adopted(s) for s in version.spans}
    mine = {s.key: s for s in gold.spans}
    ops: list[Operation] = []
    removed = {k for k in mine if k not in target}
    # Removals first: an entity that is taken may overlap one that goes.
    ops += [RemoveSpan(k, description="remove") for k in sorted(removed)]
    for key, span in target.items():
        if key not in mine:
            ops.append(AddSpan(span))
        elif (mine[key].kind, mine[key].origin) != (span.kind, span.origin):
            ops.append(ReplaceSpan(key, span))
    # Links: gold's surviving ones that the version lacks go; the version's are set.
    left = {
        (r.head, str(r.label)): r
        for r in gold.relations
        if r.head not in removed and r.child not in removed
    }
    wanted = {(r.head, str(r.label)): r for r in version.relations}
    for slot, rel in left.items():
        if slot not in wanted:
            ops.append(SetRelation(rel.head, rel.label, None))
    for slot, rel in wanted.items():
        have = left.get(slot)
        if have is None or have.child != rel.child:
            ops.append(SetRelation(rel.head, rel.label, rel.child))
    if not ops:
        return None
    return Batch(tuple(ops), description=f"adopt {name}'s version")
