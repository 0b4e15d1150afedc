"""Annotations: one annotator's version of one document, read whole, replaced whole,
or changed by one edit under optimistic locking."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.core import Annotation, AnnotationStatus, Annotator, Document, SpanKey
from annotator.core.operations import AnnotationDiff
from annotator.storage.annotation_writes import (
    BUMP_VERSION,
    bulk_insert_annotations,
    insert_contents,
    write_diff,
)
from annotator.storage.base import (
    ANNOTATIONS,
    CONFLICT_MESSAGE,
    DOCUMENTS,
    REJECTIONS,
    SPANS,
    ConflictError,
    Store,
    chunks,
    now,
)
from annotator.storage.documents import insert_documents_in
from annotator.storage.engine import Database, StorageError
from annotator.storage.models import AnnotationRow, DocumentRow, RejectionRow, SpanRow
from annotator.storage.rows import (
    ANNOTATION_HEAD,
    DOCUMENT_COLUMNS,
    annotations_from,
    document_from,
)
from annotator.storage.settings import ensure_annotator_in

_A, _S, _J, _D = ANNOTATIONS, SPANS, REJECTIONS, DOCUMENTS
_HEAD = select(*ANNOTATION_HEAD).where(
    AnnotationRow.document_id == bindparam("doc_id"), AnnotationRow.annotator_id == bindparam("who")
)

_Q = TypeVar("_Q", bound=Select[*tuple[Any, ...]])


def _statuses(q: _Q, statuses: Sequence[AnnotationStatus] | None) -> _Q:
    return q.where(AnnotationRow.status.in_([str(x) for x in statuses])) if statuses else q


_ANNOTATION_CACHE = 16  # decoded annotations kept per open project


class AnnotationStore(Store):
    def __init__(self, db: Database) -> None:
        super().__init__(db)
        # (document, annotator) -> (its row as read, the annotation): opening an article
        # reads the person's version and the suggestion set, thousands of spans each,
        # which rarely changed since the last read. Every write of an annotation bumps
        # its version and time-stamp, so an equal row means equal contents.
        self._ann_cache: OrderedDict[tuple[int, int], tuple[tuple[Any, ...], Annotation]] = (
            OrderedDict()
        )
        self._ann_lock = threading.Lock()  # the window reads from worker threads
        self._ann_stamp: dict[tuple[int, int], int] = {}

    def load_annotation(self, doc_id: int, annotator: Annotator) -> Annotation | None:
        key = (doc_id, annotator.id or 0)
        stamp = self.db.commit_count()
        if stamp is not None:
            # Nothing committed since this copy was read or checked: not even its head
            # row needs reading (storage/commit_counter.py).
            with self._ann_lock:
                fresh = self._ann_stamp.get(key) == stamp and key in self._ann_cache
                if fresh:
                    self._ann_cache.move_to_end(key)
                    found = self._ann_cache[key][1].copy()
                    found.annotator = annotator.name
                    return found
        with self.db.session() as s:
            conn = s.connection()
            head = conn.execute(_HEAD, {"doc_id": doc_id, "who": annotator.id}).first()
            if head is None:
                return None
            seen = tuple(head)
            with self._ann_lock:
                cached = self._ann_cache.get(key)
                if cached is not None and cached[0] == seen:
                    self._ann_cache.move_to_end(key)
                    self._stamp(key, stamp)
                    found = cached[1].copy()
                    found.annotator = annotator.name
                    return found
            ann = annotations_from(conn, [head], annotator.name)[0]
        with self._ann_lock:
            self._ann_cache[key] = (seen, ann.copy())
            self._stamp(key, stamp)
            while len(self._ann_cache) > _ANNOTATION_CACHE:
                gone, _ = self._ann_cache.popitem(last=False)
                self._ann_stamp.pop(gone, None)
        return ann

    def _stamp(self, key: tuple[int, int], stamp: int | None) -> None:
        """Under ``_ann_lock``: the commit count at which ``key``'s copy was current."""
        if stamp is None:
            self._ann_stamp.pop(key, None)
        else:
            self._ann_stamp[key] = stamp

    def load_annotations(
        self,
        annotator: Annotator,
        doc_ids: Sequence[int] | None = None,
        statuses: Sequence[AnnotationStatus] | None = None,
    ) -> dict[int, Annotation]:
        out: dict[int, Annotation] = {}
        q = _statuses(
            select(*ANNOTATION_HEAD).where(AnnotationRow.annotator_id == annotator.id), statuses
        )
        with self.db.session() as s:
            conn = s.connection()
            if doc_ids is not None:
                pages = [
                    list(conn.execute(q.where(AnnotationRow.document_id.in_(c))))
                    for c in chunks(doc_ids)
                ]
            else:
                heads = list(conn.execute(q.order_by(AnnotationRow.document_id)))
                pages = [list(c) for c in chunks(heads)]
            for page in pages:
                for ann in annotations_from(conn, page, annotator.name):
                    out[ann.document_id or 0] = ann
        return out

    def annotated_document_ids(
        self, annotator: Annotator, statuses: Sequence[AnnotationStatus] | None = None
    ) -> list[int]:
        q = _statuses(
            select(AnnotationRow.document_id).where(AnnotationRow.annotator_id == annotator.id),
            statuses,
        )
        with self.db.session() as s:
            return list(s.scalars(q.order_by(AnnotationRow.document_id)))

    def import_batch(
        self, docs: Sequence[Document], annotations: Sequence[tuple[int, Annotation]]
    ) -> tuple[list[int], list[int]]:
        """Documents and their annotations (by index into ``docs``) in one transaction,
        so an interrupted import never leaves a document without its labels."""
        with self._write_tx() as s:
            new_ids, dup_ids = insert_documents_in(s, docs)
            fresh_docs = set(new_ids)
            annotators: dict[str, Annotator] = {}
            bulk: list[tuple[Annotation, Annotator]] = []
            later: list[tuple[Annotation, Annotator]] = []
            seen: set[tuple[int, int]] = set()
            for index, ann in annotations:
                if ann.annotator not in annotators:
                    annotators[ann.annotator] = ensure_annotator_in(s, ann.annotator)
                who = annotators[ann.annotator]
                ann.document_id = docs[index].id
                key = (ann.document_id or 0, who.id or 0)
                # A document created in this transaction has no annotation yet: insert
                # them all at once. Older documents (and a second record of the same
                # text) replace row by row, as put_annotation does.
                if ann.document_id in fresh_docs and key not in seen:
                    seen.add(key)
                    bulk.append((ann, who))
                else:
                    later.append((ann, who))
            if bulk:
                bulk_insert_annotations(s.connection(), bulk, now())
            for ann, who in later:
                _put(s.connection(), ann, who)
        return new_ids, dup_ids

    def put_annotation(self, annotation: Annotation, annotator: Annotator) -> Annotation:
        """Create or wholly replace an annotation (imports, suggestion runs, adopting a version)."""
        try:
            with self._write_conn() as c:
                return _put(c, annotation, annotator)
        except IntegrityError as exc:
            # Two processes created this annotator's annotation of the document at
            # the same moment: the other one won; show theirs rather than fail obscurely.
            current = (
                self.load_annotation(annotation.document_id, annotator)
                if annotation.document_id is not None
                else None
            )
            if current is None:
                raise StorageError(
                    f"The annotation could not be stored: {exc.orig}", code="E215"
                ) from exc
            raise ConflictError(CONFLICT_MESSAGE, current=current) from exc

    def _reload(self, annotation: Annotation) -> Annotation | None:
        if annotation.id is None:
            return None
        with self.db.session() as s:
            conn = s.connection()
            head = conn.execute(
                select(*ANNOTATION_HEAD).where(AnnotationRow.id == annotation.id)
            ).first()
            if head is None:
                return None
            return annotations_from(conn, [head], annotation.annotator)[0]

    def put_annotations(self, items: Sequence[Annotation], annotator: Annotator) -> None:
        """Create or replace several annotations of one annotator in one transaction;
        those that do not exist yet (a first suggestion run) are inserted in bulk."""
        with self._write_conn() as c:
            ids = [a.document_id for a in items if a.document_id is not None]
            existing = set(
                c.scalars(
                    select(AnnotationRow.document_id).where(
                        AnnotationRow.annotator_id == annotator.id,
                        AnnotationRow.document_id.in_(ids),
                    )
                )
            )
            fresh: list[tuple[Annotation, Annotator]] = []
            later: list[Annotation] = []
            seen: set[int | None] = set()
            for ann in items:
                if ann.document_id in existing or ann.document_id in seen:
                    later.append(ann)  # replaced row by row, after the new ones exist
                else:
                    seen.add(ann.document_id)
                    fresh.append((ann, annotator))
            if fresh:
                bulk_insert_annotations(c, fresh, now())
            for ann in later:
                _put(c, ann, annotator)

    def save_diff(
        self, annotation: Annotation, change: AnnotationDiff, after: Annotation
    ) -> Annotation:
        """Write what changed from ``annotation`` (as loaded) to ``after`` in one transaction.

        The version check makes a concurrent edit of the same annotation fail loudly
        instead of overwriting it silently. A span changed on the same characters (an
        accept, a relabel) is one UPDATE of its row; its relations stay as they are."""
        if annotation.id is None:
            raise StorageError("Annotation was never saved.", code="E211")
        stamp = now()
        try:
            with self._write_conn() as c:
                result = c.execute(
                    BUMP_VERSION,
                    {
                        "aid": annotation.id,
                        "expected": annotation.version,
                        "status": str(after.status),
                        "flagged": after.flagged,
                        "n_spans": len(after.spans),
                        "stamp": stamp,
                    },
                )
                if result.rowcount != 1:
                    raise ConflictError(CONFLICT_MESSAGE)
                write_diff(c, annotation.id, change)
        except ConflictError as exc:
            # Read after the failed transaction ended, so it shows the other save.
            exc.current = self._reload(annotation)
            raise
        saved = after.copy()
        saved.id, saved.version, saved.updated_at = annotation.id, annotation.version + 1, stamp
        return saved

    def delete_annotation(self, doc_id: int, annotator: Annotator) -> None:
        with self._write_tx() as s:
            s.execute(
                delete(_A).where(
                    AnnotationRow.document_id == doc_id, AnnotationRow.annotator_id == annotator.id
                )
            )

    def rejected_keys(self, doc_id: int, annotator: Annotator) -> set[SpanKey]:
        with self.db.session() as s:
            rows = s.execute(
                select(RejectionRow.start, RejectionRow.end, RejectionRow.label, RejectionRow.layer)
                .join(_A, AnnotationRow.id == RejectionRow.annotation_id)
                .where(
                    AnnotationRow.document_id == doc_id, AnnotationRow.annotator_id == annotator.id
                )
            )
            return {SpanKey(a, b, lab, lay) for a, b, lab, lay in rows}

    def has_annotation(self, doc_ids: Sequence[int], annotator: Annotator) -> set[int]:
        found: set[int] = set()
        with self.db.session() as s:
            for chunk in chunks(doc_ids):
                found.update(
                    s.scalars(
                        select(AnnotationRow.document_id).where(
                            AnnotationRow.annotator_id == annotator.id,
                            AnnotationRow.document_id.in_(chunk),
                        )
                    )
                )
        return found

    def accepted_entities(self, annotator: Annotator | None = None) -> list[tuple[str, str]]:
        """(text, label) of every accepted, edited or manual entity (the learning rule's input)."""
        q = (
            select(DocumentRow.text, SpanRow.start, SpanRow.end, SpanRow.label)
            .join(_A, AnnotationRow.id == SpanRow.annotation_id)
            .join(_D, DocumentRow.id == AnnotationRow.document_id)
            .where(SpanRow.layer == "ents", SpanRow.origin != "suggested")
        )
        if annotator is not None:
            q = q.where(AnnotationRow.annotator_id == annotator.id)
        with self.db.session() as s:
            return sorted({(t[a:b], lab) for t, a, b, lab in s.execute(q)})

    def iter_annotations(
        self,
        annotator: Annotator,
        statuses: Sequence[AnnotationStatus] | None = None,
        *,
        batch_size: int = 500,
    ) -> Iterator[tuple[Document, Annotation]]:
        """Every (document, annotation) pair of one annotator, in document id order.

        Reads ``batch_size`` annotations at a time with one query per table and holds
        only one batch, so an export of any size runs in flat memory. Each batch is its
        own short read session, so a long export never holds a read transaction open
        for the UI."""
        after = -1
        while True:
            with self.db.session() as s:
                conn = s.connection()
                q = select(*ANNOTATION_HEAD).where(
                    AnnotationRow.annotator_id == annotator.id, AnnotationRow.document_id > after
                )
                q = _statuses(q, statuses).order_by(AnnotationRow.document_id).limit(batch_size)
                heads = list(conn.execute(q))
                if not heads:
                    return
                after = heads[-1][1]
                rows = {
                    row[0]: row
                    for row in conn.execute(
                        select(*DOCUMENT_COLUMNS).where(DocumentRow.id.in_([h[1] for h in heads]))
                    )
                }
                batch = [
                    (rows[ann.document_id or 0], ann)
                    for ann in annotations_from(conn, heads, annotator.name)
                ]
            # Tokens are decoded one document at a time as it is taken: a batch's
            # hundred thousand Token tuples held at once outlive the young
            # collections and make the cyclic collector scan them again and again.
            for row, ann in batch:
                yield document_from(row), ann
            if len(heads) < batch_size:
                return


def _put(c: Connection | Session, annotation: Annotation, annotator: Annotator) -> Annotation:
    """Create or replace ``annotation`` in an open write transaction."""
    conn = c.connection() if isinstance(c, Session) else c
    # FOR UPDATE (PostgreSQL; SQLite already holds the write lock) keeps a
    # concurrent save_diff from slipping between the read and the rewrite.
    found = conn.execute(
        select(AnnotationRow.id, AnnotationRow.version)
        .where(
            AnnotationRow.document_id == annotation.document_id,
            AnnotationRow.annotator_id == annotator.id,
        )
        .with_for_update()
    ).first()
    stamp = now()
    values = {
        "status": str(annotation.status),
        "flagged": annotation.flagged,
        "n_spans": len(annotation.spans),
        "updated_at": stamp,
    }
    if found is None:
        aid: int = conn.execute(
            insert(_A)
            .values(document_id=annotation.document_id, annotator_id=annotator.id, version=1)
            .values(**values)
            .returning(AnnotationRow.id)
        ).scalar_one()
        version = 1
    else:
        aid, version = found[0], found[1] + 1
        conn.execute(delete(_S).where(SpanRow.annotation_id == aid))
        conn.execute(delete(_J).where(RejectionRow.annotation_id == aid))
        conn.execute(_A.update().where(AnnotationRow.id == aid).values(version=version, **values))
    insert_contents(conn, aid, annotation)
    saved = annotation.copy()
    saved.id, saved.version, saved.updated_at = aid, version, stamp
    saved.annotator = annotator.name
    return saved
