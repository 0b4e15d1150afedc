"""Queries of the ``document_notes`` table: one note (text + flag) per document and
annotator. Reads return :class:`~annotator.core.notes.DocumentNote`; every write is one
transaction through the stores' error handling (``storage/base.py``) (a locked or lost database is a
``StorageError`` the facade turns into ``StorageUnavailable``)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, delete, distinct, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from annotator.core.notes import DocumentNote
from annotator.storage.base import ANNOTATORS, NOTES, Store
from annotator.storage.engine import StorageError
from annotator.storage.models import AnnotatorRow, DocumentNoteRow

_N = NOTES
_P = ANNOTATORS


class NoteStore(Store):
    def put(
        self,
        doc_id: int,
        annotator_id: int,
        text: str,
        flagged: bool,
        *,
        stamp: datetime | None = None,
    ) -> datetime:
        """Insert or replace this annotator's note on the document; returns its time-stamp.

        One upsert statement, so two windows of the same person saving at once cannot
        both insert (the later one wins, as with any last edit)."""
        stamp = stamp or datetime.now(UTC)
        values = {
            "document_id": doc_id,
            "annotator_id": annotator_id,
            "text": text,
            "flagged": flagged,
            "updated_at": stamp,
        }
        try:
            with self._write_tx() as s:
                dialect = s.get_bind().dialect.name
                if dialect not in ("sqlite", "postgresql"):  # pragma: no cover - other servers
                    s.execute(
                        delete(_N).where(
                            DocumentNoteRow.document_id == doc_id,
                            DocumentNoteRow.annotator_id == annotator_id,
                        )
                    )
                    s.execute(_N.insert().values(**values))
                    return stamp
                ins = (sqlite_insert if dialect == "sqlite" else pg_insert)(_N).values(**values)
                s.execute(
                    ins.on_conflict_do_update(
                        index_elements=[DocumentNoteRow.document_id, DocumentNoteRow.annotator_id],
                        set_={
                            "text": ins.excluded.text,
                            "flagged": ins.excluded.flagged,
                            "updated_at": ins.excluded.updated_at,
                        },
                    )
                )
        except IntegrityError as exc:
            # The only constraint a valid call can break: the document (or annotator) is gone.
            raise StorageError(
                f"No document with id {doc_id} (or it was deleted meanwhile): the note was "
                "not saved.",
                code="E202",
            ) from exc
        return stamp

    def delete(self, doc_id: int, annotator_id: int) -> bool:
        """Remove the note; True when there was one."""
        with self._write_tx() as s:
            result = s.connection().execute(
                delete(_N).where(
                    DocumentNoteRow.document_id == doc_id,
                    DocumentNoteRow.annotator_id == annotator_id,
                )
            )
            return bool(result.rowcount)

    # (doc, annotator) -> (the file's commit count when read, the note): the window's
    # header asks for the annotator's note at every article opened
    _seen: dict[tuple[int, int], tuple[int, DocumentNote | None]] | None = None

    def get(self, doc_id: int, annotator_id: int) -> DocumentNote | None:
        version = self.db.commit_count()
        if self._seen is None:
            self._seen = {}
        hit = self._seen.get((doc_id, annotator_id)) if version is not None else None
        if hit is not None and hit[0] == version:
            return hit[1]
        with self.db.session() as s:
            row = s.execute(
                _notes_with_names().where(
                    DocumentNoteRow.document_id == doc_id,
                    DocumentNoteRow.annotator_id == annotator_id,
                )
            ).first()
        note = None
        if row is not None:
            name, text, flagged, stamp = row
            note = DocumentNote(doc_id, name, text, bool(flagged), stamp)
        if version is not None:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[(doc_id, annotator_id)] = (version, note)
        return note

    def for_document(self, doc_id: int) -> list[DocumentNote]:
        """Every annotator's note on the document, flagged first, then by name."""
        with self.db.session() as s:
            rows = s.execute(
                _notes_with_names()
                .where(DocumentNoteRow.document_id == doc_id)
                .order_by(DocumentNoteRow.flagged.desc(), AnnotatorRow.name)
            ).all()
        return [DocumentNote(doc_id, n, t, bool(f), u) for n, t, f, u in rows]

    def count_flagged_documents(self) -> int:
        """Documents at least one annotator flagged."""
        with self.db.session() as s:
            found = s.scalar(
                select(func.count(distinct(DocumentNoteRow.document_id))).where(
                    DocumentNoteRow.flagged.is_(True)
                )
            )
        return int(found or 0)

    def flagged_document_ids(self, annotator_id: int | None = None) -> list[int]:
        """Flagged documents in id order; one annotator's only when ``annotator_id`` is given
        (served by ``ix_document_notes_annotator``)."""
        q = select(DocumentNoteRow.document_id).distinct().where(DocumentNoteRow.flagged.is_(True))
        if annotator_id is not None:
            q = q.where(DocumentNoteRow.annotator_id == annotator_id)
        with self.db.session() as s:
            return list(s.scalars(q.order_by(DocumentNoteRow.document_id)))


def _notes_with_names() -> Select[str, str, bool, datetime]:
    """A note's writer, text, flag and time: what a ``DocumentNote`` is made of."""
    return select(
        AnnotatorRow.name,
        DocumentNoteRow.text,
        DocumentNoteRow.flagged,
        DocumentNoteRow.updated_at,
    ).join(_P, AnnotatorRow.id == DocumentNoteRow.annotator_id)
