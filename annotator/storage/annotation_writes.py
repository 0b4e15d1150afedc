"""Writing annotations inside an open transaction: whole ones (imports, suggestion runs,
adopting a version), many new ones in bulk, and the difference one edit makes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

from annotator.core import Annotation, Annotator, Origin, QuoteKind, Relation, Span, SpanKey
from annotator.core.operations import AnnotationDiff
from annotator.storage.base import (
    ANNOTATIONS,
    REJECTIONS,
    RELATIONS,
    SPANS,
    chunks,
    max_id,
    sqlite_insert_rows,
)
from annotator.storage.engine import StorageError
from annotator.storage.models import AnnotationRow, RejectionRow, RelationRow, SpanRow
from annotator.storage.rows import rejection_values, span_values

_A, _S, _R, _J = ANNOTATIONS, SPANS, RELATIONS, REJECTIONS

# Statements of the per-keystroke save path, built once: constructing a statement costs
# more than executing it. Values come in as bound parameters.
BUMP_VERSION = (
    update(_A)
    .where(AnnotationRow.id == bindparam("aid"), AnnotationRow.version == bindparam("expected"))
    .values(
        version=AnnotationRow.version + 1,
        status=bindparam("status"),
        flagged=bindparam("flagged"),
        n_spans=bindparam("n_spans"),
        updated_at=bindparam("stamp"),
    )
)
_SPAN_MATCH = (
    (SpanRow.annotation_id == bindparam("aid"))
    & (SpanRow.start == bindparam("s_start"))
    & (SpanRow.end == bindparam("s_end"))
    & (SpanRow.label == bindparam("s_label"))
    & (SpanRow.layer == bindparam("s_layer"))
)
_DELETE_SPAN = delete(_S).where(_SPAN_MATCH)
_INSERT_SPANS = insert(_S)
_INSERT_RELATIONS = insert(_R)
_INSERT_REJECTIONS = insert(_J)
# One changed span in place: its id stays, so its relations need no rewriting.
_UPDATE_SPAN = (
    update(_S)
    .where(_SPAN_MATCH)
    .values(
        label=bindparam("n_label"),
        layer=bindparam("n_layer"),
        origin=bindparam("n_origin"),
        kind=bindparam("n_kind"),
        confidence=bindparam("n_confidence"),
    )
)
_DELETE_RELATION = delete(_R).where(
    (RelationRow.annotation_id == bindparam("aid"))
    & (RelationRow.head_id == bindparam("head"))
    & (RelationRow.child_id == bindparam("child"))
    & (RelationRow.label == bindparam("r_label"))
)
_DELETE_REJECTION = delete(_J).where(
    (RejectionRow.annotation_id == bindparam("aid"))
    & (RejectionRow.start == bindparam("s_start"))
    & (RejectionRow.end == bindparam("s_end"))
    & (RejectionRow.label == bindparam("s_label"))
    & (RejectionRow.layer == bindparam("s_layer"))
)
_SPAN_IDS = select(SpanRow.id, SpanRow.start, SpanRow.end, SpanRow.label, SpanRow.layer).where(
    SpanRow.annotation_id == bindparam("aid")
)


def _key_params(aid: int, key: SpanKey) -> dict[str, object]:
    return {
        "aid": aid,
        "s_start": key.start,
        "s_end": key.end,
        "s_label": key.label,
        "s_layer": key.layer,
    }


def span_ids(c: Connection, annotation_id: int) -> dict[SpanKey, int]:
    return {
        SpanKey(a, b, lab, lay): i
        for i, a, b, lab, lay in c.execute(_SPAN_IDS, {"aid": annotation_id})
    }


def _relation_rows(
    annotation_id: int, relations: Iterable[Relation], ids: dict[SpanKey, int]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for rel in relations:
        if rel.head not in ids or rel.child not in ids:
            raise StorageError(f"Relation {rel.label} points at a missing span.", code="E213")
        rows.append(
            {
                "annotation_id": annotation_id,
                "head_id": ids[rel.head],
                "child_id": ids[rel.child],
                "label": str(rel.label),
            }
        )
    return rows


def insert_contents(c: Connection, annotation_id: int, annotation: Annotation) -> None:
    """Spans, relations and rejections of an annotation whose row holds none yet."""
    if annotation.spans:
        c.execute(_INSERT_SPANS, span_values(annotation_id, annotation.spans))
    if annotation.relations:
        ids = span_ids(c, annotation_id)
        c.execute(_INSERT_RELATIONS, _relation_rows(annotation_id, annotation.relations, ids))
    if annotation.rejected:
        c.execute(_INSERT_REJECTIONS, rejection_values(annotation_id, annotation.rejected))


def bulk_insert_annotations(
    c: Connection, items: Sequence[tuple[Annotation, Annotator]], stamp: datetime
) -> None:
    """New annotations with their spans, relations and rejections in a few statements
    (one round trip per table and chunk, instead of several per annotation)."""
    if c.dialect.name == "sqlite":
        _bulk_insert_sqlite(c, items, stamp)
        return
    for chunk in chunks(items):
        ann_ids = [
            r[0]
            for r in c.execute(
                insert(_A).returning(AnnotationRow.id, sort_by_parameter_order=True),
                [
                    {
                        "document_id": ann.document_id,
                        "annotator_id": who.id,
                        "status": str(ann.status),
                        "version": 1,
                        "flagged": ann.flagged,
                        "n_spans": len(ann.spans),
                        "updated_at": stamp,
                    }
                    for ann, who in chunk
                ],
            )
        ]
        span_rows = [
            row
            for aid, (ann, _who) in zip(ann_ids, chunk, strict=True)
            for row in span_values(aid, ann.spans)
        ]
        new_span_ids: list[int] = []
        if span_rows:
            new_span_ids = [
                r[0]
                for r in c.execute(
                    insert(_S).returning(SpanRow.id, sort_by_parameter_order=True), span_rows
                )
            ]
        rel_rows: list[dict[str, object]] = []
        rej_rows: list[dict[str, object]] = []
        pos = 0
        for aid, (ann, _who) in zip(ann_ids, chunk, strict=True):
            ids = {sp.key: new_span_ids[pos + i] for i, sp in enumerate(ann.spans)}
            pos += len(ann.spans)
            rel_rows += _relation_rows(aid, ann.relations, ids)
            rej_rows += rejection_values(aid, ann.rejected)
        if rel_rows:
            c.execute(_INSERT_RELATIONS, rel_rows)
        if rej_rows:
            c.execute(_INSERT_REJECTIONS, rej_rows)


_ANNOTATION_COLUMNS = (
    "id", "document_id", "annotator_id", "status", "version", "flagged", "n_spans", "updated_at",
)  # fmt: skip
_SPAN_COLUMNS = (
    "id", "annotation_id", "start", "end", "label", "layer", "origin", "kind", "confidence",
)  # fmt: skip
_RELATION_COLUMNS = ("annotation_id", "head_id", "child_id", "label")
_REJECTION_COLUMNS = ("annotation_id", "start", "end", "label", "layer")


def _bulk_insert_sqlite(
    c: Connection, items: Sequence[tuple[Annotation, Annotator]], stamp: datetime
) -> None:
    """``bulk_insert_annotations`` on SQLite: the ids are given, not returned. The write
    transaction holds SQLite's write lock from its start (BEGIN IMMEDIATE), so the ids
    above the largest stored one are free -- the ones SQLite would pick itself -- and
    every relation's span ids are known without reading them back."""
    next_ann = max_id(c, _A) + 1
    ann_rows: list[tuple[object, ...]] = []
    for aid, (ann, who) in enumerate(items, start=next_ann):
        ann_rows.append(
            (aid, ann.document_id, who.id, str(ann.status), 1, ann.flagged, len(ann.spans), stamp)
        )
    sqlite_insert_rows(c, _A, _ANNOTATION_COLUMNS, ann_rows)
    # Span rows are made and inserted a chunk at a time, and only the spans that a
    # relation names keep their id: a long article's suggestions (a hundred thousand
    # spans) would otherwise be held twice more, as rows and as an id map.
    rel_rows: list[tuple[object, ...]] = []
    rej_rows: list[tuple[object, ...]] = []
    rows: list[tuple[object, ...]] = []
    next_span = max_id(c, _S) + 1
    origin_name, kind_name = _ORIGIN_NAME, _KIND_NAME
    for aid, (ann, _who) in enumerate(items, start=next_ann):
        linked = {k for rel in ann.relations for k in (rel.head, rel.child)}
        ids: dict[SpanKey, int] = {}
        for sp in ann.spans:
            key = sp.key
            if key in linked:
                ids[key] = next_span
            conf = sp.confidence
            rows.append(
                (next_span, aid, sp.start, sp.end, sp.label, key.layer,
                 origin_name.get(sp.origin) or str(sp.origin),
                 kind_name[sp.kind] if sp.kind in kind_name else str(sp.kind),
                 conf if conf is None or type(conf) is float else float(conf))
            )  # fmt: skip
            next_span += 1
            if len(rows) >= _SPAN_CHUNK:
                # The span rows hold what the columns' bind processors would make of
                # them already (the one processor, Float's, makes a confidence a
                # float): inserted as they are, without a second pass over them.
                _insert_prepared(c, _S, _SPAN_COLUMNS, rows)
                rows = []
        for rel in ann.relations:
            head, child = ids.get(rel.head), ids.get(rel.child)
            if head is None or child is None:
                raise StorageError(f"Relation {rel.label} points at a missing span.", code="E213")
            rel_rows.append((aid, head, child, str(rel.label)))
        rej_rows += [(aid, k.start, k.end, k.label, k.layer) for k in ann.rejected]
    _insert_prepared(c, _S, _SPAN_COLUMNS, rows)
    sqlite_insert_rows(c, _R, _RELATION_COLUMNS, rel_rows)
    sqlite_insert_rows(c, _J, _REJECTION_COLUMNS, rej_rows)


_SPAN_CHUNK = 10_000  # span rows made before they are inserted


_ORIGIN_NAME: dict[object, str] = {o: str(o) for o in Origin}
_KIND_NAME: dict[object, str | None] = {None: None, **{k: str(k) for k in QuoteKind}}


def _insert_prepared(
    c: Connection, table: Table, columns: Sequence[str], rows: list[tuple[object, ...]]
) -> None:
    """``sqlite_insert_rows`` for rows whose values need no bind processor."""
    if not rows:
        return
    quoted = ", ".join(c.dialect.identifier_preparer.quote(name) for name in columns)
    marks = ", ".join("?" for _ in columns)
    c.exec_driver_sql(f"INSERT INTO {table.name} ({quoted}) VALUES ({marks})", rows)


def _changed_in_place(change: AnnotationDiff) -> dict[SpanKey, Span]:
    """Removed span -> added span that replaces it on the same characters (an accept,
    a relabel, a new quote kind): written as one UPDATE of the row. Only one-to-one
    pairs: where several spans on a range change, delete and insert stay exact."""
    removed: dict[tuple[int, int], list[SpanKey]] = {}
    for key in change.removed_spans:
        removed.setdefault((key.start, key.end), []).append(key)
    added: dict[tuple[int, int], list[Span]] = {}
    for span in change.added_spans:
        added.setdefault((span.start, span.end), []).append(span)
    return {
        olds[0]: news[0]
        for where, olds in removed.items()
        if len(olds) == 1 and len(news := added.get(where, [])) == 1
    }


def write_diff(c: Connection, aid: int, change: AnnotationDiff) -> None:
    """The rows that ``change`` touches, after the version check has passed."""
    in_place = _changed_in_place(change)
    moved = {old: new.key for old, new in in_place.items()}
    removed_relations = list(change.removed_relations)
    added_relations = list(change.added_relations)
    if moved:
        # A relation of a span changed in place still points at the same row: the diff
        # lists it as removed (old key) and added (new key); both are no-ops here. Not
        # so when its other end is deleted and inserted again: the delete takes the
        # relation with it (ON DELETE CASCADE), so it is written again.
        rewritten = set(change.removed_spans) - moved.keys()
        still = {
            r: Relation(moved.get(r.head, r.head), moved.get(r.child, r.child), r.label)
            for r in removed_relations
            if r.head not in rewritten and r.child not in rewritten
        }
        gone = set(added_relations) & set(still.values())
        added_relations = [r for r in added_relations if r not in gone]
        removed_relations = [r for r in removed_relations if still.get(r) not in gone]
    if removed_relations:
        ids = span_ids(c, aid)
        c.execute(
            _DELETE_RELATION,
            [
                {"aid": aid, "head": ids.get(r.head), "child": ids.get(r.child),
                 "r_label": str(r.label)}
                for r in removed_relations
            ],
        )  # fmt: skip
    deleted = [k for k in change.removed_spans if k not in in_place]
    if deleted:
        # relations to removed spans go with them (ON DELETE CASCADE)
        c.execute(_DELETE_SPAN, [_key_params(aid, k) for k in deleted])
    if in_place:
        c.execute(
            _UPDATE_SPAN,
            [
                _key_params(aid, old) | {
                    "n_label": new.label, "n_layer": str(new.layer), "n_origin": str(new.origin),
                    "n_kind": str(new.kind) if new.kind else None, "n_confidence": new.confidence,
                }
                for old, new in in_place.items()
            ],
        )  # fmt: skip
    inserted = [s for s in change.added_spans if s.key not in set(moved.values())]
    if inserted:
        c.execute(_INSERT_SPANS, span_values(aid, inserted))
    if added_relations:
        c.execute(_INSERT_RELATIONS, _relation_rows(aid, added_relations, span_ids(c, aid)))
    if change.rejected_removed:
        c.execute(_DELETE_REJECTION, [_key_params(aid, k) for k in change.rejected_removed])
    if change.rejected_added:
        c.execute(_INSERT_REJECTIONS, rejection_values(aid, change.rejected_added))
