"""Stored rows -> ``core`` dataclasses, in one place for every read.

Reads select plain columns, not ORM instances: an article can carry thousands of
spans, an export millions, and building entities costs more than the query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Annotator,
    AnnotatorKind,
    AnnotatorRole,
    Document,
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    SpanKey,
    TokenArray,
    decode_tokens,
)
from annotator.storage.models import (
    AnnotationRow,
    AnnotatorRow,
    DocumentRow,
    RejectionRow,
    RelationRow,
    SpanRow,
)

# Enum lookups by value without Enum.__new__ per row (bulk reads make millions).
_LAYERS = {str(x): x for x in Layer}
_ORIGINS = {str(x): x for x in Origin}
_KINDS = {str(x): x for x in QuoteKind}
_STATUSES = {str(x): x for x in AnnotationStatus}

# The columns of an annotation's own row, in the order ``annotations_from`` reads them.
ANNOTATION_HEAD = (
    AnnotationRow.id,
    AnnotationRow.document_id,
    AnnotationRow.status,
    AnnotationRow.version,
    AnnotationRow.updated_at,
    AnnotationRow.flagged,
)
DOCUMENT_COLUMNS = (
    DocumentRow.id,
    DocumentRow.external_id,
    DocumentRow.text,
    DocumentRow.meta,
    DocumentRow.tokens,
    DocumentRow.sha256,
)
# Built once (constructing a statement costs more than running it on a short article);
# the annotation ids come in as one expanding IN parameter.
_SPANS_OF = (
    select(
        SpanRow.annotation_id,
        SpanRow.id,
        SpanRow.start,
        SpanRow.end,
        SpanRow.label,
        SpanRow.layer,
        SpanRow.origin,
        SpanRow.kind,
        SpanRow.confidence,
    )
    .where(SpanRow.annotation_id.in_(bindparam("ids", expanding=True)))
    .order_by(SpanRow.annotation_id, SpanRow.start, SpanRow.end, SpanRow.id)
)
_RELATIONS_OF = (
    select(RelationRow.annotation_id, RelationRow.head_id, RelationRow.child_id, RelationRow.label)
    .where(RelationRow.annotation_id.in_(bindparam("ids", expanding=True)))
    .order_by(RelationRow.id)
)
_REJECTIONS_OF = select(
    RejectionRow.annotation_id,
    RejectionRow.start,
    RejectionRow.end,
    RejectionRow.label,
    RejectionRow.layer,
).where(RejectionRow.annotation_id.in_(bindparam("ids", expanding=True)))


AnnotatorHead = Row[int, str, str, str]
DocumentHead = Row[int, str, str, dict[str, Any], bytes | None, str]
AnnotationHead = Row[int, int, str, int, datetime, bool]


def annotator_from(row: AnnotatorHead) -> Annotator:
    return Annotator(row.name, AnnotatorKind(row.kind), AnnotatorRole(row.role), row.id)


ANNOTATOR_COLUMNS = (AnnotatorRow.id, AnnotatorRow.name, AnnotatorRow.kind, AnnotatorRow.role)


def document_from(row: DocumentHead) -> Document:
    """A document from a row of ``DOCUMENT_COLUMNS``."""
    doc_id, external_id, text, meta, tokens, sha256 = row
    return Document(
        text=text,
        external_id=external_id,
        meta=dict(meta or {}),
        id=doc_id,
        tokens=decode_tokens(tokens, text) if tokens is not None else None,
        sha256=sha256,
    )


def copy_document(doc: Document) -> Document:
    # Callers may change what they get (meta, tokens); a cached copy must not change.
    return Document(
        text=doc.text,
        external_id=doc.external_id,
        meta=dict(doc.meta),
        id=doc.id,
        # a TokenArray is immutable: shared, not copied (a list of tuples per token
        # would cost a long article hundreds of megabytes)
        tokens=(
            None
            if doc.tokens is None
            else doc.tokens if isinstance(doc.tokens, TokenArray) else list(doc.tokens)
        ),
        sha256=doc.sha256,
    )


def annotations_from(
    conn: Connection, heads: Sequence[AnnotationHead], annotator: str
) -> list[Annotation]:
    """Annotations for rows of ``ANNOTATION_HEAD`` (one annotator's, at most a chunk),
    with their spans, relations and rejections read in one query per table."""
    if not heads:
        return []
    ids = {"ids": [h[0] for h in heads]}
    spans: dict[int, dict[int, Span]] = {i: {} for i in ids["ids"]}
    # .all(): one fetchall, not a fetchone per row (an article has thousands of spans)
    for aid, sid, start, end, label, layer, origin, kind, conf in conn.execute(
        _SPANS_OF, ids
    ).all():
        spans[aid][sid] = Span(
            start,
            end,
            label,
            _LAYERS[layer],
            _ORIGINS[origin],
            _KINDS[kind] if kind else None,
            conf,
        )
    relations: dict[int, list[Relation]] = {i: [] for i in ids["ids"]}
    for aid, head, child, label in conn.execute(_RELATIONS_OF, ids).all():
        by_id = spans[aid]
        relations[aid].append(Relation(by_id[head].key, by_id[child].key, RelationLabel(label)))
    rejected: dict[int, set[SpanKey]] = {i: set() for i in ids["ids"]}
    for aid, start, end, label, layer in conn.execute(_REJECTIONS_OF, ids).all():
        rejected[aid].add(SpanKey(start, end, label, layer))
    return [
        _annotation(head, annotator, spans[head[0]], relations[head[0]], rejected[head[0]])
        for head in heads
    ]


def _annotation(
    head: AnnotationHead,
    annotator: str,
    spans: dict[int, Span],
    relations: list[Relation],
    rejected: set[SpanKey],
) -> Annotation:
    aid, document_id, status, version, stamp, flagged = head
    return Annotation(
        document_id=document_id,
        annotator=annotator,
        spans=list(spans.values()),
        relations=relations,
        status=_STATUSES[status],
        version=version,
        updated_at=stamp,
        flagged=bool(flagged),
        rejected=rejected,
        id=aid,
    )


def span_values(annotation_id: int, spans: Iterable[Span]) -> list[dict[str, object]]:
    """Insert parameters of ``spans`` for the spans table."""
    return [
        {
            "annotation_id": annotation_id,
            "start": sp.start,
            "end": sp.end,
            "label": sp.label,
            "layer": str(sp.layer),
            "origin": str(sp.origin),
            "kind": str(sp.kind) if sp.kind else None,
            "confidence": sp.confidence,
        }
        for sp in spans
    ]


def rejection_values(annotation_id: int, keys: Iterable[SpanKey]) -> list[dict[str, object]]:
    return [
        {
            "annotation_id": annotation_id,
            "start": k.start,
            "end": k.end,
            "label": k.label,
            "layer": k.layer,
        }
        for k in keys
    ]
