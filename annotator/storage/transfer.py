"""Copy or merge one project database into another (SQLite <-> PostgreSQL).

The source is read inside one read transaction (a consistent snapshot even while
people keep annotating) in batches of documents; each batch is written to the target
in one transaction together with every annotation of those documents, so an
interrupted copy never leaves a document without its labels, and memory stays flat.

Merging into a target that already has documents: a text already there (same sha256)
is not stored twice; an annotator's annotation that both sides hold is kept from the
side that saved it last (``updated_at``) and reported as a conflict when the two differ.
Row ids are never copied (the target numbers its own rows), so PostgreSQL sequences
stay right and two files can be merged into one project.

Rows the target could not hold are skipped and listed (``CopyReport.skipped``), the
rest copied: SQLite stores what PostgreSQL refuses (NUL in a text, a label longer than
its column), so every row is checked by the rules of ``annotator.core.validation``
first, and a batch the target still refuses is copied again document by document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError

from annotator.core import (
    MAX_EXTERNAL_ID_LENGTH,
    label_problem,
    name_problem,
    text_problem,
)
from annotator.storage.base import insert_ignore
from annotator.storage.engine import Database, StorageError
from annotator.storage.models import (
    AnnotationRow,
    AnnotatorRow,
    AssignmentRow,
    DocumentRow,
    RejectionRow,
    RelationRow,
    SettingRow,
    SpanRow,
)

ProgressFn = Callable[[int, int], None]

D: Table = DocumentRow.__table__  # type: ignore[assignment]
A: Table = AnnotationRow.__table__  # type: ignore[assignment]
P: Table = AnnotatorRow.__table__  # type: ignore[assignment]
S: Table = SpanRow.__table__  # type: ignore[assignment]
R: Table = RelationRow.__table__  # type: ignore[assignment]
J: Table = RejectionRow.__table__  # type: ignore[assignment]
G: Table = AssignmentRow.__table__  # type: ignore[assignment]
T: Table = SettingRow.__table__  # type: ignore[assignment]

_IN_CHUNK = 500  # ids per IN (...), under SQLite's variable limit


@dataclass(frozen=True, slots=True)
class Conflict:
    """Both projects hold this annotator's annotation of this document, and they differ."""

    document: str  # external id, else the start of the text's sha256
    annotator: str
    kept: str  # "source" or "target": the one saved last
    source_updated_at: datetime | None
    target_updated_at: datetime | None

    def __str__(self) -> str:
        return (
            f"{self.document} / {self.annotator}: kept the {self.kept}'s version "
            f"(source saved {_fmt(self.source_updated_at)}, "
            f"target saved {_fmt(self.target_updated_at)})"
        )


def _fmt(stamp: datetime | None) -> str:
    return stamp.isoformat(timespec="seconds") if stamp else "never"


@dataclass
class CopyReport:
    documents: int = 0  # copied
    documents_present: int = 0  # the same text was already in the target
    annotators_created: int = 0
    annotations: int = 0  # copied (new in the target)
    annotations_replaced: int = 0  # the source's was newer and different
    annotations_kept: int = 0  # the target's was newer (or as new) and different
    annotations_same: int = 0  # identical on both sides
    spans: int = 0  # span rows written
    assignments: int = 0
    settings: int = 0
    settings_differing: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rows not copied, and why

    def absorb(self, part: CopyReport) -> None:
        """Add the counts of one committed batch."""
        for name in (
            "documents",
            "documents_present",
            "annotations",
            "annotations_replaced",
            "annotations_kept",
            "annotations_same",
            "spans",
            "assignments",
        ):
            setattr(self, name, getattr(self, name) + getattr(part, name))
        self.conflicts += part.conflicts
        self.skipped += part.skipped


def copy_database(
    src: Database,
    dst: Database,
    *,
    batch_size: int = 200,
    progress: ProgressFn | None = None,
) -> CopyReport:
    """Copy (or merge) every document, annotator, annotation, assignment and setting."""
    if src.url == dst.url:
        raise StorageError("Source and target are the same database.", code="E230")
    report = CopyReport()
    with _snapshot(src) as sconn:
        total = sconn.scalar(select(func.count()).select_from(D)) or 0
        annotators = _copy_annotators(sconn, dst, report)
        _copy_settings(sconn, dst, report)
        done = 0
        after = 0
        while True:
            docs = sconn.execute(
                select(D).where(D.c.id > after).order_by(D.c.id).limit(batch_size)
            ).all()
            if not docs:
                break
            after = docs[-1].id
            _copy_batch_or_each(sconn, dst, docs, annotators, report)
            done += len(docs)
            if progress:
                progress(done, total)
    if progress:
        progress(total, total)
    return report


class _snapshot:
    """A read-only connection seeing one consistent state of the source."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.conn: Connection | None = None

    def __enter__(self) -> Connection:
        conn = self.db.engine.connect()
        if self.db.backend == "postgresql":
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        # SQLite: our "begin" listener issues BEGIN on first use; a WAL read
        # transaction keeps its snapshot until it ends, without blocking writers.
        self.conn = conn
        return conn

    def __exit__(self, *_exc: object) -> None:
        assert self.conn is not None
        self.conn.rollback()
        self.conn.close()


def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _copy_annotators(sconn: Connection, dst: Database, report: CopyReport) -> dict[int, int]:
    """Source annotator id -> target annotator id, creating missing annotators by name.
    An annotator whose name the target cannot hold is left out, with its annotations."""
    source = []
    for r in sconn.execute(select(P.c.id, P.c.name, P.c.kind, P.c.role)).all():
        problem = name_problem(r.name, "annotator name")
        if problem is None:
            source.append(r)
        else:
            report.skipped.append(
                f"annotator {r.name[:40]!r}: {problem}; not copied, nor its annotations"
            )
    with dst.write_engine.begin() as t:
        have: dict[str, int] = {
            name: i for i, name in t.execute(select(AnnotatorRow.id, AnnotatorRow.name))
        }
        fresh = [
            {"name": r.name, "kind": r.kind, "role": r.role} for r in source if r.name not in have
        ]
        if fresh:
            t.execute(insert(P), fresh)
            report.annotators_created = len(fresh)
            have = {name: i for i, name in t.execute(select(AnnotatorRow.id, AnnotatorRow.name))}
    return {r.id: have[r.name] for r in source}


def _copy_settings(sconn: Connection, dst: Database, report: CopyReport) -> None:
    """Settings the target lacks are copied; differing ones keep the target's value."""
    source: dict[str, str] = dict(sconn.execute(select(T.c.key, T.c.value)).all())
    with dst.write_engine.begin() as t:
        have: dict[str, str] = dict(t.execute(select(T.c.key, T.c.value)).all())
        fresh = [{"key": k, "value": v} for k, v in source.items() if k not in have]
        if fresh:
            t.execute(insert(T), fresh)
        report.settings += len(fresh)
        report.settings_differing += sorted(
            k for k, v in source.items() if k in have and have[k] != v
        )


@dataclass
class _Ann:
    """An annotation with its children, as rows of one database."""

    row: Any
    spans: list[Any] = field(default_factory=list)
    relations: list[Any] = field(default_factory=list)
    rejections: list[Any] = field(default_factory=list)

    def fingerprint(self) -> tuple[Any, ...]:
        by_id = {s.id: _span_key(s) for s in self.spans}
        return (
            self.row.status,
            bool(self.row.flagged),
            frozenset((*_span_key(s), s.origin, s.kind, s.confidence) for s in self.spans),
            frozenset((by_id[r.head_id], by_id[r.child_id], r.label) for r in self.relations),
            frozenset((j.start, j.end, j.label, j.layer) for j in self.rejections),
        )


def _span_key(s: Any) -> tuple[int, int, str, str]:
    return (s.start, s.end, s.label, s.layer)


def _load_children(conn: Connection, anns: dict[int, _Ann]) -> None:
    ids = list(anns)
    for chunk in _chunks(ids):
        for s in conn.execute(
            select(S).where(S.c.annotation_id.in_(chunk)).order_by(S.c.annotation_id, S.c.id)
        ):
            anns[s.annotation_id].spans.append(s)
        for r in conn.execute(
            select(R).where(R.c.annotation_id.in_(chunk)).order_by(R.c.annotation_id, R.c.id)
        ):
            anns[r.annotation_id].relations.append(r)
        for j in conn.execute(
            select(J).where(J.c.annotation_id.in_(chunk)).order_by(J.c.annotation_id, J.c.id)
        ):
            anns[j.annotation_id].rejections.append(j)


def _document_label(d: Any) -> str:
    return str(d.external_id or d.sha256[:12])[:60]


def _copy_batch_or_each(
    sconn: Connection,
    dst: Database,
    docs: Sequence[Any],
    annotators: dict[int, int],
    report: CopyReport,
) -> None:
    """One transaction for the batch; when the target refuses it, one per document, so
    only the document it refuses is skipped (and listed) and the rest copied."""
    part = CopyReport()
    try:
        _copy_batch(sconn, dst, docs, annotators, part)
    except (DataError, IntegrityError) as exc:
        if len(docs) == 1:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            report.skipped.append(
                f"document {_document_label(docs[0])}: the target refused it ({reason}); "
                "not copied, nor its annotations"
            )
            return
        for doc in docs:
            _copy_batch_or_each(sconn, dst, [doc], annotators, report)
        return
    report.absorb(part)


def _storable(docs: Sequence[Any], report: CopyReport) -> list[Any]:
    """The documents the target can hold; the others are listed as skipped."""
    out = []
    for d in docs:
        problem = text_problem(d.text) or name_problem(
            d.external_id or "", "external id", MAX_EXTERNAL_ID_LENGTH
        )
        if problem is None:
            out.append(d)
        else:
            report.skipped.append(
                f"document {_document_label(d)}: {problem}; not copied, nor its annotations"
            )
    return out


def _drop_bad_labels(ann: _Ann, label: str, report: CopyReport) -> None:
    """Leave out spans (with their relations) and rejections whose label the target
    cannot hold; the annotation itself is copied."""
    bad_ids = set()
    for s in ann.spans:
        problem = label_problem(s.label)
        if problem is not None:
            bad_ids.add(s.id)
            report.skipped.append(f"span {s.start}-{s.end} of {label}: {problem}; not copied")
    if bad_ids:
        ann.spans = [s for s in ann.spans if s.id not in bad_ids]
        ann.relations = [
            r for r in ann.relations if r.head_id not in bad_ids and r.child_id not in bad_ids
        ]
    ann.rejections = [j for j in ann.rejections if label_problem(j.label) is None]


def _copy_batch(
    sconn: Connection,
    dst: Database,
    docs: Sequence[Any],
    annotators: dict[int, int],
    report: CopyReport,
) -> None:
    docs = _storable(docs, report)
    if not docs:
        return
    doc_ids = [d.id for d in docs]
    source: dict[int, _Ann] = {}
    for chunk in _chunks(doc_ids):
        for row in sconn.execute(select(A).where(A.c.document_id.in_(chunk)).order_by(A.c.id)):
            if row.annotator_id in annotators:
                source[row.id] = _Ann(row)
    _load_children(sconn, source)
    label_of = {d.id: d.external_id or d.sha256[:12] for d in docs}
    for ann in source.values():
        _drop_bad_labels(ann, f"document {str(label_of[ann.row.document_id])[:60]}", report)
    assignments = [
        row
        for chunk in _chunks(doc_ids)
        for row in sconn.execute(select(G).where(G.c.document_id.in_(chunk)))
        if row.annotator_id in annotators
    ]
    with dst.write_engine.begin() as t:
        doc_map = _put_documents(t, docs, report)
        names: dict[int, str] = {
            v: k for k, v in t.execute(select(AnnotatorRow.name, AnnotatorRow.id))
        }
        existing: dict[tuple[int, int], _Ann] = {}
        for chunk in _chunks(list(set(doc_map.values()))):
            for row in t.execute(select(A).where(A.c.document_id.in_(chunk))):
                existing[(row.document_id, row.annotator_id)] = _Ann(row)
        fresh: list[_Ann] = []
        for ann in source.values():
            key = (doc_map[ann.row.document_id], annotators[ann.row.annotator_id])
            if key in existing:
                _merge(t, ann, existing[key], key, names, label_of, report)
            else:
                fresh.append(ann)
        _insert_annotations(t, fresh, doc_map, annotators, report)
        if assignments:
            stmt = insert_ignore(t, G)
            rows = [
                {
                    "document_id": doc_map[g.document_id],
                    "annotator_id": annotators[g.annotator_id],
                }
                for g in assignments
            ]
            before = t.scalar(select(func.count()).select_from(G)) or 0
            t.execute(stmt, rows)
            report.assignments += (t.scalar(select(func.count()).select_from(G)) or 0) - before


def _put_documents(t: Connection, docs: Sequence[Any], report: CopyReport) -> dict[int, int]:
    """Source document id -> target document id; texts already there are reused."""
    have: dict[str, int] = {}
    for chunk in _chunks([d.sha256 for d in docs]):
        have.update(t.execute(select(D.c.sha256, D.c.id).where(D.c.sha256.in_(chunk))).all())
    fresh = [d for d in docs if d.sha256 not in have]
    if fresh:
        rows = [
            {
                "external_id": d.external_id,
                "sha256": d.sha256,
                "text": d.text,
                "title": d.title,
                "meta": d.meta,
                "tokens": d.tokens,
                "created_at": d.created_at,
            }
            for d in fresh
        ]
        result = t.execute(insert(D).returning(D.c.sha256, D.c.id), rows)
        have.update(result.all())
    report.documents += len(fresh)
    report.documents_present += len(docs) - len(fresh)
    return {d.id: have[d.sha256] for d in docs}


def _annotation_values(ann: _Ann) -> dict[str, Any]:
    r = ann.row
    return {
        "status": r.status,
        "flagged": r.flagged,
        "n_spans": len(ann.spans),
        "updated_at": r.updated_at,
    }


def _insert_annotations(
    t: Connection,
    anns: list[_Ann],
    doc_map: dict[int, int],
    annotators: dict[int, int],
    report: CopyReport,
) -> None:
    if not anns:
        return
    rows = [
        {
            "document_id": doc_map[a.row.document_id],
            "annotator_id": annotators[a.row.annotator_id],
            "version": a.row.version,
            **_annotation_values(a),
        }
        for a in anns
    ]
    ids = [r[0] for r in t.execute(insert(A).returning(A.c.id, sort_by_parameter_order=True), rows)]
    report.annotations += len(anns)
    for new_id, ann in zip(ids, anns, strict=True):
        _insert_children(t, new_id, ann, report)


def _insert_children(t: Connection, annotation_id: int, ann: _Ann, report: CopyReport) -> None:
    span_ids: dict[int, int] = {}
    if ann.spans:
        rows = [
            {
                "annotation_id": annotation_id,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "layer": s.layer,
                "origin": s.origin,
                "kind": s.kind,
                "confidence": s.confidence,
            }
            for s in ann.spans
        ]
        new = t.execute(insert(S).returning(S.c.id, sort_by_parameter_order=True), rows)
        span_ids = {s.id: r[0] for s, r in zip(ann.spans, new, strict=True)}
        report.spans += len(rows)
    if ann.relations:
        t.execute(
            insert(R),
            [
                {
                    "annotation_id": annotation_id,
                    "head_id": span_ids[r.head_id],
                    "child_id": span_ids[r.child_id],
                    "label": r.label,
                }
                for r in ann.relations
            ],
        )
    if ann.rejections:
        t.execute(
            insert(J),
            [
                {
                    "annotation_id": annotation_id,
                    "start": j.start,
                    "end": j.end,
                    "label": j.label,
                    "layer": j.layer,
                }
                for j in ann.rejections
            ],
        )


def _merge(
    t: Connection,
    ann: _Ann,
    target: _Ann,
    key: tuple[int, int],
    names: dict[int, str],
    label_of: dict[int, str],
    report: CopyReport,
) -> None:
    _load_children(t, {target.row.id: target})
    if ann.fingerprint() == target.fingerprint():
        report.annotations_same += 1
        return
    src_at, dst_at = ann.row.updated_at, target.row.updated_at
    source_wins = src_at is not None and (dst_at is None or src_at > dst_at)
    report.conflicts.append(
        Conflict(
            document=label_of[ann.row.document_id],
            annotator=names.get(key[1], "?"),
            kept="source" if source_wins else "target",
            source_updated_at=src_at,
            target_updated_at=dst_at,
        )
    )
    if not source_wins:
        report.annotations_kept += 1
        return
    aid = target.row.id
    # Rewrite in place and bump the version: a window that has the target's copy open
    # gets a conflict on its next save instead of overwriting the merged version.
    t.execute(
        update(A)
        .where(A.c.id == aid)
        .values(version=target.row.version + 1, **_annotation_values(ann))
    )
    t.execute(delete(R).where(R.c.annotation_id == aid))
    t.execute(delete(J).where(J.c.annotation_id == aid))
    t.execute(delete(S).where(S.c.annotation_id == aid))
    _insert_children(t, aid, ann, report)
    report.annotations_replaced += 1
