"""The facade the window and the command line share: one open project, every use case.

Each method is one short transaction (or a read) and returns ``core`` dataclasses,
so the UI can call it from any thread and never sees SQLAlchemy.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import OperationalError

from annotator.app.errors import StorageUnavailable
from annotator.app.importing import CancelFn, ImportReport, ProgressFn, import_paths
from annotator.app.paths import resolve_db
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
    validate_annotation,
)
from annotator.core.operations import AnnotationDiff, Batch, Operation, diff
from annotator.nlp.tokenize import tokenize
from annotator.storage.engine import Database, StorageError
from annotator.storage.repository import ConflictError, DocumentListRow, Repository

if TYPE_CHECKING:
    from annotator.core.notes import DocumentNote
    from annotator.nlp.suggester import Suggester

DocumentRow = DocumentListRow
SUGGESTIONS_PREFIX = "suggestions:"
CURRENT_SUGGESTIONS_KEY = "current_suggestions"
REQUIRE_DECISIONS_KEY = "finish_requires_decisions"
LEARNED_SETTING_PREFIX = "learned_entities:"


class Project:
    """An open project database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.repo = Repository(db)
        self.url = db.url
        self.display_url = db.display_url
        self.lang = self.repo.get_setting("language", "en") or "en"
        scheme_json = self.repo.get_setting("label_scheme")
        self.scheme = LabelScheme.from_json(scheme_json) if scheme_json else DEFAULT_SCHEME
        self._referents: dict[int, dict[SpanKey, SpanKey]] = {}
        self._learned: dict[str, Any] = {}
        self._learned_dirty: set[str] = set()  # learned counts changed, not saved yet
        self._texts: dict[int, str] = {}
        self._suggest_lock = threading.Lock()
        self._require_decisions: bool | None = None

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
        return self.repo.ensure_annotator(name, kind, role)

    def annotators(self) -> list[Annotator]:
        return self.repo.annotators()

    def _annotator(self, name: str) -> Annotator:
        return self.ensure_annotator(name)

    # documents ------------------------------------------------------------------------

    def _assigned_only(self, annotator: Annotator) -> bool:
        return annotator.id is not None and self.repo.has_assignments(annotator.id)

    def count_documents(
        self,
        annotator: str | None = None,
        *,
        status: AnnotationStatus | None = None,
        search: str | None = None,
    ) -> int:
        if annotator is None:
            return self.repo.count_documents()
        a = self._annotator(annotator)
        assert a.id is not None
        return self.repo.count_list(
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
        return self.repo.list_documents(
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
        doc = self.repo.get_document(doc_id)
        if doc.tokens is None and tokenize_missing:
            doc.tokens = tokenize(doc.text, self.lang)
            self._write(lambda: self.repo.set_tokens([(doc_id, doc.tokens or [])]))
        return doc

    def _text(self, doc_id: int) -> str:
        """A document's text; texts never change after import, so they are cached."""
        text = self._texts.get(doc_id)
        if text is None:
            text = self.repo.get_document(doc_id).text
            if len(self._texts) >= 64:
                self._texts.pop(next(iter(self._texts)))
            self._texts[doc_id] = text
        return text

    def next_document(self, annotator: str, after_id: int | None) -> int | None:
        a = self._annotator(annotator)
        assert a.id is not None
        return self.repo.next_document(a.id, after_id, assigned_only=self._assigned_only(a))

    def progress(self, annotator: str) -> tuple[int, int]:
        a = self._annotator(annotator)
        assert a.id is not None
        return self.repo.count_finished(a.id, assigned_only=self._assigned_only(a))

    def status(self) -> dict[str, object]:
        return {
            "documents": self.repo.count_documents(),
            "annotators": self.repo.status_counts(),
            "database": self.display_url,
            "suggestions": self.suggestion_source(),
            "flagged_documents": self.flagged_documents(),
        }

    # annotations ----------------------------------------------------------------------

    def load_annotation(self, doc_id: int, annotator: str) -> Annotation | None:
        a = self.repo.annotator(annotator)
        if a is None:
            return None
        return self.repo.load_annotation(doc_id, a)

    def labels(self, doc_id: int, annotator: str) -> Annotation | None:
        """What ``annotator`` labelled in the document: for a person, only what they saw
        and decided (no undecided or hidden suggestions; see ``annotator.core.seen``)."""
        from annotator.app.labels import as_labels

        a = self.repo.annotator(annotator)
        if a is None:
            return None
        found = self.repo.load_annotation(doc_id, a)
        return as_labels(found, a) if found is not None else None

    def open_annotation(self, doc_id: int, annotator: str) -> Annotation:
        """This annotator's annotation, with the current suggestions and the entities
        they taught (see ``learned_entities``) merged in while it is not finished."""
        a = self._annotator(annotator)
        existing = self.repo.load_annotation(doc_id, a)
        if existing is not None and existing.status in (
            AnnotationStatus.DONE,
            AnnotationStatus.SKIPPED,
        ):
            return existing
        base = existing or Annotation(document_id=doc_id, annotator=annotator)
        suggested = self.current_suggestions(doc_id)
        merged = self._merge_with_learned(base, suggested, self._learned_spans(doc_id, annotator))
        if existing is None:
            return self._write(lambda: self.repo.put_annotation(merged, a))
        change = diff(existing, merged)
        if change.empty:
            return merged  # the stored annotation, with its learned suggestions marked
        return self._write(lambda: self.repo.save_diff(existing, change, merged))

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

    def _learned_for(self, annotator: str):  # type: ignore[no-untyped-def]
        from annotator.nlp.learned import LearnedEntities  # plain string search, no spaCy

        learned = self._learned.get(annotator)
        if learned is None:
            saved = self.repo.get_setting(self._learned_key(annotator))
            if saved is not None:
                learned = LearnedEntities.from_json(saved, lang=self.lang)
            else:
                # A project from before the setting: its labels cannot tell A from
                # Shift+A, so every label counts once, and the seed is saved so that
                # later accept-alls are never read back as lessons.
                learned = LearnedEntities(lang=self.lang)
                a = self.repo.annotator(annotator)
                if a is not None:
                    for text, label in self.repo.accepted_entities(a):
                        learned.add(text, label)
                self._save_learned(annotator, learned)
            self._learned[annotator] = learned
        return learned

    def _save_learned(self, annotator: str, learned: Any) -> None:
        from contextlib import suppress

        self._learned_dirty.discard(annotator)

        # a convenience, not a label: if it cannot be written, the next change writes it
        with suppress(StorageUnavailable, StorageError):
            key, value = self._learned_key(annotator), learned.to_json()
            self._write(lambda: self.repo.set_setting(key, value))

    def _learned_spans(self, doc_id: int, annotator: str) -> list[Span]:
        """Matches of this annotator's learned pairs in the document, each with
        ``learned_from`` set (found even when the switch is off, to take them out)."""
        try:
            learned = self._learned_for(annotator)
        except ImportError:  # annotator.nlp.learned not there yet
            return []
        if annotator in self._learned_dirty:
            self._save_learned(annotator, learned)  # counts changed in the last article
        if not len(learned):
            return []
        doc = self.get_document(doc_id)
        return list(learned.find(doc.text, doc.tokens or []))

    def _merge_with_learned(
        self, base: Annotation, suggested: Annotation | None, learned: Sequence[Span]
    ) -> Annotation:
        """``base`` with the pipeline's suggestions and, when the switch is on, the
        learned ones (marked with their counts); when it is off, learned suggestions
        merged earlier and still untouched are taken out again."""
        from annotator.app.suggest import merge_suggestions as merge

        if not learned:
            return merge(base, suggested)
        by_key = {s.key: s for s in learned}
        pipeline = {s.key: s for s in suggested.spans} if suggested is not None else {}
        if self.learned_suggestions:
            merged = merge(base, suggested, learned)
            spans = []
            for span in merged.spans:
                found = by_key.get(span.key)
                if found is not None and span.origin == Origin.SUGGESTED:
                    # no confidence: an older version stored 0.95 here
                    span = span.with_(confidence=None, learned_from=found.learned_from)
                spans.append(span)
        else:
            merged = merge(base, suggested)
            spans = []
            for span in merged.spans:
                if span.key in by_key and span.origin == Origin.SUGGESTED:
                    if span.key not in pipeline:
                        continue  # only there because it was learned
                    span = pipeline[span.key].with_(origin=Origin.SUGGESTED)
                spans.append(span)
        merged.spans = spans
        return merged

    def _learn(
        self, text: str, before: Annotation, change: AnnotationDiff, op: Operation
    ) -> None:
        """Count the entities decided by this single action; a Batch (accept all,
        adopting a version) teaches nothing. A label removed by a single action
        (deleted, undone, relabelled) counts one less."""
        if isinstance(op, Batch):
            return
        gone = [
            span for key in change.removed_spans
            if (span := before.span_by_key(key)) is not None
            and span.layer == Layer.ENTS and span.origin != Origin.SUGGESTED
        ]
        added = [
            span for span in change.added_spans
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
            seeded = self.repo.get_setting(self._learned_key(annotator)) is None
            try:
                learned = self._learned_for(annotator)
            except ImportError:
                return
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

    def apply(self, annotation: Annotation, op: Operation) -> tuple[Annotation, Operation]:
        """Apply one user action and commit it before returning.

        Raises ``ValidationError`` when the edit is refused, ``ConflictError`` when
        the annotation changed elsewhere, ``StorageUnavailable`` when nothing could
        be written (the caller keeps the edit and retries)."""
        text = self._text(annotation.document_id or 0)
        after, inverse = op.apply(annotation, text)
        if after.spans != annotation.spans:
            validate_annotation(after, text)
        change = diff(annotation, after)
        if change.empty:
            return annotation, inverse
        saved = self._write(lambda: self.repo.save_diff(annotation, change, after))
        self._learn(text, annotation, change, op)
        return saved, inverse

    def put_annotation(self, annotation: Annotation) -> Annotation:
        a = self._annotator(annotation.annotator)
        return self._write(lambda: self.repo.put_annotation(annotation, a))

    def _write(self, fn):  # type: ignore[no-untyped-def]
        try:
            return fn()
        except ConflictError:
            raise
        except OperationalError as exc:
            raise StorageUnavailable(f"The database cannot be written: {exc.orig}") from exc
        except StorageError as exc:
            if exc.code == "E212":
                raise StorageUnavailable(str(exc.args[0])) from exc
            raise

    # project options --------------------------------------------------------------------

    def finish_requires_decisions(self) -> bool:
        """Does Enter refuse while suggestions on screen are undecided? (default: no,
        Enter accepts them, as Prodigy accepts the task on screen)"""
        if self._require_decisions is None:  # asked on every header update: read once
            self._require_decisions = self.repo.get_setting(REQUIRE_DECISIONS_KEY) == "1"
        return self._require_decisions

    def set_finish_requires_decisions(self, on: bool) -> None:
        self._write(lambda: self.repo.set_setting(REQUIRE_DECISIONS_KEY, "1" if on else "0"))
        self._require_decisions = on

    # suggestions ----------------------------------------------------------------------

    def suggestion_source(self) -> str | None:
        """The annotation set of the latest pipeline run, e.g. ``suggestions:rules-1``."""
        return self.repo.get_setting(CURRENT_SUGGESTIONS_KEY)

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
        source = self.suggestion_source()
        if source is None:
            return None
        a = self.repo.annotator(source)
        return self.repo.load_annotation(doc_id, a) if a else None

    def ensure_suggestions(self, doc_id: int, suggester: Suggester) -> bool:
        """Compute and store this document's suggestions if the current set has none.

        The first pipeline used becomes the current set; after that (a batch run, or an
        earlier window) another pipeline changes nothing: the window shows the current
        set, and ``annotator suggest --model`` is how a project changes it.
        Returns True when new suggestions were stored. An article longer than
        ``WINDOW_SUGGEST_CHARS`` raises E303 (the window says so and opens it for
        annotating by hand); suggestions a batch run stored for it are used as usual."""
        from annotator.app.suggest import (
            WINDOW_SUGGEST_CHARS,
            store_suggestions,
            suggestion_set_name,
        )

        name = suggestion_set_name(suggester)
        with self._suggest_lock:
            current = self.suggestion_source()
            if current is None:
                self.repo.set_setting(CURRENT_SUGGESTIONS_KEY, name)
            elif current != name:
                return False
            a = self.ensure_annotator(name, AnnotatorKind.MODEL)
            if self.repo.has_annotation([doc_id], a):
                return False
            doc = self.get_document(doc_id)
            if len(doc.text) > WINDOW_SUGGEST_CHARS:
                # the pipeline would keep the window's NLP thread busy for minutes
                # (about 5,000 words a second with en_core_web_sm on one core)
                raise AnnotatorError(
                    f"This article has {len(doc.text):,} characters; suggestions are made "
                    f"while you annotate only for articles of up to "
                    f"{WINDOW_SUGGEST_CHARS:,}. Run 'annotator suggest' to pre-annotate it "
                    "(it works through long articles piece by piece), or annotate it by hand.",
                    code="E303",
                )
            result = suggester.suggest(
                doc.text, doc.tokens or [], scheme_labels=self.scheme.names()
            )
            store_suggestions(self, a, [(doc, result)])
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
            done, left = self._write(lambda: self.repo.index_for_search(batch))
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
    ) -> ImportReport:
        return import_paths(
            self.repo,
            [Path(p) for p in paths],
            fmt=fmt,
            annotator=annotator,
            lang=self.lang,
            progress=progress,
            cancel=cancel,
        )

    # notes and flags (annotator/app/notes.py) ---------------------------------------------

    def set_note(
        self, doc_id: int, annotator: str, text: str, flagged: bool = False
    ) -> DocumentNote | None:
        """Save ``annotator``'s note on the document; blank and unflagged removes it."""
        from annotator.app.notes import set_note

        return set_note(self, doc_id, annotator, text, flagged)

    def note(self, doc_id: int, annotator: str) -> DocumentNote | None:
        from annotator.app.notes import note

        return note(self, doc_id, annotator)

    def notes(self, doc_id: int) -> list[DocumentNote]:
        """Every annotator's note on the document, flagged first (for reviewers)."""
        from annotator.app.notes import notes

        return notes(self, doc_id)

    def flagged_documents(self) -> int:
        """How many documents someone flagged for review."""
        from annotator.app.notes import flagged_document_count

        return flagged_document_count(self)
