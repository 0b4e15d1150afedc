"""The facade the window and the command line share: one open project, every use case.

Each method is one short transaction (or a read) and returns ``core`` dataclasses,
so the UI can call it from any thread and never sees SQLAlchemy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from annotator.app import notes as _notes
from annotator.app import suggest as _suggest
from annotator.app.calibrated import CalibrationCache
from annotator.app.edits import EditResult
from annotator.app.errors import StorageUnavailable
from annotator.app.importing import CancelFn, ImportReport, ProgressFn, import_paths
from annotator.app.labels import as_labels
from annotator.app.learning import merge_with_learned
from annotator.app.paths import resolve_db
from annotator.app.suggest import CURRENT_SUGGESTIONS_KEY, SUGGESTIONS_PREFIX
from annotator.app.writes import guarded
from annotator.core import (
    DEFAULT_SCHEME,
    Annotation,
    AnnotationStatus,
    Annotator,
    AnnotatorError,
    AnnotatorKind,
    AnnotatorRole,
    Document,
    LabelScheme,
    Layer,
    Origin,
    Span,
    SpanKey,
    Token,
    validate_annotation,
)
from annotator.core.operations import AnnotationDiff, Batch, Operation, diff
from annotator.core.seen import THRESHOLD_SETTING, parse_threshold
from annotator.formats.records import ReadOptions
from annotator.nlp.tokenize import tokenize, tokenize_many
from annotator.storage.engine import Database, StorageError
from annotator.storage.repository import DocumentListRow, Repository

if TYPE_CHECKING:
    from annotator.core.notes import DocumentNote
    from annotator.nlp.learned import LearnedEntities
    from annotator.nlp.suggester import Suggester

DocumentRow = DocumentListRow
# the suggestion-set constants live in app/suggest.py; imported here for old callers
__all__ = ["CURRENT_SUGGESTIONS_KEY", "SUGGESTIONS_PREFIX", "EditResult", "Project"]
T = TypeVar("T")
REQUIRE_DECISIONS_KEY = "finish_requires_decisions"
LEARNED_SETTING_PREFIX = "learned_entities:"


class Project:
    """An open project database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._repo = Repository(db)  # private: every use case goes through a method here
        self.url = db.url
        self.display_url = db.display_url
        self.lang = self._repo.get_setting("language", "en") or "en"
        scheme_json = self._repo.get_setting("label_scheme")
        self.scheme = LabelScheme.from_json(scheme_json) if scheme_json else DEFAULT_SCHEME
        self._referents: dict[int, dict[SpanKey, SpanKey]] = {}
        self._learned: dict[str, LearnedEntities] = {}
        self._learned_dirty: set[str] = set()  # learned counts changed, not saved yet
        self._texts: dict[int, str] = {}
        self._suggest_lock = threading.Lock()
        self._require_decisions: bool | None = None
        # name -> annotator, for its id: rows are never renamed or removed, so the id of
        # a name read once holds (roles change: ``annotator()`` reads those afresh).
        self._ids: dict[str, Annotator] = {}
        self._calibrations = CalibrationCache(self.setting)

    @classmethod
    def open(cls, db: str | Path | None = None, *, upgrade: bool = True) -> Project:
        return cls(Database(resolve_db(db), upgrade=upgrade))

    def close(self) -> None:
        self.db.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # annotators -----------------------------------------------------------------------

    def ensure_annotator(
        self,
        name: str,
        kind: AnnotatorKind = AnnotatorKind.HUMAN,
        role: AnnotatorRole = AnnotatorRole.ANNOTATOR,
    ) -> Annotator:
        if name == "gold":
            kind, role = AnnotatorKind.GOLD, AnnotatorRole.REVIEWER
        found = self._repo.ensure_annotator(name, kind, role)
        self._ids[name] = found
        return found

    def annotators(self) -> list[Annotator]:
        return self._repo.annotators()

    def _annotator(self, name: str) -> Annotator:
        """``name``'s annotator for its id, created when missing (opening makes one)."""
        return self._ids.get(name) or self.ensure_annotator(name)

    def _known(self, name: str) -> Annotator | None:
        """``name``'s annotator for its id, if there is one (reading creates none)."""
        found = self._ids.get(name)
        if found is None:
            found = self._repo.annotator(name)
            if found is not None:
                self._ids[name] = found
        return found

    def annotator(self, name: str) -> Annotator | None:
        """The annotator called ``name``, if there is one (reading creates none)."""
        return self._repo.annotator(name)

    def set_role(self, name: str, role: AnnotatorRole) -> None:
        self._write(lambda: self._repo.set_role(name, role))

    # settings -------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        return self._repo.get_setting(key, default)

    def set_setting(self, key: str, value: str) -> None:
        self._write(lambda: self._repo.set_setting(key, value))
        self._calibrations.clear()

    def display_threshold(self) -> float:
        """The confidence (a precision, once calibrated) from which suggestions show."""
        return parse_threshold(self.setting(THRESHOLD_SETTING))

    def set_display_threshold(self, value: float) -> None:
        self.set_setting(THRESHOLD_SETTING, f"{parse_threshold(str(value)):.2f}")

    def suggestions_calibrated(self) -> bool:
        """Whether a calibration fit is saved for the current suggestion set."""
        source = self.suggestion_source()
        return source is not None and self._calibrations.get(source) is not None

    def assign(self, pairs: Iterable[tuple[int, int]]) -> int:
        """Replace every assignment with these (document id, annotator id) pairs."""
        return self._write(lambda: self._repo.assign(pairs))

    # documents ------------------------------------------------------------------------

    def _assigned_only(self, annotator: Annotator) -> bool:
        return annotator.id is not None and self._repo.has_assignments(annotator.id)

    def count_documents(
        self,
        annotator: str | None = None,
        *,
        status: AnnotationStatus | None = None,
        search: str | None = None,
    ) -> int:
        if annotator is None:
            return self._repo.count_documents()
        a = self._annotator(annotator)
        assert a.id is not None
        return self._repo.count_list(
            a.id, status=status, search=search, assigned_only=self._assigned_only(a)
        )

    def list_documents(
        self,
        annotator: str,
        *,
        offset: int = 0,
        limit: int = 200,
        status: AnnotationStatus | None = None,
        search: str | None = None,
        after_id: int | None = None,
    ) -> list[DocumentListRow]:
        a = self._annotator(annotator)
        assert a.id is not None
        return self._repo.list_documents(
            a.id,
            offset=offset,
            limit=limit,
            status=status,
            search=search,
            assigned_only=self._assigned_only(a),
            after_id=after_id,
        )

    def get_document(self, doc_id: int, *, tokenize_missing: bool = True) -> Document:
        """The document with its tokens, tokenizing and storing them on first use.

        ``tokenize_missing=False`` never calls spaCy: the tokens are None when the
        document has none stored yet (the window then tokenizes on its NLP thread)."""
        doc = self._repo.get_document(doc_id)
        if doc.tokens is None and tokenize_missing:
            # split where the document's stored spans need it (set_tokens): an import
            # keeps each span exactly and leaves tokenizing to here
            doc.tokens = self.set_tokens([(doc_id, tokenize(doc.text, self.lang))])[doc_id]
        return doc

    def document_ids(self, *, after: int = 0, limit: int = 1000) -> list[int]:
        return self._repo.document_ids(after=after, limit=limit)

    def documents(self, doc_ids: Sequence[int], *, tokenize_missing: bool = True) -> list[Document]:
        """Several documents with their tokens, tokenizing (and storing) those missing;
        with ``tokenize_missing=False`` those keep ``tokens=None``."""
        docs = self._repo.get_documents(doc_ids)
        if not tokenize_missing:
            return docs
        missing = [d for d in docs if d.tokens is None]
        if missing:
            made = tokenize_many((d.text for d in missing), self.lang)
            stored = self.set_tokens(
                [(d.id or 0, toks) for d, toks in zip(missing, made, strict=True)]
            )
            for doc in missing:
                doc.tokens = stored[doc.id or 0]
        return docs

    def set_tokens(
        self, items: Sequence[tuple[int, Sequence[Token]]]
    ) -> dict[int, Sequence[Token]]:
        """Store documents' tokens (tokenized once, kept so that spans never shift),
        split at the spans stored for them; returns the tokens stored, by document id."""
        return self._write(lambda: self._repo.set_tokens(items))

    def _text(self, doc_id: int) -> str:
        """A document's text; texts never change after import, so they are cached."""
        text = self._texts.get(doc_id)
        if text is None:
            text = self._repo.get_document(doc_id).text
            if len(self._texts) >= 64:
                self._texts.pop(next(iter(self._texts)))
            self._texts[doc_id] = text
        return text

    def next_document(self, annotator: str, after_id: int | None) -> int | None:
        a = self._annotator(annotator)
        assert a.id is not None
        return self._repo.next_document(a.id, after_id, assigned_only=self._assigned_only(a))

    def progress(self, annotator: str) -> tuple[int, int]:
        a = self._annotator(annotator)
        assert a.id is not None
        return self._repo.count_finished(a.id, assigned_only=self._assigned_only(a))

    def status(self) -> dict[str, object]:
        return {
            "documents": self._repo.count_documents(),
            "annotators": self._repo.status_counts(),
            "database": self.display_url,
            "suggestions": self.suggestion_source(),
            "flagged_documents": self.flagged_documents(),
        }

    # annotations ----------------------------------------------------------------------

    def load_annotation(self, doc_id: int, annotator: str) -> Annotation | None:
        a = self._known(annotator)
        if a is None:
            return None
        return self._repo.load_annotation(doc_id, a)

    def load_annotations(
        self,
        annotator: Annotator,
        doc_ids: Sequence[int] | None = None,
        statuses: Sequence[AnnotationStatus] | None = None,
    ) -> dict[int, Annotation]:
        """Document id -> this annotator's annotation (of ``doc_ids``, else all)."""
        return self._repo.load_annotations(annotator, doc_ids, statuses)

    def iter_annotations(
        self,
        annotator: Annotator,
        statuses: Sequence[AnnotationStatus] | None = None,
        *,
        batch_size: int = 500,
    ) -> Iterator[tuple[Document, Annotation]]:
        """Every (document, annotation) of one annotator in document order, in flat memory."""
        return self._repo.iter_annotations(annotator, statuses, batch_size=batch_size)

    def annotated_document_ids(
        self, annotator: Annotator, statuses: Sequence[AnnotationStatus] | None = None
    ) -> list[int]:
        return self._repo.annotated_document_ids(annotator, statuses)

    def has_annotation(self, doc_id: int, annotator: Annotator) -> bool:
        return bool(self._repo.has_annotation([doc_id], annotator))

    def put_annotations(self, items: Sequence[Annotation], annotator: Annotator) -> None:
        """Create or replace several annotations of one annotator in one transaction."""
        self._write(lambda: self._repo.put_annotations(items, annotator))

    def save_version(self, before: Annotation, after: Annotation) -> Annotation:
        """Store ``after`` over ``before`` (as loaded) in one transaction, under the
        version check: adopting a version, settling a finished one."""
        change = diff(before, after)
        if change.empty:
            return before
        return self._write(lambda: self._repo.save_diff(before, change, after))

    def labels(self, doc_id: int, annotator: str) -> Annotation | None:
        """What ``annotator`` labelled in the document: for a person, only what they saw
        and decided (no undecided or hidden suggestions; see ``annotator.core.seen``)."""
        a = self._known(annotator)
        if a is None:
            return None
        found = self._repo.load_annotation(doc_id, a)
        return as_labels(found, a) if found is not None else None

    def open_annotation(self, doc_id: int, annotator: str) -> Annotation:
        """This annotator's annotation, with the current suggestions and the entities
        they taught (see ``learned_entities``) merged in while it is not finished."""
        a = self._annotator(annotator)
        existing = self._repo.load_annotation(doc_id, a)
        finished = (AnnotationStatus.DONE, AnnotationStatus.SKIPPED)
        if existing is not None and existing.status in finished:
            return existing
        base = existing or Annotation(document_id=doc_id, annotator=annotator)
        suggested = self.current_suggestions(doc_id)
        if suggested is not None:
            suggested = self._calibrations.apply(suggested)
        learned = self._learned_spans(doc_id, annotator)
        if existing is not None and suggested is not None:
            base = _suggest.drop_stale_suggestions(self, existing, suggested, learned)
        merged = merge_with_learned(base, suggested, learned, use=self.learned_suggestions)
        if existing is None:
            return self._write(lambda: self._repo.put_annotation(merged, a))
        if not learned and base is existing and (len(merged.spans), len(merged.relations)) == (
            len(existing.spans),
            len(existing.relations),
        ):
            # Without learned spans the merge only appends: nothing appended, nothing to
            # write (the usual reopening), and no diff of thousands of spans to find that.
            return merged
        change = diff(existing, merged)
        if change.empty:
            return merged  # the stored annotation, with its learned suggestions marked
        return self._write(lambda: self._repo.save_diff(existing, change, merged))

    # learning from the annotator -------------------------------------------------------
    #
    # The entities an annotator labelled one by one (accepted with A, relabelled or
    # resized, or added by hand) are found again in their next articles. A blind
    # accept-all teaches nothing: one Shift+A must not turn a wrong suggestion into a
    # suggestion everywhere. Since an accepted span looks the same in the database
    # whichever key accepted it, the pairs and their counts are kept in a project
    # setting per annotator (``learned_entities:<name>``), written when they change.

    learned_suggestions: bool = True  # the window's "Suggest from my labels" switch

    def _learned_key(self, annotator: str) -> str:
        return f"{LEARNED_SETTING_PREFIX}{annotator}"

    def _learned_for(self, annotator: str) -> LearnedEntities:
        from annotator.nlp.learned import LearnedEntities  # plain string search, no spaCy

        learned = self._learned.get(annotator)
        if learned is None:
            saved = self._repo.get_setting(self._learned_key(annotator))
            if saved is not None:
                learned = LearnedEntities.from_json(saved, lang=self.lang)
            else:
                # A project from before the setting: its labels cannot tell A from
                # Shift+A, so every label counts once, and the seed is saved so that
                # later accept-alls are never read back as lessons.
                learned = LearnedEntities(lang=self.lang)
                a = self._repo.annotator(annotator)
                if a is not None:
                    for text, label in self._repo.accepted_entities(a):
                        learned.add(text, label)
                self._save_learned(annotator, learned)
            self._learned[annotator] = learned
        return learned

    def _save_learned(self, annotator: str, learned: LearnedEntities) -> None:
        from contextlib import suppress

        self._learned_dirty.discard(annotator)

        # a convenience, not a label: if it cannot be written, the next change writes it
        with suppress(StorageUnavailable, StorageError):
            key, value = self._learned_key(annotator), learned.to_json()
            self._write(lambda: self._repo.set_setting(key, value))

    def _learned_spans(self, doc_id: int, annotator: str) -> list[Span]:
        """Matches of this annotator's learned pairs in the document, each with
        ``learned_from`` set (found even when the switch is off, to take them out)."""
        learned = self._learned_for(annotator)
        if annotator in self._learned_dirty:
            self._save_learned(annotator, learned)  # counts changed in the last article
        if not len(learned):
            return []
        doc = self.get_document(doc_id)
        return list(learned.find(doc.text, doc.tokens or []))

    def _learn(self, text: str, before: Annotation, change: AnnotationDiff, op: Operation) -> None:
        """Count the entities decided by this single action; a Batch (accept all,
        adopting a version) teaches nothing. A label removed by a single action
        (deleted, undone, relabelled) counts one less."""
        if isinstance(op, Batch):
            return
        gone = [
            span
            for key in change.removed_spans
            if (span := before.span_by_key(key)) is not None
            and span.layer == Layer.ENTS
            and span.origin != Origin.SUGGESTED
        ]
        added = [
            span
            for span in change.added_spans
            if span.layer == Layer.ENTS and span.origin != Origin.SUGGESTED
        ]
        if not gone and not added:
            return
        annotator = before.annotator
        learned = self._learned.get(annotator)
        if learned is None:
            # Not opened through open_annotation in this session (e.g. a script): the
            # saved pairs still have to hear of this edit. A project without saved
            # pairs is seeded from its labels, this one included: nothing to add then.
            seeded = self._repo.get_setting(self._learned_key(annotator)) is None
            learned = self._learned_for(annotator)
            if seeded:
                return
        # A pair learned or forgotten changes the next suggestions: saved now. A count
        # going up or down only changes a tooltip: saved with the next such change or
        # the next article opened, so a keystroke usually costs no second write.
        membership = False
        for span in gone:
            surface = text[span.start : span.end]
            if learned.discount(surface, span.label) and not learned.count(surface, span.label):
                membership = True
        for span in added:
            membership |= learned.add(text[span.start : span.end], span.label)
        if membership:
            self._save_learned(annotator, learned)
        else:
            self._learned_dirty.add(annotator)

    def apply(self, annotation: Annotation, op: Operation) -> EditResult:
        """Apply one user action and commit it before returning; the result carries the
        saved annotation, the inverse operation and what changed.

        Raises ``ValidationError`` when the edit is refused, ``ConflictError`` when
        the annotation changed elsewhere, ``StorageUnavailable`` when nothing could
        be written (the caller keeps the edit and retries)."""
        text = self._text(annotation.document_id or 0)
        after, inverse = op.apply(annotation, text)
        if after.spans != annotation.spans:
            validate_annotation(after, text)
        change = diff(annotation, after)
        if change.empty:
            return EditResult(annotation, inverse, change)
        saved = self._write(lambda: self._repo.save_diff(annotation, change, after))
        self._learn(text, annotation, change, op)
        return EditResult(saved, inverse, change)

    def put_annotation(self, annotation: Annotation) -> Annotation:
        a = self._annotator(annotation.annotator)
        return self._write(lambda: self._repo.put_annotation(annotation, a))

    def _write(self, fn: Callable[[], T]) -> T:
        return guarded(fn)

    # project options --------------------------------------------------------------------

    def finish_requires_decisions(self) -> bool:
        """Does Enter refuse while suggestions on screen are undecided? (default: no,
        Enter accepts them, as Prodigy accepts the task on screen)"""
        if self._require_decisions is None:  # asked on every header update: read once
            self._require_decisions = self._repo.get_setting(REQUIRE_DECISIONS_KEY) == "1"
        return self._require_decisions

    def set_finish_requires_decisions(self, on: bool) -> None:
        self._write(lambda: self._repo.set_setting(REQUIRE_DECISIONS_KEY, "1" if on else "0"))
        self._require_decisions = on

    # suggestions ----------------------------------------------------------------------

    def suggestion_source(self) -> str | None:
        """The annotation set of the latest pipeline run, e.g. ``suggestions:rules-1``."""
        return _suggest.suggestion_source(self)

    def preferred_pipeline(self) -> str | None:
        """The pipeline (``name-version``) behind the current suggestions, if installed."""
        source = self.suggestion_source()
        if not source or not source.startswith(SUGGESTIONS_PREFIX):
            return None
        key = source[len(SUGGESTIONS_PREFIX) :]
        from annotator.nlp.pipeline import resolve_pipeline

        try:
            resolve_pipeline(key)
        except AnnotatorError:
            return None  # made elsewhere with a pipeline this machine lacks
        return key

    def resolve_annotator_name(self, name: str) -> str:
        """``suggestions`` means the latest pipeline's suggestion set."""
        if name == "suggestions":
            return self.suggestion_source() or name
        return name

    def current_suggestions(self, doc_id: int) -> Annotation | None:
        return _suggest.current_suggestions(self, doc_id)

    def ensure_suggestions(self, doc_id: int, suggester: Suggester) -> bool:
        """Compute and store this document's suggestions if the current set has none
        (see ``annotator.app.suggest.ensure_suggestions``); True when new ones were stored."""
        with self._suggest_lock:
            result = _suggest.ensure_suggestions(self, doc_id, suggester)
            if result is None:
                return False
            self._referents[doc_id] = dict(result.referents)
            return True

    def referents(self, doc_id: int) -> dict[SpanKey, SpanKey]:
        return self._referents.get(doc_id, {})

    # search index ---------------------------------------------------------------------

    def index_for_search(
        self,
        *,
        batch: int = 500,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> int:
        """Bring the full-text index up to date, in short transactions (a worker runs this
        while the annotator works; an edit waits for one batch at most)."""
        total = indexed = 0
        while not (cancel and cancel()):
            done, left = self._write(lambda: self._repo.index_for_search(batch))
            indexed += done
            total = total or indexed + left
            if progress and total:
                progress(indexed, total)
            if not left:
                break
        return indexed

    # import ---------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Sequence[str | Path],
        *,
        fmt: str = "auto",
        annotator: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        options: ReadOptions | None = None,
    ) -> ImportReport:
        return import_paths(
            self._repo,
            [Path(p) for p in paths],
            fmt=fmt,
            annotator=annotator,
            lang=self.lang,
            progress=progress,
            cancel=cancel,
            options=options or ReadOptions(),
        )

    # notes and flags (annotator/app/notes.py) ---------------------------------------------

    def set_note(
        self, doc_id: int, annotator: str, text: str, flagged: bool = False
    ) -> DocumentNote | None:
        """Save ``annotator``'s note on the document; blank and unflagged removes it."""
        return _notes.set_note(
            self._repo.notes, self.ensure_annotator(annotator), doc_id, text, flagged
        )

    def note(self, doc_id: int, annotator: str) -> DocumentNote | None:
        return _notes.note(self._repo.notes, self._known(annotator), doc_id)

    def notes(self, doc_id: int) -> list[DocumentNote]:
        """Every annotator's note on the document, flagged first (for reviewers)."""
        return self._repo.notes.for_document(doc_id)

    def flagged_documents(self) -> int:
        """How many documents someone flagged for review."""
        return self._repo.notes.count_flagged_documents()
