"""The document list: pages of documents joined with one annotator's status, search,
counts and the next document to annotate."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, case, column, func, or_, select, table
from sqlalchemy import text as sql_text
from sqlalchemy.sql.selectable import NamedFromClause

from annotator.core import AnnotationStatus
from annotator.storage.base import ANNOTATIONS, DOCUMENTS, Store
from annotator.storage.documents import SEARCH_INDEXED_UPTO
from annotator.storage.models import (
    AnnotationRow,
    AnnotatorRow,
    AssignmentRow,
    DocumentRow,
    SettingRow,
)

_D = DOCUMENTS
_FTS = table("documents_fts", column("rowid"))


@dataclass(frozen=True, slots=True)
class DocumentListRow:
    id: int
    external_id: str
    title: str
    status: AnnotationStatus
    n_spans: int


class DocumentListStore(Store):
    def _list_query(
        self,
        columns: Sequence[Any],
        annotator_id: int,
        status: AnnotationStatus | None,
        search: str | None,
        assigned_only: bool,
    ) -> tuple[Select[Any], NamedFromClause]:
        joined = ANNOTATIONS.alias("a")
        q = select(*columns).select_from(
            _D.outerjoin(
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
            q = q.where(_assigned_to(annotator_id))
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
        with self.db.session() as s:
            setting = select(SettingRow.value).where(SettingRow.key == SEARCH_INDEXED_UPTO)
            upto = int(s.scalar(setting) or 0)
        phrase = '"' + " ".join(words) + '"*'
        indexed = (
            select(_FTS.c.rowid)
            .select_from(_FTS)
            .where(sql_text("documents_fts MATCH :fts").bindparams(fts=phrase))
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
            row = s.execute(q.add_columns(finished)).one()
        total, done = cast(tuple[int | None, int | None], tuple(row))
        return int(done or 0), int(total or 0)

    def next_document(
        self, annotator_id: int, after_id: int | None, *, assigned_only: bool = False
    ) -> int | None:
        a = ANNOTATIONS.alias("a")
        open_status = or_(a.c.status.is_(None), a.c.status.in_(("todo", "in_progress")))
        base = (
            select(DocumentRow.id)
            .select_from(
                _D.outerjoin(
                    a, and_(a.c.document_id == DocumentRow.id, a.c.annotator_id == annotator_id)
                )
            )
            .where(open_status)
        )
        if assigned_only:
            base = base.where(_assigned_to(annotator_id))
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
        out: dict[str, dict[str, int]] = {}
        with self.db.session() as s:
            total = s.scalar(select(func.count(DocumentRow.id))) or 0
            names = {i: n for i, n in s.execute(select(AnnotatorRow.id, AnnotatorRow.name))}
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


def _assigned_to(annotator_id: int) -> ColumnElement[bool]:
    assigned = select(AssignmentRow.document_id).where(AssignmentRow.annotator_id == annotator_id)
    return DocumentRow.id.in_(assigned)
