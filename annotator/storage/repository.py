"""The repository: every read returns ``core`` dataclasses; every write is one transaction.

It is the composition of the stores, one per kind of data, each in its own module:
settings and annotators (``settings``), documents and the search index (``documents``),
the document list (``document_list``), annotations (``annotations``, written through
``annotation_writes``) and notes (``notes``)."""

from __future__ import annotations

from annotator.storage.annotations import AnnotationStore
from annotator.storage.base import CONFLICT_MESSAGE, ConflictError, now
from annotator.storage.document_list import DocumentListRow, DocumentListStore
from annotator.storage.documents import SEARCH_INDEXED_UPTO, DocumentStore
from annotator.storage.engine import Database
from annotator.storage.notes import NoteStore
from annotator.storage.settings import AnnotatorStore, SettingsStore

__all__ = [
    "CONFLICT_MESSAGE",
    "SEARCH_INDEXED_UPTO",
    "ConflictError",
    "DocumentListRow",
    "Repository",
    "now",
]


class Repository(SettingsStore, AnnotatorStore, DocumentStore, DocumentListStore, AnnotationStore):
    """One open database. The stores share nothing but the database (and the document
    cache, ``DocumentStore``'s own), so each can be read and tested on its own."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.notes = NoteStore(db)  # document notes and flags
