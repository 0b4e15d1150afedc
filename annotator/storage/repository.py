"""Repository functions: every read returns ``core`` dataclasses; every write is one transaction."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    case,
    column,
    delete,
    func,
    insert,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

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
    Token,
    decode_tokens,
    encode_tokens,
)
from annotator.core.operations import AnnotationDiff
from annotator.storage.engine import (
    WRITE_FAILED,
    Database,
    StorageError,
    describe_operational_error,
)
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
from annotator.storage.notes import NoteStore

_A = AnnotationRow.__table__
_S = SpanRow.__table__
_R = RelationRow.__table__
_J = RejectionRow.__table__

# Statements of the per-keystroke save path, built once: constructing a statement costs
# more than executing it. Values come in as bound parameters.
_BUMP_VERSION = (
    update(_A)
    .where(_A.c.id == bindparam("aid"), _A.c.version == bindparam("expected"))
    .values(
        version=_A.c.version + 1,
        status=bindparam("status"),
        flagged=bindparam("flagged"),
        n_spans=bindparam("n_spans"),
        updated_at=bindparam("stamp"),
    )
)
_SPAN_MATCH = (
    (_S.c.annotation_id == bindparam("aid"))
    & (_S.c.start == bindparam("s_start"))
    & (_S.c.end == bindparam("s_end"))
    & (_S.c.label == bindparam("s_label"))
    & (_S.c.layer == bindparam("s_layer"))
)
_DELETE_SPAN = delete(_S).where(_SPAN_MATCH)
_INSERT_SPANS = insert(_S)
_INSERT_RELATIONS = insert(_R)
_INSERT_REJECTIONS = insert(_J)
_DELETE_REJECTION = delete(_J).where(
    (_J.c.annotation_id == bindparam("aid"))
    & (_J.c.start == bindparam("s_start"))
    & (_J.c.end == bindparam("s_end"))
    & (_J.c.label == bindparam("s_label"))
    & (_J.c.layer == bindparam("s_layer"))
)
_SPAN_IDS = select(_S.c.id, _S.c.start, _S.c.end, _S.c.label, _S.c.layer).where(
    _S.c.annotation_id == bindparam("aid")
)


_FTS = table("documents_fts", column("rowid"))
SEARCH_INDEXED_UPTO = "search_indexed_upto"


def _key_params(aid: int, key: SpanKey) -> dict[str, object]:
    return {
        "aid": aid,
        "s_start": key.start,
        "s_end": key.end,
        "s_label": key.label,
        "s_layer": key.layer,
    }


_DOC_CACHE = 32  # decoded documents kept per open project
_CHUNK = 500  # rows per IN (...) / executemany; well under SQLite's variable limit
# Enum lookups by value without Enum.__new__ per row (bulk reads make millions).
_LAYERS = {str(x): x for x in Layer}
_ORIGINS = {str(x): x for x in Origin}
_KINDS = {str(x): x for x in QuoteKind}


class ConflictError(StorageError):
    """Someone else saved this annotation since it was loaded (optimistic locking).

    ``current`` is the annotation as it is stored now (``None`` when it was deleted),
    so the caller can show it instead of the stale copy: the refused edit is never
    written over the other one."""

    code = "E210"

    def __init__(
        self, message: str, *, current: Annotation | None = None, code: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.current = current


CONFLICT_MESSAGE = (
    "This annotation was changed elsewhere (another window or annotator) since it was "
    "opened, so this edit was not saved and nothing was overwritten. The current version "
    "has been reloaded: repeat the edit on it."
)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DocumentListRow:
    id: int
    external_id: str
    title: str
    status: AnnotationStatus
    n_spans: int


class Repository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._doc_cache: OrderedDict[int, Document] = OrderedDict()
        self._cache_lock = threading.Lock()  # the window calls from worker threads
        self.notes = NoteStore(self)  # document notes and flags (storage/notes.py)

    @contextmanager
    def _db_errors(self) -> Iterator[None]:
        """Database failures become a ``StorageError`` whose message says what happened
        and that nothing was half-written."""
        try:
            yield
        except OperationalError as exc:
            raise StorageError(
                describe_operational_error(exc, busy_timeout_ms=self.db.busy_timeout_ms),
                code=WRITE_FAILED,
            ) from exc
        except DataError as exc:
            raise StorageError(
                f"The database refused the data; nothing was written. ({exc.orig})",
                code="E214",
            ) from exc
        except IntegrityError:
            raise
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StorageError(describe_operational_error(exc), code=WRITE_FAILED) from exc
            raise

    @contextmanager
    def _write_tx(self) -> Iterator[Session]:
        """One write transaction in an ORM session."""
        with self._db_errors(), self.db.write_session() as s, s.begin():
            yield s

    @contextmanager
    def _write_conn(self) -> Iterator[Connection]:
        """One write transaction on a bare connection: the per-keystroke save needs no
        ORM session, and skipping it is a good part of that path's cost."""
        with self._db_errors(), self.db.write_engine.begin() as conn:
            yield conn

    # settings -----------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        with self.db.session() as s:
            row = s.get(SettingRow, key)
            return row.value if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._write_tx() as s:
            row = s.get(SettingRow, key)
            if row is None:
                s.add(SettingRow(key=key, value=value))
            else:
                row.value = value

    # annotators ---------------------------------------------------------------------

    def ensure_annotator(
        self,
        name: str,
        kind: AnnotatorKind = AnnotatorKind.HUMAN,
        role: AnnotatorRole = AnnotatorRole.ANNOTATOR,
    ) -> Annotator:
        existing = self.annotator(name)
        if existing is not None:
            return existing
        try:
            with self._write_tx() as s:
                row = AnnotatorRow(name=name, kind=str(kind), role=str(role))
                s.add(row)
                s.flush()
                return _annotator(row)
        except IntegrityError:  # created by another process meanwhile
            found = self.annotator(name)
            assert found is not None
            return found

    def set_role(self, name: str, role: AnnotatorRole) -> None:
        with self._write_tx() as s:
            s.execute(update(AnnotatorRow).where(AnnotatorRow.name == name).values(role=str(role)))

    def annotators(self) -> list[Annotator]:
        with self.db.session() as s:
            return [
                _annotator(r) for r in s.scalars(select(AnnotatorRow).order_by(AnnotatorRow.id))
            ]

    def annotator(self, name: str) -> Annotator | None:
        with self.db.session() as s:
            row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
            return _annotator(row) if row else None

    # documents ----------------------------------------------------------------------

    def insert_documents(self, docs: Sequence[Document]) -> tuple[list[int], list[int]]:
        """Insert new documents in one transaction; return (new ids, ids of duplicates).

        A text already stored (same sha256) is not stored again; each ``Document``
        gets its ``id`` set either way."""
        return self.import_batch(docs, [])

    def import_batch(
        self, docs: Sequence[Document], annotations: Sequence[tuple[int, Annotation]]
    ) -> tuple[list[int], list[int]]:
        """Documents and their annotations (by index into ``docs``) in one transaction,
        so an interrupted import never leaves a document without its labels."""
        with self._write_tx() as s:
            new_ids, dup_ids = _insert_documents(s, docs)
            fresh_docs = set(new_ids)
            annotators: dict[str, Annotator] = {}
            bulk: list[tuple[Annotation, Annotator]] = []
            later: list[tuple[Annotation, Annotator]] = []
            seen: set[tuple[int, int]] = set()
            for index, ann in annotations:
                if ann.annotator not in annotators:
                    annotators[ann.annotator] = _ensure_annotator(s, ann.annotator)
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
            _bulk_insert_annotations(s, bulk)
            for ann, who in later:
                self._put(s, ann, who)
        return new_ids, dup_ids

    def count_documents(self) -> int:
        with self.db.session() as s:
            return s.scalar(select(func.count(DocumentRow.id))) or 0

    def document_ids(self, *, after: int = 0, limit: int = 1000) -> list[int]:
        with self.db.session() as s:
            return list(
                s.scalars(
                    select(DocumentRow.id)
                    .where(DocumentRow.id > after)
                    .order_by(DocumentRow.id)
                    .limit(limit)
                )
            )

    def get_document(self, doc_id: int) -> Document:
        with self.db.session() as s:
            # Texts never change after import, but decoding a long article's tokens
            # costs milliseconds and every action asks for its document: reuse the
            # decoded copy while the stored sha256 (one indexed lookup) still matches.
            sha = s.connection().scalar(
                select(DocumentRow.__table__.c.sha256).where(DocumentRow.__table__.c.id == doc_id)
            )
            if sha is None:
                raise StorageError(f"No document with id {doc_id}.", code="E202")
            with self._cache_lock:
                cached = self._doc_cache.get(doc_id)
                if cached is not None and cached.sha256 == sha:
                    self._doc_cache.move_to_end(doc_id)
                    return _copy_document(cached)
            row = s.get(DocumentRow, doc_id)
            if row is None:
                raise StorageError(f"No document with id {doc_id}.", code="E202")
            doc = _document(row)
        if doc.tokens is not None:
            with self._cache_lock:
                self._doc_cache[doc_id] = _copy_document(doc)
                while len(self._doc_cache) > _DOC_CACHE:
                    self._doc_cache.popitem(last=False)
        return doc

    def get_documents(self, doc_ids: Sequence[int]) -> list[Document]:
        out: dict[int, Document] = {}
        with self.db.session() as s:
            for chunk in _chunks(doc_ids):
                for row in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(chunk))):
                    out[row.id] = _document(row)
        return [out[i] for i in doc_ids if i in out]

    def set_tokens(self, items: Iterable[tuple[int, list[Token]]]) -> None:
        rows = [{"id": doc_id, "tokens": encode_tokens(toks)} for doc_id, toks in items]
        if not rows:
            return
        with self._write_tx() as s:
            s.execute(update(DocumentRow), rows)

    def ids_without_tokens(self, limit: int = 1000) -> list[int]:
        with self.db.session() as s:
            return list(
                s.scalars(
                    select(DocumentRow.id)
                    .where(DocumentRow.tokens.is_(None))
                    .order_by(DocumentRow.id)
                    .limit(limit)
                )
            )

    def document_by_sha(self, sha256: str) -> int | None:
        with self.db.session() as s:
            return s.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256))

    def document_ids_by_sha(self, shas: Sequence[str]) -> dict[str, int]:
        """sha256 -> id of the texts already stored (a resumed import asks per batch)."""
        with self.db.session() as s:
            return _ids_by_sha(s, shas)

    # document list (paged, joined with one annotator's status) ------------------------

    def _list_query(
        self,
        columns: Sequence,
        annotator_id: int,
        status: AnnotationStatus | None,
        search: str | None,
        assigned_only: bool,
    ):  # type: ignore[no-untyped-def]
        joined = AnnotationRow.__table__.alias("a")
        q = select(*columns).select_from(
            DocumentRow.__table__.outerjoin(
                joined,
                and_(joined.c.document_id == DocumentRow.id, joined.c.annotator_id == annotator_id),
            )
        )
        if status is not None:
            if status == AnnotationStatus.TODO:
                q = q.where(or_(joined.c.status.is_(None), joined.c.status == "todo"))
            else:
                q = q.where(joined.c.status == str(status))
        if search:
            q = q.where(self._search_condition(search))
        if assigned_only:
            q = q.where(
                DocumentRow.id.in_(
                    select(AssignmentRow.document_id).where(
                        AssignmentRow.annotator_id == annotator_id
                    )
                )
            )
        return q, joined

    def _search_condition(self, search: str) -> ColumnElement[bool]:
        """``search`` as a phrase in the title or text (its last word may be the start of
        a longer one), or anywhere in the file name."""
        pattern = f"%{search}%"
        in_file_name = DocumentRow.external_id.ilike(pattern)
        scanned = or_(DocumentRow.title.ilike(pattern), DocumentRow.text.ilike(pattern))
        words = re.findall(r"\w+", search)
        if not self.db.is_sqlite or not words:
            return or_(in_file_name, scanned)
        # the FTS5 index (migration 0004) for the documents it covers; a scan only for
        # those imported since the last indexing pass
        upto = int(self.get_setting(SEARCH_INDEXED_UPTO, "0") or 0)
        phrase = '"' + " ".join(words) + '"*'
        indexed = (
            select(_FTS.c.rowid)
            .select_from(_FTS)
            .where(text("documents_fts MATCH :fts").bindparams(fts=phrase))
        )
        return or_(in_file_name, DocumentRow.id.in_(indexed), and_(DocumentRow.id > upto, scanned))

    def list_documents(
        self,
        annotator_id: int,
        *,
        offset: int = 0,
        limit: int = 200,
        status: AnnotationStatus | None = None,
        search: str | None = None,
        assigned_only: bool = False,
        after_id: int | None = None,
    ) -> list[DocumentListRow]:
        """A page of the list in document order. ``after_id`` (keyset paging) reads the
        page after that document in time independent of how deep it is; ``offset``
        has to skip every row before it."""
        q, a = self._list_query(
            [DocumentRow.id, DocumentRow.external_id, DocumentRow.title],
            annotator_id,
            status,
            search,
            assigned_only,
        )
        if after_id is not None:
            q = q.where(DocumentRow.id > after_id)
        q = (
            q.add_columns(a.c.status, a.c.n_spans)
            .order_by(DocumentRow.id)
            .offset(offset)
            .limit(limit)
        )
        with self.db.session() as s:
            return [
                DocumentListRow(r[0], r[1], r[2], AnnotationStatus(r[3] or "todo"), int(r[4] or 0))
                for r in s.execute(q)
            ]

    def count_list(
        self,
        annotator_id: int,
        *,
        status: AnnotationStatus | None = None,
        search: str | None = None,
        assigned_only: bool = False,
    ) -> int:
        q, _ = self._list_query(
            [func.count(DocumentRow.id)], annotator_id, status, search, assigned_only
        )
        with self.db.session() as s:
            return s.scalar(q) or 0

    def count_finished(self, annotator_id: int, *, assigned_only: bool = False) -> tuple[int, int]:
        """(done or skipped, all) in this annotator's list, in one query: the window asks
        after every finished article."""
        q, joined = self._list_query(
            [func.count(DocumentRow.id)], annotator_id, None, None, assigned_only
        )
        finished = func.sum(case((joined.c.status.in_(("done", "skipped")), 1), else_=0))
        with self.db.session() as s:
            total, done = s.execute(q.add_columns(finished)).one()
        return int(done or 0), int(total or 0)

    def next_document(
        self, annotator_id: int, after_id: int | None, *, assigned_only: bool = False
    ) -> int | None:
        a = AnnotationRow.__table__.alias("a")
        open_status = or_(a.c.status.is_(None), a.c.status.in_(("todo", "in_progress")))
        base = (
            select(DocumentRow.id)
            .select_from(
                DocumentRow.__table__.outerjoin(
                    a, and_(a.c.document_id == DocumentRow.id, a.c.annotator_id == annotator_id)
                )
            )
            .where(open_status)
        )
        if assigned_only:
            base = base.where(
                DocumentRow.id.in_(
                    select(AssignmentRow.document_id).where(
                        AssignmentRow.annotator_id == annotator_id
                    )
                )
            )
        with self.db.session() as s:
            if after_id is not None:
                found = s.scalar(
                    base.where(DocumentRow.id > after_id).order_by(DocumentRow.id).limit(1)
                )
                if found is not None:
                    return found
            found = s.scalar(base.order_by(DocumentRow.id).limit(1))
            return found if found != after_id else None

    def status_counts(self) -> dict[str, dict[str, int]]:
        """Per annotator, documents by status (documents without an annotation count as todo)."""
        total = self.count_documents()
        out: dict[str, dict[str, int]] = {}
        with self.db.session() as s:
            names = {r.id: r.name for r in s.scalars(select(AnnotatorRow))}
            for aid in names:
                out[names[aid]] = {str(st): 0 for st in AnnotationStatus}
            rows = s.execute(
                select(AnnotationRow.annotator_id, AnnotationRow.status, func.count()).group_by(
                    AnnotationRow.annotator_id, AnnotationRow.status
                )
            )
            for aid, status, n in rows:
                out[names[aid]][status] += n
        for counts in out.values():
            counts["todo"] += total - sum(counts.values())
        return out

    # annotations --------------------------------------------------------------------

    def load_annotation(self, doc_id: int, annotator: Annotator) -> Annotation | None:
        with self.db.session() as s:
            row = s.scalar(
                select(AnnotationRow).where(
                    AnnotationRow.document_id == doc_id,
                    AnnotationRow.annotator_id == annotator.id,
                )
            )
            if row is None:
                return None
            return _load_full(s, row, annotator.name)

    def load_annotations(
        self,
        annotator: Annotator,
        doc_ids: Sequence[int] | None = None,
        statuses: Sequence[AnnotationStatus] | None = None,
    ) -> dict[int, Annotation]:
        out: dict[int, Annotation] = {}
        with self.db.session() as s:
            q = select(AnnotationRow).where(AnnotationRow.annotator_id == annotator.id)
            if statuses:
                q = q.where(AnnotationRow.status.in_([str(x) for x in statuses]))
            if doc_ids is not None:
                for chunk in _chunks(doc_ids):
                    for row in s.scalars(q.where(AnnotationRow.document_id.in_(chunk))):
                        out[row.document_id] = _load_full(s, row, annotator.name)
            else:
                for row in s.scalars(q.order_by(AnnotationRow.document_id)):
                    out[row.document_id] = _load_full(s, row, annotator.name)
        return out

    def annotated_document_ids(
        self, annotator: Annotator, statuses: Sequence[AnnotationStatus] | None = None
    ) -> list[int]:
        q = select(AnnotationRow.document_id).where(AnnotationRow.annotator_id == annotator.id)
        if statuses:
            q = q.where(AnnotationRow.status.in_([str(x) for x in statuses]))
        with self.db.session() as s:
            return list(s.scalars(q.order_by(AnnotationRow.document_id)))

    def put_annotation(self, annotation: Annotation, annotator: Annotator) -> Annotation:
        """Create or wholly replace an annotation (imports, suggestion runs, adopting a version)."""
        try:
            with self._write_tx() as s:
                return self._put(s, annotation, annotator)
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
            row = s.get(AnnotationRow, annotation.id)
            return _load_full(s, row, annotation.annotator) if row is not None else None

    def put_annotations(self, items: Sequence[Annotation], annotator: Annotator) -> None:
        """Create or replace several annotations of one annotator in one transaction;
        those that do not exist yet (a first suggestion run) are inserted in bulk."""
        with self._write_tx() as s:
            ids = [a.document_id for a in items if a.document_id is not None]
            existing = set(
                s.scalars(
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
            _bulk_insert_annotations(s, fresh)
            for ann in later:
                self._put(s, ann, annotator)

    def _put(self, s: Session, annotation: Annotation, annotator: Annotator) -> Annotation:
        # FOR UPDATE (PostgreSQL; SQLite already holds the write lock) keeps a
        # concurrent save_diff from slipping between the read and the rewrite.
        row = s.scalar(
            select(AnnotationRow)
            .where(
                AnnotationRow.document_id == annotation.document_id,
                AnnotationRow.annotator_id == annotator.id,
            )
            .with_for_update()
        )
        stamp = now()
        if row is None:
            row = AnnotationRow(
                document_id=annotation.document_id,
                annotator_id=annotator.id,
                status=str(annotation.status),
                version=1,
                flagged=annotation.flagged,
                n_spans=len(annotation.spans),
                updated_at=stamp,
            )
            s.add(row)
            s.flush()
        else:
            s.execute(delete(SpanRow).where(SpanRow.annotation_id == row.id))
            s.execute(delete(RejectionRow).where(RejectionRow.annotation_id == row.id))
            row.status = str(annotation.status)
            row.version += 1
            row.flagged = annotation.flagged
            row.n_spans = len(annotation.spans)
            row.updated_at = stamp
            s.flush()
        _insert_spans(s, row.id, annotation.spans, annotation.relations)
        _insert_rejections(s, row.id, annotation.rejected)
        saved = annotation.copy()
        saved.id, saved.version, saved.updated_at = row.id, row.version, stamp
        saved.annotator = annotator.name
        return saved

    def save_diff(
        self, annotation: Annotation, change: AnnotationDiff, after: Annotation
    ) -> Annotation:
        """Write what changed from ``annotation`` (as loaded) to ``after`` in one transaction.

        The version check makes a concurrent edit of the same annotation fail loudly
        instead of overwriting it silently."""
        if annotation.id is None:
            raise StorageError("Annotation was never saved.", code="E211")
        stamp = now()
        try:
            with self._write_conn() as c:
                aid = annotation.id
                result = c.execute(
                    _BUMP_VERSION,
                    {
                        "aid": aid,
                        "expected": annotation.version,
                        "status": str(after.status),
                        "flagged": after.flagged,
                        "n_spans": len(after.spans),
                        "stamp": stamp,
                    },
                )
                if result.rowcount != 1:
                    raise ConflictError(CONFLICT_MESSAGE)
                if change.removed_relations:
                    ids = _span_ids(c, aid)
                    for rel in change.removed_relations:
                        head, child = ids.get(rel.head), ids.get(rel.child)
                        c.execute(
                            delete(_R).where(
                                _R.c.annotation_id == aid,
                                _R.c.head_id == head,
                                _R.c.child_id == child,
                                _R.c.label == str(rel.label),
                            )
                        )
                if change.removed_spans:
                    # relations to removed spans go with them (ON DELETE CASCADE)
                    c.execute(_DELETE_SPAN, [_key_params(aid, k) for k in change.removed_spans])
                _insert_spans(c, aid, change.added_spans, change.added_relations, all_spans=True)
                if change.rejected_removed:
                    c.execute(
                        _DELETE_REJECTION, [_key_params(aid, k) for k in change.rejected_removed]
                    )
                _insert_rejections(c, aid, change.rejected_added)
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
                delete(AnnotationRow).where(
                    AnnotationRow.document_id == doc_id,
                    AnnotationRow.annotator_id == annotator.id,
                )
            )

    def rejected_keys(self, doc_id: int, annotator: Annotator) -> set[SpanKey]:
        with self.db.session() as s:
            rows = s.execute(
                select(RejectionRow.start, RejectionRow.end, RejectionRow.label, RejectionRow.layer)
                .join(AnnotationRow, AnnotationRow.id == RejectionRow.annotation_id)
                .where(
                    AnnotationRow.document_id == doc_id, AnnotationRow.annotator_id == annotator.id
                )
            )
            return {SpanKey(*r) for r in rows}

    def has_annotation(self, doc_ids: Sequence[int], annotator: Annotator) -> set[int]:
        found: set[int] = set()
        with self.db.session() as s:
            for chunk in _chunks(doc_ids):
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
            .join(AnnotationRow, AnnotationRow.id == SpanRow.annotation_id)
            .join(DocumentRow, DocumentRow.id == AnnotationRow.document_id)
            .where(SpanRow.layer == "ents", SpanRow.origin != "suggested")
        )
        if annotator is not None:
            q = q.where(AnnotationRow.annotator_id == annotator.id)
        with self.db.session() as s:
            return sorted({(t[a:b], lab) for t, a, b, lab in s.execute(q)})

    # search index ---------------------------------------------------------------------

    def index_for_search(self, batch: int = 2000) -> tuple[int, int]:
        """Add the next ``batch`` documents to the full-text index (SQLite); returns
        (documents indexed now, documents still waiting). A no-op elsewhere."""
        if not self.db.is_sqlite:
            return 0, 0
        with self._write_tx() as s:
            c = s.connection()
            setting = select(SettingRow.value).where(SettingRow.key == SEARCH_INDEXED_UPTO)
            upto = int(c.execute(setting).scalar() or 0)
            next_ids = (
                select(DocumentRow.id)
                .where(DocumentRow.id > upto)
                .order_by(DocumentRow.id)
                .limit(batch)
                .subquery()
            )
            last = c.execute(select(func.max(next_ids.c.id))).scalar()
            if last is None:
                return 0, 0
            done = c.exec_driver_sql(
                "INSERT INTO documents_fts(rowid, title, text) "
                "SELECT id, title, text FROM documents WHERE id > ? AND id <= ?",
                (upto, last),
            ).rowcount
            settings = SettingRow.__table__
            c.execute(delete(settings).where(settings.c.key == SEARCH_INDEXED_UPTO))
            c.execute(insert(settings).values(key=SEARCH_INDEXED_UPTO, value=str(last)))
            # "+id": not the rowid range, whose scan reads every remaining row's page
            # (a document is about a page of text), but the sha256 key's index, some
            # forty times smaller; at 100,000 documents this count took longer than
            # indexing a batch.
            left = c.exec_driver_sql(
                "SELECT count(*) FROM documents WHERE +id > ?", (last,)
            ).scalar()
        return done, int(left or 0)

    # assignments --------------------------------------------------------------------

    def assign(self, pairs: Iterable[tuple[int, int]]) -> int:
        rows = [{"document_id": d, "annotator_id": a} for d, a in pairs]
        with self._write_tx() as s:
            s.execute(delete(AssignmentRow))
            for chunk in _chunks(rows):
                s.execute(insert(AssignmentRow), chunk)
        return len(rows)

    def has_assignments(self, annotator_id: int) -> bool:
        with self.db.session() as s:
            return (
                s.scalar(
                    select(AssignmentRow.id)
                    .where(AssignmentRow.annotator_id == annotator_id)
                    .limit(1)
                )
                is not None
            )

    # export (added for the exporters) ---------------------------------------------------

    def iter_annotations(
        self,
        annotator: Annotator,
        statuses: Sequence[AnnotationStatus] | None = None,
        *,
        batch_size: int = 500,
    ) -> Iterator[tuple[Document, Annotation]]:
        """Every (document, annotation) pair of one annotator, in document id order.

        Reads ``batch_size`` annotations at a time with one query per table (not three
        per annotation as ``load_annotations`` does) and holds only one batch, so an
        export of any size runs in flat memory. Each batch is its own short read
        session, so a long export never holds a read transaction open for the UI."""
        after = -1
        while True:
            with self.db.session() as s:
                q = select(AnnotationRow).where(
                    AnnotationRow.annotator_id == annotator.id,
                    AnnotationRow.document_id > after,
                )
                if statuses:
                    q = q.where(AnnotationRow.status.in_([str(x) for x in statuses]))
                rows = list(s.scalars(q.order_by(AnnotationRow.document_id).limit(batch_size)))
                if not rows:
                    return
                after = rows[-1].document_id
                ann_ids = [r.id for r in rows]
                # Plain column rows, not ORM instances: building entities costs more
                # than the rest of the export's reading.
                docs = {
                    i: Document(
                        text=text,
                        external_id=ext,
                        meta=dict(meta or {}),
                        id=i,
                        tokens=decode_tokens(toks, text) if toks is not None else None,
                        sha256=sha,
                    )
                    for i, ext, text, meta, toks, sha in s.execute(
                        select(
                            DocumentRow.id,
                            DocumentRow.external_id,
                            DocumentRow.text,
                            DocumentRow.meta,
                            DocumentRow.tokens,
                            DocumentRow.sha256,
                        ).where(DocumentRow.id.in_([r.document_id for r in rows]))
                    )
                }
                spans: dict[int, dict[int, Span]] = {i: {} for i in ann_ids}
                for aid, sid, *fields in s.execute(
                    select(SpanRow.annotation_id, SpanRow.id, *_SPAN_FIELDS)
                    .where(SpanRow.annotation_id.in_(ann_ids))
                    .order_by(SpanRow.annotation_id, SpanRow.start, SpanRow.end, SpanRow.id)
                ):
                    spans[aid][sid] = _span_from_row(*fields)
                relations: dict[int, list[Relation]] = {i: [] for i in ann_ids}
                for aid, h, c, lab in s.execute(
                    select(
                        RelationRow.annotation_id,
                        RelationRow.head_id,
                        RelationRow.child_id,
                        RelationRow.label,
                    )
                    .where(RelationRow.annotation_id.in_(ann_ids))
                    .order_by(RelationRow.id)
                ):
                    by_id = spans[aid]
                    relations[aid].append(Relation(by_id[h].key, by_id[c].key, RelationLabel(lab)))
                rejected: dict[int, set[SpanKey]] = {i: set() for i in ann_ids}
                for aid, *key in s.execute(
                    select(
                        RejectionRow.annotation_id,
                        RejectionRow.start,
                        RejectionRow.end,
                        RejectionRow.label,
                        RejectionRow.layer,
                    ).where(RejectionRow.annotation_id.in_(ann_ids))
                ):
                    rejected[aid].add(SpanKey(*key))
                batch = [
                    (
                        docs[r.document_id],
                        Annotation(
                            document_id=r.document_id,
                            annotator=annotator.name,
                            spans=list(spans[r.id].values()),
                            relations=relations[r.id],
                            status=AnnotationStatus(r.status),
                            version=r.version,
                            updated_at=r.updated_at,
                            flagged=r.flagged,
                            rejected=rejected[r.id],
                            id=r.id,
                        ),
                    )
                    for r in rows
                ]
            yield from batch
            if len(rows) < batch_size:
                return


# helpers ------------------------------------------------------------------------------


def _chunks(items: Sequence, size: int = _CHUNK):  # type: ignore[no-untyped-def]
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _ids_by_sha(s: Session, shas: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    uniq = list(dict.fromkeys(shas))
    for chunk in _chunks(uniq):
        for sha, i in s.execute(
            select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.sha256.in_(chunk))
        ):
            out[sha] = i
    return out


_DOCUMENT_COLUMNS = ("external_id", "sha256", "text", "title", "meta", "tokens", "created_at")
_SQLITE_INSERT_DOCUMENTS = (
    f"INSERT INTO documents ({', '.join(_DOCUMENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _DOCUMENT_COLUMNS)}) ON CONFLICT DO NOTHING"
)


def _insert_documents(s: Session, docs: Sequence[Document]) -> tuple[list[int], list[int]]:
    # No lookup first: the insert skips texts already stored (ON CONFLICT DO NOTHING)
    # and reports the rows it made; only the rest are looked up, after it.
    fresh: list[tuple[Any, ...]] = []  # in _DOCUMENT_COLUMNS order
    seen: set[str] = set()
    stamp = now()
    for d in docs:
        if d.sha256 in seen:
            continue
        seen.add(d.sha256)
        tokens = encode_tokens(d.tokens) if d.tokens is not None else None
        fresh.append((d.external_id, d.sha256, d.text, d.title, d.meta, tokens, stamp))
    created: dict[str, int] = {}
    if fresh:
        conn = s.connection()
        if conn.dialect.name == "sqlite":
            created = _insert_new_sqlite(conn, fresh)
        else:
            # RETURNING gives the new ids without a second lookup by sha256
            table = DocumentRow.__table__
            # ON CONFLICT DO NOTHING: another process importing the same text at the same
            # time stores it once; ours is then found by sha256 below instead of failing.
            stmt = _insert_ignore(s, table).returning(table.c.sha256, table.c.id)
            rows = [dict(zip(_DOCUMENT_COLUMNS, row, strict=True)) for row in fresh]
            created = {sha: i for sha, i in conn.execute(stmt, rows)}
    existing = _ids_by_sha(s, [d.sha256 for d in docs if d.sha256 not in created])
    new_ids: list[int] = []
    dup_ids: list[int] = []
    for d in docs:
        if d.sha256 in created:
            d.id = created.pop(d.sha256)
            new_ids.append(d.id)
        else:
            d.id = existing.get(d.sha256) or _lookup(s, d.sha256)
            dup_ids.append(d.id)
    return new_ids, dup_ids


def _insert_new_sqlite(conn: Connection, rows: list[tuple[Any, ...]]) -> dict[str, int]:
    """Insert ``rows`` with one driver-level executemany; {sha256: id} of those made.

    The import's hot path: SQLAlchemy's insert() compiles per row bind parameters and
    insertmanyvalues batches, about as long as SQLite's own work on the rows. Values go
    through the columns' own bind processors (JSON meta, the UTC time-stamp), so what
    is stored is exactly what insert() stores. The write transaction holds SQLite's
    write lock from its start (BEGIN IMMEDIATE), so the rows this insert makes are
    exactly those with an id above the largest one before it."""
    table = DocumentRow.__table__
    dialect = conn.dialect
    processors = [
        (i, proc)
        for i, name in enumerate(_DOCUMENT_COLUMNS)
        if (proc := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    params: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(row)
        for i, proc in processors:
            values[i] = proc(values[i])
        params.append(tuple(values))
    before = conn.execute(select(func.max(table.c.id))).scalar() or 0
    conn.exec_driver_sql(_SQLITE_INSERT_DOCUMENTS, params)
    made = select(table.c.sha256, table.c.id).where(table.c.id > before)
    return {sha: i for sha, i in conn.execute(made)}


def _lookup(s: Session, sha: str) -> int:
    found = s.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha))
    assert found is not None
    return found


def _insert_ignore(s: Session, table: Any) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect."""
    name = s.get_bind().dialect.name
    if name == "sqlite":
        return sqlite_insert(table).on_conflict_do_nothing()
    if name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return insert(table)


def _ensure_annotator(s: Session, name: str) -> Annotator:
    row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
    if row is None:
        kind = AnnotatorKind.GOLD if name == "gold" else AnnotatorKind.HUMAN
        role = AnnotatorRole.REVIEWER if name == "gold" else AnnotatorRole.ANNOTATOR
        s.execute(
            _insert_ignore(s, AnnotatorRow.__table__),
            [{"name": name, "kind": str(kind), "role": str(role)}],
        )
        row = s.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
        assert row is not None
    return _annotator(row)


def _annotator(row: AnnotatorRow) -> Annotator:
    return Annotator(row.name, AnnotatorKind(row.kind), AnnotatorRole(row.role), row.id)


def _document(row: DocumentRow) -> Document:
    tokens = decode_tokens(row.tokens, row.text) if row.tokens is not None else None
    return Document(
        text=row.text,
        external_id=row.external_id,
        meta=dict(row.meta or {}),
        id=row.id,
        tokens=tokens,
        sha256=row.sha256,
    )


def _copy_document(doc: Document) -> Document:
    # Callers may change what they get (meta, tokens); the cached copy must not change.
    return Document(
        text=doc.text,
        external_id=doc.external_id,
        meta=dict(doc.meta),
        id=doc.id,
        tokens=list(doc.tokens) if doc.tokens is not None else None,
        sha256=doc.sha256,
    )


def _span_where(annotation_id: int, key: SpanKey) -> tuple:
    return (
        SpanRow.annotation_id == annotation_id,
        SpanRow.start == key.start,
        SpanRow.end == key.end,
        SpanRow.label == key.label,
        SpanRow.layer == key.layer,
    )


def _insert_spans(
    s: Session | Connection,
    annotation_id: int,
    spans: Sequence[Span],
    relations: Sequence[Relation],
    *,
    all_spans: bool = False,
) -> None:
    if spans:
        s.execute(
            _INSERT_SPANS,
            [
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
            ],
        )
    if not relations:
        return
    ids = _span_ids(s, annotation_id)
    rows = []
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
    s.execute(_INSERT_RELATIONS, rows)


def _span_ids(s: Session | Connection, annotation_id: int) -> dict[SpanKey, int]:
    return {
        SpanKey(a, b, lab, lay): i
        for i, a, b, lab, lay in s.execute(_SPAN_IDS, {"aid": annotation_id})
    }


def _bulk_insert_annotations(s: Session, items: Sequence[tuple[Annotation, Annotator]]) -> None:
    """New annotations with their spans, relations and rejections in a few statements
    (one round trip per table and chunk, instead of several per annotation)."""
    if not items:
        return
    stamp = now()
    conn = s.connection()
    a_table, s_table = AnnotationRow.__table__, SpanRow.__table__
    for chunk in _chunks(items):
        ann_ids = [
            r[0]
            for r in conn.execute(
                insert(a_table).returning(a_table.c.id, sort_by_parameter_order=True),
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
            {
                "annotation_id": aid,
                "start": sp.start,
                "end": sp.end,
                "label": sp.label,
                "layer": str(sp.layer),
                "origin": str(sp.origin),
                "kind": str(sp.kind) if sp.kind else None,
                "confidence": sp.confidence,
            }
            for aid, (ann, _who) in zip(ann_ids, chunk, strict=True)
            for sp in ann.spans
        ]
        span_ids: list[int] = []
        if span_rows:
            span_ids = [
                r[0]
                for r in conn.execute(
                    insert(s_table).returning(s_table.c.id, sort_by_parameter_order=True),
                    span_rows,
                )
            ]
        rel_rows: list[dict] = []
        rej_rows: list[dict] = []
        pos = 0
        for aid, (ann, _who) in zip(ann_ids, chunk, strict=True):
            ids = {sp.key: span_ids[pos + i] for i, sp in enumerate(ann.spans)}
            pos += len(ann.spans)
            for rel in ann.relations:
                if rel.head not in ids or rel.child not in ids:
                    raise StorageError(
                        f"Relation {rel.label} points at a missing span.", code="E213"
                    )
                rel_rows.append(
                    {
                        "annotation_id": aid,
                        "head_id": ids[rel.head],
                        "child_id": ids[rel.child],
                        "label": str(rel.label),
                    }
                )
            rej_rows += [
                {"annotation_id": aid, "start": k.start, "end": k.end, "label": k.label,
                 "layer": k.layer}
                for k in ann.rejected
            ]  # fmt: skip
        if rel_rows:
            conn.execute(insert(RelationRow.__table__), rel_rows)
        if rej_rows:
            conn.execute(insert(RejectionRow.__table__), rej_rows)


def _insert_rejections(
    s: Session | Connection, annotation_id: int, keys: Iterable[SpanKey]
) -> None:
    rows = [
        {
            "annotation_id": annotation_id,
            "start": k.start,
            "end": k.end,
            "label": k.label,
            "layer": k.layer,
        }
        for k in keys
    ]
    if rows:
        s.execute(_INSERT_REJECTIONS, rows)


_SPAN_FIELDS = (
    SpanRow.start,
    SpanRow.end,
    SpanRow.label,
    SpanRow.layer,
    SpanRow.origin,
    SpanRow.kind,
    SpanRow.confidence,
)


def _span_from_row(
    start: int,
    end: int,
    label: str,
    layer: str,
    origin: str,
    kind: str | None,
    confidence: float | None,
) -> Span:
    return Span(
        start,
        end,
        label,
        _LAYERS[layer],
        _ORIGINS[origin],
        _KINDS[kind] if kind else None,
        confidence,
    )


def _load_full(s: Session, row: AnnotationRow, annotator_name: str) -> Annotation:
    # plain column rows, not ORM objects: an article can carry thousands of spans and
    # this runs on every open
    spans_by_id: dict[int, Span] = {}
    for sid, *fields in s.execute(
        select(SpanRow.id, *_SPAN_FIELDS)
        .where(SpanRow.annotation_id == row.id)
        .order_by(SpanRow.start, SpanRow.end)
    ):
        spans_by_id[sid] = _span_from_row(*fields)
    relations = [
        Relation(spans_by_id[h].key, spans_by_id[c].key, RelationLabel(lab))
        for h, c, lab in s.execute(
            select(RelationRow.head_id, RelationRow.child_id, RelationRow.label)
            .where(RelationRow.annotation_id == row.id)
            .order_by(RelationRow.id)
        )
    ]
    rejected = {
        SpanKey(*r)
        for r in s.execute(
            select(
                RejectionRow.start, RejectionRow.end, RejectionRow.label, RejectionRow.layer
            ).where(RejectionRow.annotation_id == row.id)
        )
    }
    return Annotation(
        document_id=row.document_id,
        annotator=annotator_name,
        spans=list(spans_by_id.values()),
        relations=relations,
        status=AnnotationStatus(row.status),
        version=row.version,
        updated_at=row.updated_at,
        flagged=row.flagged,
        rejected=rejected,
        id=row.id,
    )
