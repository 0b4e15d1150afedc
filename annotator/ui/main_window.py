"""The main window: document list, article, spans, palette, status bar.

Editing keys are bound to :class:`AnnotationEditor`; the open article (opening,
saving each edit, undo, finishing) is :class:`DocumentSession`'s; the spaCy
pipeline is :class:`ModelLoader`'s; import, export and projects are
:class:`FileActions`'. Annotating and reviewing are two modes (:mod:`annotator.ui.modes`)
the window asks instead of branching on which one is on.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.app.label_keys import LabelKeyError, label_shortcuts, set_label_shortcut
from annotator.core import AnnotationStatus, Document
from annotator.core.model import RelationLabel
from annotator.ui import window_layout
from annotator.ui.actions import (
    ACTIONS,
    ActionSpec,
    command_keys,
    label_action_specs,
    make_actions,
    set_label_keys,
)
from annotator.ui.article_view import ArticleView
from annotator.ui.banner import Banner
from annotator.ui.document_list import DocumentList
from annotator.ui.document_session import DocumentSession
from annotator.ui.editor import AnnotationEditor
from annotator.ui.file_actions import FileActions
from annotator.ui.find_bar import FindBar
from annotator.ui.guidelines import GuidelinesPanel
from annotator.ui.headline import headline_of, hint_text
from annotator.ui.label_picker import LabelPicker
from annotator.ui.model_loader import ModelLoader
from annotator.ui.modes import AnnotatingMode, DocumentMode
from annotator.ui.note_editor import NoteController
from annotator.ui.operations import EditSession
from annotator.ui.palette import LabelPalette
from annotator.ui.review_mode import ReviewMode
from annotator.ui.span_table import SpanTable
from annotator.ui.threshold import ThresholdControl
from annotator.ui.training_controller import TrainingController
from annotator.ui.undo import DocumentHistory, UndoHistories
from annotator.ui.workers import TaskManager

if TYPE_CHECKING:
    from annotator.app.pipelines import Suggester
    from annotator.app.project import Project

MESSAGE_MS = 6000


class MainWindow(QMainWindow):
    # built in _build_widgets; declared here for the parts that reach them through protocols
    doc_list: DocumentList
    stack: QStackedWidget
    empty: QWidget
    guidelines_dock: QDockWidget

    documentOpened = Signal(int)  # the document id, once its annotation is editable
    projectSwitchRequested = Signal(str)  # File ▸ Open / New / Recent: the app opens it

    def __init__(
        self,
        project: Project,
        annotator: str,
        *,
        model: str | None = None,
        load_model: bool = True,
        suggester: Suggester | None = None,
        owns_project: bool = False,
    ) -> None:
        super().__init__()
        self.project = project
        self.annotator = annotator
        self.owns_project = owns_project
        self._done = 0
        self._total = 0
        project.ensure_annotator(annotator)

        self.setObjectName("mainWindow")
        # Qt appends the application name to a title that does not end with it already
        label = window_layout.project_label(project.url, project.display_url)
        self.setWindowTitle(f"{label} — Quote & Entity Annotator")
        self.tasks = TaskManager(self)
        self.models = ModelLoader(
            project, self.tasks, model=model, suggester=suggester, load=load_model, parent=self
        )
        self.documents = DocumentSession(self, self)
        self.documents.opened.connect(self.documentOpened)
        self.files = FileActions(self, self)
        self.files.projectSwitchRequested.connect(self.projectSwitchRequested)
        self._build_widgets()
        self.annotating = AnnotatingMode(
            project, annotator, self.doc_list, self.say, self._count_finished
        )
        self.review = ReviewMode(self, self)  # before any document opens: it decides whose
        self.notes = NoteController(self, self)  # N: note / flag; the header's marker
        self.notes.saved.connect(self.review.notes_saved)
        self.training = TrainingController(self, self)  # Train now; train again every N
        self._build_actions()
        self.review.update_actions()
        self.progress_label, self.pipeline_label = window_layout.status_labels(self.statusBar())
        self.threshold = ThresholdControl(project, self.editor, self.statusBar(), self)
        self.update_pipeline_label()
        self.keyboard_home = window_layout.restore_settings(
            self, self.view, self.guidelines_dock, project.url
        )
        self.refresh_progress()
        self.models.ready.connect(self._model_ready)
        self.models.failed.connect(self._model_failed)
        self.models.start()
        QTimer.singleShot(1000, self.files.index_for_search)
        self.open_first_document()

    # -- what the parts ask -------------------------------------------------------------

    @property
    def mode(self) -> DocumentMode:
        """Whose annotation the window edits, and where Enter and Tab lead."""
        review = getattr(self, "review", None)  # asked before review mode exists, too
        return review if review is not None and review.active else self.annotating

    @property
    def doc_id(self) -> int | None:
        return self.documents.doc_id

    @doc_id.setter
    def doc_id(self, doc_id: int | None) -> None:
        self.documents.doc_id = doc_id

    @property
    def document(self) -> Document | None:
        return self.documents.document

    @property
    def session(self) -> EditSession | None:
        return self.documents.session

    @property
    def undo_history(self) -> UndoHistories:
        return self.documents.undo_history

    @property
    def undo_stack(self) -> DocumentHistory:
        return self.documents.undo_stack

    @property
    def model_state(self) -> str:
        return self.models.state

    @model_state.setter
    def model_state(self, state: str) -> None:
        self.models.state = state

    @property
    def suggester(self) -> Suggester | None:
        return self.models.suggester

    @property
    def reviewing(self) -> bool:
        return self.mode is self.review

    def is_reviewer(self) -> bool:
        return self.review.is_reviewer()

    def open_document(self, doc_id: int) -> None:
        self.documents.open_document(doc_id)

    def can_leave(self) -> bool:
        return self.documents.can_leave()

    def reopen_document(self) -> None:
        self.documents.reopen()

    def open_first_document(self) -> None:
        if self.project.count_documents(self.annotator) == 0:
            self.stack.setCurrentWidget(self.empty)
            self.update_header()
            return
        self.stack.setCurrentWidget(self.view)
        first = self.project.next_document(self.annotator, None)
        if first is None:
            first = self.doc_list.model.doc_id(0)
        if first is not None:
            self.open_document(first)

    def report_failure(self, exc: BaseException, _tb: str) -> None:
        QMessageBox.warning(self, "Something went wrong", str(exc))

    # -- construction -------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.view = ArticleView()
        self.view.set_scheme(self.project.scheme)
        self.span_table = SpanTable()
        self.span_table.span_model.scheme = self.project.scheme
        self.editor = AnnotationEditor(self.view, self.span_table, self)
        self.editor.message.connect(self.say)
        # Not while attaching: the session updates the header itself once the list has
        # the status (one headline layout per opened article instead of two).
        self.editor.currentChanged.connect(
            lambda _key: None if self.documents.attaching else self.update_header()
        )

        self.banner = Banner()
        self.banner.retryClicked.connect(self._retry_save)
        self.header, self.hint = window_layout.headline_labels()

        self.empty, self.import_seeds_button = window_layout.empty_state(
            self.files.import_seeds, self.files.import_articles
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.banner)
        layout.addWidget(self.header)
        layout.addWidget(self.hint)
        layout.addWidget(self.stack, 1)
        self.find_bar = FindBar(self.view)  # Ctrl+F, under the article
        layout.addWidget(self.find_bar)
        self.setCentralWidget(centre)

        self.doc_list = DocumentList(self.project, self.annotator)
        self.doc_list.documentChosen.connect(self.open_document)
        self.palette_widget = LabelPalette(self.project.scheme, keys=label_shortcuts(self.project))
        self.palette_widget.labelChosen.connect(self.editor.label)
        self.guidelines = GuidelinesPanel()
        self.guidelines.load(self.project.url)

        self.docs_dock = self.add_dock(
            "Documents", self.doc_list, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.spans_dock = self.add_dock(
            "Spans", self.span_table, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.labels_dock = self.add_dock(
            "Labels",
            window_layout.scrolling(self.palette_widget, "labelsScroll"),
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.guidelines_dock = self.add_dock(
            "Guidelines", self.guidelines, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.guidelines_dock.hide()
        self.default_dock_sizes()

    def default_dock_sizes(self) -> None:
        self.resizeDocks([self.docs_dock], [300], Qt.Orientation.Horizontal)
        self.resizeDocks([self.spans_dock], [400], Qt.Orientation.Horizontal)
        self.resizeDocks([self.spans_dock, self.labels_dock], [520, 380], Qt.Orientation.Vertical)

    def add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        return window_layout.add_dock(self, title, widget, area)

    def _handlers(self) -> dict[str, Callable[[], object]]:
        """Each action's slot: straight to the part that does it."""
        e, d, f, view = self.editor, self.documents, self.files, self.view
        return {
            "new_project": f.new_project,
            "open_project": f.open_project,
            "import_articles": f.import_articles,
            "export": f.export,
            "quit": self.close,
            "undo": d.undo,
            "redo": d.redo,
            "find_in_article": lambda: self.find_bar.open(self.find_bar.selection_query()),
            "find_next": self.find_bar.find_next,
            "find_previous": self.find_bar.find_previous,
            "find": self.on_find,
            "accept": e.accept,
            "accept_all": e.accept_all,
            "reject": e.reject,
            "make_quote": e.make_quote,
            "set_speaker": self.on_set_speaker,
            "set_cue": self.on_set_cue,
            "cycle_kind": e.cycle_kind,
            "note": self.notes.edit,
            "pick_label": self.on_pick_label,
            "start_left": partial(e.move_boundary, "start", -1),
            "start_right": partial(e.move_boundary, "start", +1),
            "end_left": partial(e.move_boundary, "end", -1),
            "end_right": partial(e.move_boundary, "end", +1),
            "next_span": partial(self.step_span, +1),
            "prev_span": partial(self.step_span, -1),
            "done": self.on_done,
            "require_decisions": self.on_require_decisions,
            "skip": self.on_skip,
            "next_document": partial(d.step_document, +1),
            "prev_document": partial(d.step_document, -1),
            "cancel": self.on_cancel,
            "zoom_in": partial(view.zoom, +1),
            "zoom_out": partial(view.zoom, -1),
            "zoom_reset": partial(view.zoom, 0),
            "toggle_low_confidence": self.on_toggle_low_confidence,
            "choose_threshold": lambda: self.threshold.choose(),
            "toggle_guidelines": self.on_toggle_guidelines,
            "review_mode": lambda: self.review.set_active(
                self.actions_by_name["review_mode"].isChecked()
            ),
            "dashboard": self.review.show_dashboard,
            "reset_layout": self.on_reset_layout,
            "show_shortcuts": self.on_show_shortcuts,
            "about": self.on_about,
            **self.training.handlers(),
        }

    def _build_actions(self) -> None:
        self.specs: list[ActionSpec] = list(ACTIONS)
        # the project's label keys (1-9 unless rebound in the label picker, "/")
        label_specs = label_action_specs(self.project.scheme, label_shortcuts(self.project))
        all_specs = self.specs + label_specs
        handlers = self._handlers()

        def slot_for(spec: ActionSpec) -> Callable[[], object]:
            if spec.name.startswith("label_"):
                return partial(self.editor.label, spec.name[len("label_") :])
            if spec.name.startswith(("take_", "adopt_")):
                verb, n = spec.name.split("_")
                return partial(getattr(self.review, verb), int(n))
            return handlers[spec.name]

        self.actions_by_name: dict[str, QAction] = make_actions(self, all_specs, slot_for)
        self.all_specs = all_specs
        self.recent_menu = window_layout.build_menus(
            self,
            all_specs,
            self.actions_by_name,
            import_folder=self.files.import_folder,
            view_docks=(self.docs_dock, self.spans_dock, self.labels_dock),
        )
        self.files.recent_menu = self.recent_menu
        self.recent_menu.aboutToShow.connect(self.files.fill_recent)
        self.guidelines_dock.visibilityChanged.connect(
            lambda visible: self.sync_check("toggle_guidelines", visible)
        )
        self.palette_widget.showLowConfidenceChanged.connect(
            lambda on: self.actions_by_name["toggle_low_confidence"].setChecked(on)
        )
        # "Suggest from my labels" (remembered by the palette) decides what the facade merges
        self.project.learned_suggestions = self.palette_widget.learned.isChecked()
        self.palette_widget.learnedSuggestionsChanged.connect(self.on_toggle_learned)
        # Esc in the document search hands the keyboard back to the article
        self.doc_list.searchLeft.connect(
            lambda: self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )

        def show_undo_state() -> None:
            # The texts name what will be undone, also in the article left last
            # ("Undo mark done (article 003)").
            for name, (enabled, text) in (
                ("undo", self.undo_history.undo_state()),
                ("redo", self.undo_history.redo_state()),
            ):
                self.actions_by_name[name].setEnabled(enabled)
                self.actions_by_name[name].setText(text)

        self.undo_history.changed.connect(show_undo_state)
        show_undo_state()
        self.sync_check("require_decisions", self.project.finish_requires_decisions())

    def sync_check(self, name: str, on: bool) -> None:
        action = self.actions_by_name[name]
        if action.isChecked() != on:
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    # -- messages -----------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_MS)

    def refresh_progress(self) -> None:
        self._done, self._total = self.project.progress(self.mode.owner)
        self._update_progress_label()

    def _count_finished(self, delta: int) -> None:
        self._done += delta
        self._update_progress_label()
        self.training.finished_changed(delta)

    def _update_progress_label(self) -> None:
        pct = f" ({100 * self._done / self._total:.0f}%)" if self._total else ""
        who = self.mode.owner  # in review mode the reviewer makes gold
        self.progress_label.setText(f"{who}: {self._done:,} / {self._total:,} done{pct}")

    def update_pipeline_label(self) -> None:
        self.pipeline_label.setText(self.models.pipeline_text())
        self.threshold.update_label()

    def update_header(self) -> None:
        doc, ann = self.document, self.editor.annotation
        if doc is None:
            self.header.setText("")
            self.hint.setText("")
            return
        self.header.setText(
            headline_of(self.notes.marked(doc.external_id or f"#{doc.id}"), doc.text)
        )
        if ann is None:
            self.hint.setText("Suggesting entities and quotes…")
            return
        suggested = self.editor.suggested_count
        hidden = self.editor.hidden_count()
        status = str(ann.status).replace("_", " ")
        self.hint.setText(
            hint_text(
                [*self.mode.hint_parts(), status],
                labels=len(ann.spans) - hidden - suggested,
                suggested=suggested,
                hidden=hidden,
                must_decide=self.project.finish_requires_decisions(),
                link_mode=self.editor.link_mode,
            )
        )

    # -- NLP ----------------------------------------------------------------------------

    def _model_ready(self) -> None:
        self.update_pipeline_label()
        assert self.suggester is not None
        self.say(f"Model ready: {self.suggester.info.name}.")
        self.documents.model_ready()

    def _model_failed(self, why: str) -> None:
        self.update_pipeline_label()
        self.say(f"No NLP model: {why}. You can still annotate by hand.")
        self.documents.model_failed()

    # -- action slots that do more than call one part -----------------------------------

    def on_pick_label(self) -> None:
        reserved = command_keys(self.all_specs)

        def bind(label: str, key: str, take_over: bool) -> dict[str, str]:
            if f"label_{label}" not in self.actions_by_name:
                raise LabelKeyError(f"{label} is applied by its own command key (Q, S, C).")
            return set_label_shortcut(
                self.project, label, key, reserved=reserved, take_over=take_over
            )

        def rebound(keys: dict[str, str]) -> None:
            self.all_specs = set_label_keys(self.actions_by_name, self.all_specs, keys)
            self.palette_widget.set_keys(keys)

        picker = LabelPicker(self.project.scheme, label_shortcuts(self.project), bind, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.labelChosen.connect(self.editor.label)
        picker.shortcutsChanged.connect(rebound)
        self.label_picker = picker
        picker.popup_over(self.view)

    def on_find(self) -> None:
        # The document search: typing there is search text; Esc hands the keyboard back.
        self.docs_dock.show()
        self.docs_dock.raise_()  # it may be tabbed behind another panel
        self.doc_list.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.doc_list.search.selectAll()

    def on_set_speaker(self) -> None:
        self.editor.start_link(RelationLabel.SPEAKER)
        self.update_header()

    def on_set_cue(self) -> None:
        self.editor.start_link(RelationLabel.CUE)
        self.update_header()

    def step_span(self, delta: int) -> None:
        # The mode's own walk first (review: the disagreements), unless choosing a link.
        if self.editor.link_mode is None and self.mode.step(delta):
            return
        self.editor.step(delta)

    def on_done(self) -> None:
        if self.editor.link_mode is not None:
            self.editor.confirm_link()
            self.update_header()
            return
        self.documents.finish(AnnotationStatus.DONE)

    def on_skip(self) -> None:
        self.editor.cancel_link()
        self.documents.finish(AnnotationStatus.SKIPPED)

    def on_cancel(self) -> None:
        self.editor.cancel()
        self.update_header()

    def on_toggle_low_confidence(self) -> None:
        on = self.actions_by_name["toggle_low_confidence"].isChecked()
        if self.palette_widget.low_confidence.isChecked() != on:
            self.palette_widget.low_confidence.setChecked(on)
        self.editor.set_show_low_confidence(on)
        self.update_header()

    def on_toggle_learned(self, on: bool) -> None:
        """Suggestions learned from this annotator's labels on / off: reopen the article
        so they are merged in, or taken out while untouched (undo starts afresh)."""
        self.project.learned_suggestions = on
        self.say("Suggesting from your labels." if on else "Not suggesting from your labels.")
        if self.mode.suggests:
            self.documents.reattach()

    def on_require_decisions(self) -> None:
        on = self.actions_by_name["require_decisions"].isChecked()
        self.project.set_finish_requires_decisions(on)
        self.say(
            "Enter now refuses while suggestions are undecided (this project)."
            if on
            else "Enter accepts the suggestions on screen (this project)."
        )
        self.update_header()

    def on_toggle_guidelines(self) -> None:
        self.guidelines_dock.setVisible(self.actions_by_name["toggle_guidelines"].isChecked())

    def on_reset_layout(self) -> None:
        """View ▸ Reset layout: every dock back in its first place and size, none floating;
        the saved layout is forgotten, so the next start is the default one too."""
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        window_layout.reset_docks(
            self,
            [
                (self.docs_dock, left),
                (self.spans_dock, right),
                (self.labels_dock, right),
                (self.guidelines_dock, right),
            ],
        )
        self.guidelines_dock.hide()  # opened on demand with H
        self.default_dock_sizes()
        self.review.reset_docks()  # review's own docks, shown again if reviewing
        self.say("Panels are back in their default places.")

    def on_show_shortcuts(self) -> None:
        self.shortcuts_dialog = window_layout.shortcuts_dialog(self, self.all_specs)
        self.shortcuts_dialog.show()

    def on_about(self) -> None:
        window_layout.about(self, self.project.display_url, self.annotator)

    def _retry_save(self) -> None:
        if self.session is not None and self.session.flush():
            self.say("All edits saved.")

    # -- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        session = self.session
        if session is not None and session.unsaved and not session.flush():
            answer = QMessageBox.question(
                self,
                "Unsaved edits",
                f"{session.unsaved} edit(s) could not be saved to the database "
                f"({session.last_error}). Close anyway and lose them?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.review.before_saving_window_state()
        window_layout.save_settings(self, self.view)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop timers and wait for workers; close the project if this window owns it."""
        self.documents.detach()
        self.training.shutdown()
        self.tasks.shutdown()
        if self.owns_project:
            self.project.close()
            self.owns_project = False
