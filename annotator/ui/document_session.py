"""The open article: opening it (tokens, then suggestions, then its annotation), the
edit session that saves each change, its undo history, and finishing it (Enter, S)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from annotator.core import Annotation, AnnotationStatus, Document
from annotator.core.offsets import OffsetMap
from annotator.core.operations import Batch, SetStatus
from annotator.core.seen import finish, pending
from annotator.ui.operations import EditSession
from annotator.ui.undo import DocumentHistory, HistoryKey, UndoHistories
from annotator.ui.workers import Priority, TaskContext, TaskManager

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget

    from annotator.app.project import Project
    from annotator.ui.article_view import ArticleView
    from annotator.ui.banner import Banner
    from annotator.ui.document_list import DocumentList
    from annotator.ui.editor import AnnotationEditor
    from annotator.ui.headline import HeadlineLabel
    from annotator.ui.model_loader import ModelLoader
    from annotator.ui.modes import DocumentMode


class SessionHost(Protocol):
    """The window's parts the open article is shown in."""

    project: Project
    annotator: str
    editor: AnnotationEditor
    view: ArticleView
    doc_list: DocumentList
    banner: Banner
    stack: QStackedWidget
    header: HeadlineLabel
    hint: HeadlineLabel
    tasks: TaskManager
    models: ModelLoader

    @property
    def mode(self) -> DocumentMode: ...

    def say(self, text: str) -> None: ...

    def update_header(self) -> None: ...

    def update_pipeline_label(self) -> None: ...

    def report_failure(self, exc: BaseException, tb: str) -> None: ...


class DocumentSession(QObject):
    opened = Signal(int)  # the document id, once its annotation is editable

    def __init__(self, host: SessionHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.doc_id: int | None = None
        self.document: Document | None = None
        self.session: EditSession | None = None
        self.waiting_for: int | None = None  # document whose suggestions are being made
        self.attaching = False  # editor.attach is running
        # Each document's undo history, kept for the last few: Ctrl+Z reaches back
        # across Enter. ``undo_stack`` is always the open document's.
        self.undo_history = UndoHistories(self)
        self.undo_stack: DocumentHistory = self.undo_history.current
        self.undo_on_open: HistoryKey | None = None  # reopened by Ctrl+Z: undo there

    def can_leave(self) -> bool:
        if self.session is None or not self.session.unsaved:
            return True
        if self.session.flush():
            return True
        self.host.say("Edits of this article are not saved yet; staying here until they are.")
        return False

    def open_document(self, doc_id: int) -> None:
        h = self.host
        if doc_id == self.doc_id and self.session is not None:
            h.view.setFocus()
            return
        if not self.can_leave():
            return
        self.detach()
        key: HistoryKey = (doc_id, h.mode.owner)
        back = key == self.undo_on_open  # reopened by Ctrl+Z: undone once attached
        if not back:
            self.undo_on_open = None  # another article was chosen meanwhile
        self.undo_stack = self.undo_history.switch_to(key, back=back)
        self.doc_id = doc_id
        doc = h.project.get_document(doc_id, tokenize_missing=False)
        if doc.tokens is not None:
            self._show(doc)
            return
        # Imported without tokens (e.g. by an older version): tokenizing needs spaCy, so
        # it happens on the NLP thread, and the window stays responsive meanwhile.
        self.document = None
        self.waiting_for = doc_id
        h.header.setText("Opening the article…")
        h.hint.setText("")
        project = h.project

        def load(_ctx: TaskContext) -> Document:
            return project.get_document(doc_id)

        def loaded(doc: Document) -> None:
            if self.doc_id == doc_id and self.document is None:
                self._show(doc)

        h.tasks.run("open document", load, loaded, h.report_failure, priority=Priority.OPEN)

    def reopen(self) -> None:
        """The open article afresh, on the mode's annotation, with a new undo history."""
        self.detach()
        self.undo_stack.clear()
        if self.doc_id is not None:
            self.open_document(self.doc_id)

    def reattach(self) -> None:
        """The open article's annotation afresh (the suggestions merged into it changed)."""
        doc_id = self.doc_id
        if doc_id is None or self.session is None or not self.can_leave():
            return
        self.detach()
        self.undo_stack.clear()
        self.open_annotation(doc_id)

    def _show(self, doc: Document) -> None:
        h = self.host
        doc_id = doc.id or 0
        self.document = doc
        h.stack.setCurrentWidget(h.view)
        h.editor.show_document(doc, OffsetMap(doc.text, paragraph_gap=True))
        h.doc_list.select_document(doc_id)
        h.view.setFocus()
        # The list already knows the status; only an unlisted document costs a query.
        status = h.doc_list.model.status_of(doc_id)
        if status is None:
            found = h.project.load_annotation(doc_id, h.annotator)
            status = found.status if found is not None else AnnotationStatus.TODO
        started = status != AnnotationStatus.TODO
        finished = status in (AnnotationStatus.DONE, AnnotationStatus.SKIPPED)
        if not h.mode.suggests or finished or h.models.given_up:
            self.open_annotation(doc_id)  # gold: no suggestions are merged into it
        elif h.models.usable:
            # Suggestions of the loaded pipeline are made (or found) in the worker, then
            # merged into the annotation by open_annotation.
            self.waiting_for = doc_id
            h.update_header()
            self.suggest_then_open(doc_id)
        elif started:
            # Work already started: show it now; new suggestions merge on a later open.
            self.open_annotation(doc_id)
        else:
            self.waiting_for = doc_id  # opened when the model is ready
            h.update_header()

    def open_annotation(self, doc_id: int) -> None:
        annotation = self.host.mode.annotation_for(doc_id)
        if annotation is not None:
            self._attach(annotation)

    def _attach(self, annotation: Annotation) -> None:
        h = self.host
        if self.document is None:  # the open failed meanwhile and was reported
            return
        self.waiting_for = None
        self.undo_stack.name = f"article {self.document.external_id or f'#{self.document.id}'}"
        session = EditSession(h.project, self.document, annotation, self.undo_stack, self)
        session.changed.connect(self._changed)
        session.saveStateChanged.connect(h.banner.show_message)
        session.reloaded.connect(h.say)
        self.session = session
        self.attaching = True
        try:
            h.editor.attach(session, h.project.referents(self.document.id or 0))
        finally:
            self.attaching = False
        h.mode.attached(annotation)
        h.update_header()
        if self.undo_on_open is not None and self.undo_on_open == self.undo_stack.key:
            # Reopened by Ctrl+Z (nothing left to undo in the article after it): undo here.
            self.undo_on_open = None
            what = self.undo_stack.undoText()
            self.undo_stack.undo()
            h.say(f"Back in {self.undo_stack.name}: undid {what}.")
        self.opened.emit(self.document.id)
        self.prefetch_next()

    def detach(self) -> None:
        if self.session is not None:
            self.host.editor.detach()
            self.session.deleteLater()
            self.session = None
            self.host.banner.show_message("")

    def _changed(self, before: Annotation, after: Annotation) -> None:
        self.host.mode.on_changed(before, after)
        self.host.update_header()

    def undo(self) -> None:
        h = self.host
        h.editor.cancel_link()
        if self.undo_stack.canUndo():
            if self.session is None:
                h.say("This article is still opening; undo in a moment.")
                return
            self.undo_stack.undo()
            return
        # Nothing left here: go back to the article left last and undo there (its
        # "mark done" first, so it is in progress again).
        back = self.undo_history.previous()
        if back is None or back.key is None:
            h.say("Nothing to undo.")
            return
        self.undo_on_open = back.key
        self.open_document(back.key[0])
        if self.doc_id != back.key[0]:  # refused to leave (edits not saved yet)
            self.undo_on_open = None

    def redo(self) -> None:
        self.host.editor.cancel_link()
        if self.undo_stack.canRedo() and self.session is None:
            self.host.say("This article is still opening; redo in a moment.")
            return
        self.undo_stack.redo()

    def finish(self, status: AnnotationStatus) -> None:
        h = self.host
        if self.session is None or self.doc_id is None:
            h.say("No article is open.")
            return
        # Unsaved edits first: a "done" queued behind them would finish an article that
        # the window then refuses to leave.
        if not self.can_leave():
            return
        annotation = self.session.annotation
        shown = h.editor.shown_keys()
        undecided_shown = sum(1 for s in pending(annotation) if s.key in shown)
        if (
            status == AnnotationStatus.DONE
            and undecided_shown
            and h.project.finish_requires_decisions()
        ):
            h.say(
                f"{undecided_shown} suggestion{'s' if undecided_shown != 1 else ''} still "
                "undecided: accept (A), reject (X) or accept all (Shift+A) first."
            )
            return
        # What the annotator did not see never becomes their label: shown suggestions
        # left undecided are accepted (done), hidden ones withdrawn — one undo step.
        accepted, _withdrawn, ops = finish(annotation, status, shown)
        if annotation.status != status or ops:
            description = f"mark {status}"
            if accepted:
                description += f", accept {len(accepted)}"
            step = Batch((*ops, SetStatus(status)), description=description)
            if not self.session.perform(step):
                return
        if not self.can_leave():
            return
        nxt = h.mode.next_document(self.doc_id)
        if nxt is None:
            h.say("Every article is done or skipped. Well done!")
            return
        self.open_document(nxt)
        verb = "Done" if status == AnnotationStatus.DONE else "Skipped"
        h.say(f"{verb}. Next article opened.")

    def step_document(self, step: int) -> None:
        if self.doc_id is None:
            return
        target = self.host.mode.adjacent(self.doc_id, step)
        if target is not None:
            self.open_document(target)

    # -- suggestions ----------------------------------------------------------------------

    def model_ready(self) -> None:
        if self.waiting_for is not None:
            self.suggest_then_open(self.waiting_for)
        else:
            self.prefetch_next()

    def model_failed(self) -> None:
        if self.waiting_for is not None and self.waiting_for == self.doc_id:
            self.open_annotation(self.waiting_for)

    def suggest_then_open(self, doc_id: int) -> None:
        h = self.host

        def done() -> None:
            h.update_pipeline_label()  # the suggestions may be of a new set now
            if self.doc_id == doc_id and self.session is None:
                self.open_annotation(doc_id)

        def failed(exc: BaseException) -> None:
            h.say(f"Could not make suggestions for this article: {exc}")
            if self.doc_id == doc_id and self.session is None:
                self.open_annotation(doc_id)

        h.models.suggest(doc_id, done, failed)

    def prefetch_next(self) -> None:
        if self.doc_id is not None:
            self.host.models.prefetch(self.host.annotator, self.doc_id)
